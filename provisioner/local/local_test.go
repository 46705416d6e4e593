package local_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/provisioner/local"
	"github.com/kubeplay/kubeplay/provisioner/provtest"
	"github.com/kubeplay/kubeplay/tests/testenv"
)

// The test binary doubles as the kind-create subprocess.
func TestMain(m *testing.M) { testenv.Main(m) }

func newProvisioner(t *testing.T) *local.Provisioner {
	t.Helper()
	testenv.Docker(t)
	p, err := local.New(local.Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func prefix() string { return testenv.RandomName("t")[:7] }

func TestConformance(t *testing.T) {
	img := testenv.NodeImage(t)
	p := newProvisioner(t)
	provtest.Run(t, p, provtest.Config{
		Image:    img.Ref,
		IDPrefix: prefix(),
		Timeout:  6 * time.Minute,
		Kill: func(t *testing.T, node string) {
			testenv.Run(t, context.Background(), "docker", "kill", node)
		},
		WhilePaused: func(t *testing.T, nodes []provisioner.Node) {
			// A paused node's cgroup uses no CPU: its usage counter stands still for 3 s.
			for _, n := range nodes {
				first := cpuUsage(t, n.Name())
				time.Sleep(3 * time.Second)
				if again := cpuUsage(t, n.Name()); again != first {
					t.Errorf("paused node %s used CPU: %d -> %d ns", n.Name(), first, again)
				}
			}
		},
	})
}

// cpuUsage reads a container's CPU time (ns) from its cgroup (v1 cgroupfs layout, or v2).
func cpuUsage(t *testing.T, name string) uint64 {
	t.Helper()
	script := `id=$(docker inspect -f '{{.Id}}' "$1")
for f in /sys/fs/cgroup/cpuacct/docker/$id/cpuacct.usage /sys/fs/cgroup/cpu,cpuacct/docker/$id/cpuacct.usage; do
  [ -r "$f" ] && exec cat "$f"
done
for f in /sys/fs/cgroup/system.slice/docker-$id.scope/cpu.stat /sys/fs/cgroup/docker/$id/cpu.stat; do
  [ -r "$f" ] && exec awk '/usage_usec/{printf "%d\n", $2*1000}' "$f"
done`
	raw := testenv.Run(t, context.Background(), "sh", "-c", script, "sh", name)
	var v uint64
	if _, err := fmt.Sscan(raw, &v); err != nil {
		t.Fatalf("reading %s's CPU time: %q: %v", name, raw, err)
	}
	return v
}

func sh(t *testing.T, ctx context.Context, n provisioner.Node, script string) (string, error) {
	t.Helper()
	res, err := n.Exec(ctx, []string{"bash", "-c", script}, provisioner.ExecOptions{})
	if res == nil {
		return "", err
	}
	return string(res.Stdout) + string(res.Stderr), err
}

func nodeIP(t *testing.T, ctx context.Context, n provisioner.Node) string {
	out, err := sh(t, ctx, n, "hostname -i | awk '{print $1}'")
	if err != nil {
		t.Fatalf("ip of %s: %v %s", n.Name(), err, out)
	}
	return strings.TrimSpace(out)
}

// Two clusters made at the same time get networks of their own and cannot reach each other or the host.
func TestParallelClustersAreIsolated(t *testing.T) {
	img := testenv.NodeImage(t)
	p := newProvisioner(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	pre := prefix()
	ids := []string{pre + "a", pre + "b"}
	clusters := make([]*provisioner.Cluster, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			clusters[i], errs[i] = p.Create(ctx, provisioner.Spec{ID: ids[i], Mode: provisioner.ModeKind, Image: img.Ref}, nil)
		}(i)
	}
	wg.Wait()
	for _, id := range ids {
		t.Cleanup(func() { _ = p.Delete(context.Background(), id) })
	}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("create %s: %v", ids[i], err)
		}
	}
	t.Logf("two kind clusters in parallel: %s", time.Since(start).Round(time.Second))
	if clusters[0].Network == clusters[1].Network {
		t.Fatalf("both clusters on network %s", clusters[0].Network)
	}
	a, b := clusters[0].Nodes[0], clusters[1].Nodes[0]
	for _, c := range clusters {
		out, err := sh(t, ctx, c.Nodes[0], "kubectl --kubeconfig=/etc/kubernetes/admin.conf get nodes --no-headers")
		if err != nil || !strings.Contains(out, " Ready ") {
			t.Errorf("%s: kubectl get nodes: %v\n%s", c.ID, err, out)
		}
	}
	bIP := nodeIP(t, ctx, b)
	// Positive control: a node reaches its own API server by its address.
	if out, err := sh(t, ctx, a, fmt.Sprintf("nc -z -w 3 %s 6443", nodeIP(t, ctx, a))); err != nil {
		t.Fatalf("a node cannot reach its own API server, so the checks below prove nothing: %v %s", err, out)
	}
	if out, err := sh(t, ctx, a, "ping -c 1 -W 2 "+bIP); err == nil {
		t.Errorf("%s pinged %s of another session:\n%s", a.Name(), bIP, out)
	}
	for _, port := range []string{"6443", "10250"} {
		if out, err := sh(t, ctx, a, fmt.Sprintf("nc -z -w 3 %s %s", bIP, port)); err == nil {
			t.Errorf("%s reached %s:%s of another session: %s", a.Name(), bIP, port, out)
		}
	}

	// A cluster's own ranges never leave its network: an address of the Service or pod range that
	// no rule in the node takes (here, a Service that does not exist) is refused at once, as it is
	// when the API server connects to a new Service before kube-proxy has set it up.
	// Both clusters: Docker puts a newer network's rules above older ones in FORWARD.
	for _, c := range clusters {
		for _, addr := range []string{"10.96.250.250", "10.244.250.250"} {
			out, _ := sh(t, ctx, c.Nodes[0], "curl -sk --max-time 5 -o /dev/null https://"+addr+"/; echo rc=$?")
			if !strings.Contains(out, "rc=7") {
				t.Errorf("%s: a connection to %s of the cluster's own ranges was not refused (curl: %s)", c.Nodes[0].Name(), addr, strings.TrimSpace(out))
			}
		}
	}

	// A server on the host (as kubeplay's own would be): nodes cannot open connections to it.
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "host") })}
	go srv.Serve(ln)
	defer srv.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	gw, err := sh(t, ctx, a, "ip -4 route show default | awk '{print $3}'")
	if err != nil {
		t.Fatal(err)
	}
	hostAddrs := []string{strings.TrimSpace(gw)}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, ad := range addrs {
			if ipn, ok := ad.(*net.IPNet); ok && ipn.IP.To4() != nil && !ipn.IP.IsLoopback() {
				hostAddrs = append(hostAddrs, ipn.IP.String())
			}
		}
	}
	for _, h := range hostAddrs {
		if out, err := sh(t, ctx, a, fmt.Sprintf("curl -s --max-time 3 http://%s:%d/", h, port)); err == nil {
			t.Errorf("a node reached the host's port %d at %s: %q", port, h, out)
		}
	}
}

