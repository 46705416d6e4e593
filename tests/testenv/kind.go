package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/kind/pkg/cluster"
	kindcmd "sigs.k8s.io/kind/pkg/cmd"
)

// KindCluster is a kind cluster made for one test or benchmark, on a Docker network of its own.
type KindCluster struct {
	t          testing.TB
	Name       string
	Network    string
	Kubeconfig string
	Created    time.Duration // how long kind's create took, to all nodes Ready
	provider   *cluster.Provider
	deleted    bool
}

// RandomName returns prefix followed by 8 random hex digits.
func RandomName(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// NewKindCluster creates a cluster of one control plane and the given number of workers with kind as
// a library and waits until every node is Ready; the cluster and its network are deleted at cleanup.
func NewKindCluster(t testing.TB, image string, workers int) *KindCluster {
	t.Helper()
	c := &KindCluster{t: t, Name: RandomName("kpt"), Kubeconfig: filepath.Join(t.TempDir(), "kubeconfig")}
	c.Network = c.Name + "-net"
	// kind reads its Docker network from the environment: a network of the cluster's own.
	t.Setenv("KIND_EXPERIMENTAL_DOCKER_NETWORK", c.Network)
	c.provider = cluster.NewProvider(cluster.ProviderWithDocker(), cluster.ProviderWithLogger(kindcmd.NewLogger()))
	cfg := &v1alpha4.Cluster{Nodes: []v1alpha4.Node{{Role: v1alpha4.ControlPlaneRole}}}
	for i := 0; i < workers; i++ {
		cfg.Nodes = append(cfg.Nodes, v1alpha4.Node{Role: v1alpha4.WorkerRole})
	}
	start := time.Now()
	err := c.provider.Create(c.Name,
		cluster.CreateWithNodeImage(image),
		cluster.CreateWithV1Alpha4Config(cfg),
		cluster.CreateWithKubeconfigPath(c.Kubeconfig),
		cluster.CreateWithWaitForReady(3*time.Minute),
		cluster.CreateWithDisplayUsage(false),
		cluster.CreateWithDisplaySalutation(false),
	)
	t.Cleanup(c.Delete)
	if err != nil {
		t.Fatalf("kind create: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	c.Kubectl(ctx, "wait", "--for=condition=Ready", "nodes", "--all", "--timeout=180s")
	c.Created = time.Since(start)
	return c
}

// Nodes returns the node container names, control plane first.
func (c *KindCluster) Nodes() []string {
	nodes, err := c.provider.ListNodes(c.Name)
	if err != nil {
		c.t.Fatal(err)
	}
	var cp, workers []string
	for _, n := range nodes {
		if strings.HasSuffix(n.String(), "-control-plane") {
			cp = append(cp, n.String())
		} else {
			workers = append(workers, n.String())
		}
	}
	return append(cp, sortStrings(workers)...)
}

func sortStrings(s []string) []string {
	sort.Strings(s)
	return s
}

// ControlPlane is the control-plane node's container name.
func (c *KindCluster) ControlPlane() string { return c.Name + "-control-plane" }

// Exec runs a command in a node container.
func (c *KindCluster) Exec(ctx context.Context, node string, args ...string) (string, error) {
	return Try(ctx, "docker", append([]string{"exec", node}, args...)...)
}

// Kubectl runs kubectl on the control-plane node with the admin credentials; an error fails the test.
func (c *KindCluster) Kubectl(ctx context.Context, args ...string) string {
	c.t.Helper()
	out, err := c.Exec(ctx, c.ControlPlane(), append([]string{"kubectl", "--kubeconfig=/etc/kubernetes/admin.conf"}, args...)...)
	if err != nil {
		c.t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

// Apply applies a manifest on the control-plane node.
func (c *KindCluster) Apply(ctx context.Context, manifest string) {
	c.t.Helper()
	cmd := fmt.Sprintf("cat <<'EOF' | kubectl --kubeconfig=/etc/kubernetes/admin.conf apply -f -\n%s\nEOF", manifest)
	if out, err := c.Exec(ctx, c.ControlPlane(), "bash", "-c", cmd); err != nil {
		c.t.Fatalf("apply: %v\n%s", err, out)
	}
}

// Delete removes the cluster and its network.
func (c *KindCluster) Delete() {
	if c.deleted {
		return
	}
	c.deleted = true
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := c.provider.Delete(c.Name, c.Kubeconfig); err != nil {
		c.t.Errorf("kind delete: %v", err)
	}
	if out, err := Try(ctx, "docker", "network", "rm", c.Network); err != nil && !strings.Contains(out, "No such network") && !strings.Contains(out, "not found") {
		c.t.Errorf("docker network rm %s: %v %s", c.Network, err, out)
	}
}