// The student's path in kubeadm mode: init on node1, join node2, apply the carried CNI; both nodes
// become Ready and a pod runs on node2.
func TestKubeadmStudentPath(t *testing.T) {
	img := testenv.NodeImage(t)
	p := newProvisioner(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	id := prefix() + "s"
	start := time.Now()
	c, err := p.Create(ctx, provisioner.Spec{ID: id, Mode: provisioner.ModeKubeadm, Workers: 1, Image: img.Ref}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Delete(context.Background(), id) })
	t.Logf("2 bare nodes booted in %s", time.Since(start).Round(100*time.Millisecond))
	n1, n2 := c.Nodes[0], c.Nodes[1]
	out, err := sh(t, ctx, n1, "kubeadm init --pod-network-cidr=10.244.0.0/16 --apiserver-advertise-address=$(hostname -i | awk '{print $1}') 2>&1")
	if err != nil {
		t.Fatalf("kubeadm init: %v\n%s", err, out)
	}
	join, err := sh(t, ctx, n1, "kubeadm token create --print-join-command")
	if err != nil {
		t.Fatalf("join command: %v %s", err, join)
	}
	if out, err := sh(t, ctx, n2, strings.TrimSpace(join)+" 2>&1"); err != nil {
		t.Fatalf("kubeadm join: %v\n%s", err, out)
	}
	kc := "mkdir -p ~/.kube && cp /etc/kubernetes/admin.conf ~/.kube/config && "
	if out, err := sh(t, ctx, n1, kc+"kubectl apply -f /opt/kubeplay/cni.yaml"); err != nil {
		t.Fatalf("apply CNI: %v\n%s", err, out)
	}
	if out, err := sh(t, ctx, n1, "kubectl wait --for=condition=Ready node --all --timeout=180s"); err != nil {
		d, _ := sh(t, ctx, n1, "kubectl get nodes -o wide; kubectl get pods -A -o wide")
		t.Fatalf("nodes not Ready: %v\n%s\n%s", err, out, d)
	}
	if out, err := sh(t, ctx, n1, "kubectl run web --image=nginx --overrides='{\"spec\":{\"nodeName\":\"node2\"}}' && kubectl wait --for=condition=Ready pod/web --timeout=180s"); err != nil {
		d, _ := sh(t, ctx, n1, "kubectl describe pod web")
		t.Fatalf("pod on node2: %v\n%s\n%s", err, out, d)
	}
	t.Logf("kubeadm path done in %s", time.Since(start).Round(time.Second))
}

// Cancelling a create halfway leaves nothing behind.
func TestCancelledCreateLeavesNothing(t *testing.T) {
	img := testenv.NodeImage(t)
	p := newProvisioner(t)
	id := prefix() + "c"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := p.Create(ctx, provisioner.Spec{ID: id, Mode: provisioner.ModeKind, Image: img.Ref}, func(s provisioner.Stage) {
		if s.Name == "nodes" || s.Name == "configuration" {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	bg := context.Background()
	for _, args := range [][]string{
		{"ps", "-aq", "--filter", "label=io.x-k8s.kind.cluster=kp-" + id},
		{"ps", "-aq", "--filter", "label=io.kubeplay.cluster=" + id},
		{"network", "ls", "-q", "--filter", "name=kubeplay-" + id},
	} {
		if out := strings.TrimSpace(testenv.Run(t, bg, "docker", args...)); out != "" {
			t.Errorf("left behind (docker %s): %s", strings.Join(args, " "), out)
		}
	}
}

// A fresh provisioner (a restarted server) finds the clusters made before and can use them.
func TestReadoptAfterRestart(t *testing.T) {
	img := testenv.NodeImage(t)
	p1 := newProvisioner(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	id := prefix() + "r"
	if _, err := p1.Create(ctx, provisioner.Spec{ID: id, Mode: provisioner.ModeKubeadm, Image: img.Ref, Labels: map[string]string{"class": "x"}}, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p1.Delete(context.Background(), id) })
	p1.Close()
	p2 := newProvisioner(t)
	list, err := p2.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found *provisioner.Cluster
	for _, c := range list {
		if c.ID == id {
			found = c
		}
	}
	if found == nil || len(found.Nodes) != 1 || found.Labels["class"] != "x" || found.Mode != provisioner.ModeKubeadm || found.Created.IsZero() {
		t.Fatalf("not re-adopted: %+v", found)
	}
	if out, err := sh(t, ctx, found.Nodes[0], "hostname"); err != nil || strings.TrimSpace(out) != "node1" {
		t.Errorf("exec after re-adoption: %q %v", out, err)
	}
}

// With the engine gone every call says so, and nothing panics.
func TestEngineDown(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	p, err := local.New(local.Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := p.Create(ctx, provisioner.Spec{ID: "down", Mode: provisioner.ModeKind, Image: "x"}, nil); !errors.Is(err, provisioner.ErrEngineDown) {
		t.Errorf("create: %v", err)
	}
	if _, err := p.List(ctx); !errors.Is(err, provisioner.ErrEngineDown) {
		t.Errorf("list: %v", err)
	}
	if _, err := p.Get(ctx, "down"); !errors.Is(err, provisioner.ErrEngineDown) {
		t.Errorf("get: %v", err)
	}
	if _, err := p.Health(ctx, "down"); !errors.Is(err, provisioner.ErrEngineDown) {
		t.Errorf("health: %v", err)
	}
	if err := p.Delete(ctx, "down"); !errors.Is(err, provisioner.ErrEngineDown) {
		t.Errorf("delete: %v", err)
	}
}

// Delete leaves no container, network, volume or file behind; limits are on every node.
func TestDeleteLeavesNothingAndLimitsApply(t *testing.T) {
	img := testenv.NodeImage(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	state := t.TempDir()
	p, err := local.New(local.Options{StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	count := func(args ...string) map[string]bool {
		set := map[string]bool{}
		for _, l := range strings.Fields(testenv.Run(t, ctx, "docker", args...)) {
			set[l] = true
		}
		return set
	}
	before := [][]string{{"ps", "-aq"}, {"network", "ls", "-q"}, {"volume", "ls", "-q"}}
	snap := make([]map[string]bool, len(before))
	for i, a := range before {
		snap[i] = count(a...)
	}
	pre := prefix()
	for _, spec := range []provisioner.Spec{
		{ID: pre + "dk", Mode: provisioner.ModeKind, Image: img.Ref, Limits: provisioner.Limits{MemoryBytes: 1 << 30, CPUs: 1, PIDs: 2000}},
		{ID: pre + "db", Mode: provisioner.ModeKubeadm, Workers: 1, Image: img.Ref, Limits: provisioner.Limits{MemoryBytes: 1 << 30, CPUs: 1, PIDs: 2000}},
	} {
		c, err := p.Create(ctx, spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range c.Nodes {
			got := strings.TrimSpace(testenv.Run(t, ctx, "docker", "inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}", n.Name()))
			if got != "1073741824 1000000000 2000" {
				t.Errorf("%s limits: %s", n.Name(), got)
			}
		}
		if spec.Mode == provisioner.ModeKind {
			if _, err := os.Stat(c.Kubeconfig); err != nil {
				t.Errorf("kubeconfig: %v", err)
			}
		}
		start := time.Now()
		if err := p.Delete(ctx, spec.ID); err != nil {
			t.Fatal(err)
		}
		t.Logf("delete %s (%d nodes): %s", spec.Mode, len(c.Nodes), time.Since(start).Round(10*time.Millisecond))
		if _, err := os.Stat(filepath.Join(state, spec.ID)); !os.IsNotExist(err) {
			t.Errorf("files left in %s", filepath.Join(state, spec.ID))
		}
	}
	for i, a := range before {
		for id := range count(a...) {
			if !snap[i][id] {
				t.Errorf("left behind (docker %s): %s", strings.Join(a, " "), id)
			}
		}
	}
}
