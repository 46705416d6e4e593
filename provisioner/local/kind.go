package local

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/kind/pkg/cluster"
	kindcmd "sigs.k8s.io/kind/pkg/cmd"

	"github.com/kubeplay/kubeplay/internal/lines"
	"github.com/kubeplay/kubeplay/provisioner"
)

// ChildEnv, set to "1", makes a program that calls ChildMain run one kind create and exit. The
// parent passes the session's network in KIND_EXPERIMENTAL_DOCKER_NETWORK, which kind reads from the
// process environment: one process per create keeps sessions' networks apart.
const ChildEnv = "KUBEPLAY_KIND_CHILD"

// ChildMain runs `kind create cluster` with kind as a library and returns the exit code.
// Arguments: --name --image --workers --kubeconfig --wait.
func ChildMain(args []string) int {
	fs := flag.NewFlagSet("kind-create", flag.ContinueOnError)
	name := fs.String("name", "", "kind cluster name")
	image := fs.String("image", "", "node image")
	workers := fs.Int("workers", 0, "workers")
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig file to write")
	wait := fs.Duration("wait", 3*time.Minute, "wait for the control plane to be ready")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if os.Getenv("KIND_EXPERIMENTAL_DOCKER_NETWORK") == "" {
		fmt.Fprintln(os.Stderr, "kind-create: KIND_EXPERIMENTAL_DOCKER_NETWORK is not set")
		return 2
	}
	cfg := &v1alpha4.Cluster{Nodes: []v1alpha4.Node{{Role: v1alpha4.ControlPlaneRole}}}
	for i := 0; i < *workers; i++ {
		cfg.Nodes = append(cfg.Nodes, v1alpha4.Node{Role: v1alpha4.WorkerRole})
	}
	cfg.KubeadmConfigPatches = classroomTuning
	p := cluster.NewProvider(cluster.ProviderWithDocker(), cluster.ProviderWithLogger(kindcmd.NewLogger()))
	err := p.Create(*name,
		cluster.CreateWithNodeImage(*image),
		cluster.CreateWithV1Alpha4Config(cfg),
		cluster.CreateWithKubeconfigPath(*kubeconfig),
		cluster.CreateWithWaitForReady(*wait),
		cluster.CreateWithDisplayUsage(false),
		cluster.CreateWithDisplaySalutation(false),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kind-create:", err)
		return 1
	}
	return 0
}

// classroomTuning makes an idle cluster cheaper, since a classroom host runs many: with one control
// plane there is nobody to elect, so the controller manager and scheduler stop renewing leader leases
// every 2 s; etcd's single member ticks less often and does not fsync every write (a playground's
// cluster is thrown away, and the waits for the disk are most of an idle cluster's load); the kubelet
// collects container stats and reports node status less often. (kind v0.33 writes kubeadm's v1beta3 configuration for Kubernetes v1.34:
// extraArgs are maps.)
var classroomTuning = []string{`kind: ClusterConfiguration
apiServer:
  extraArgs:
    enable-priority-and-fairness: "false"
controllerManager:
  extraArgs:
    leader-elect: "false"
    node-monitor-period: "15s"
scheduler:
  extraArgs:
    leader-elect: "false"
etcd:
  local:
    extraArgs:
      heartbeat-interval: "1000"
      election-timeout: "10000"
      unsafe-no-fsync: "true"
`, `kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
    housekeeping-interval: "30s"
`, `kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    housekeeping-interval: "30s"
`, `kind: KubeletConfiguration
nodeStatusUpdateFrequency: 20s
nodeStatusReportFrequency: 5m
nodeLeaseDurationSeconds: 60
`}

// kindStages maps kind's status lines to progress stages.
var kindStages = []struct{ marker, stage string }{
	{"Ensuring node image", "image"},
	{"Preparing nodes", "nodes"},
	{"Writing configuration", "configuration"},
	{"Starting control-plane", "control plane"},
	{"Installing CNI", "network"},
	{"Installing StorageClass", "storage"},
	{"Joining worker nodes", "workers"},
	{"Waiting", "waiting"},
}

func (p *Provisioner) createKind(ctx context.Context, spec provisioner.Spec, report func(stage, msg string)) error {
	kubeconfig := p.kubeconfigPath(spec.ID)
	if err := os.MkdirAll(filepath.Dir(kubeconfig), 0o700); err != nil {
		return err
	}
	args := append(append([]string(nil), p.opts.KindCommand[1:]...),
		"--name", kindName(spec.ID), "--image", spec.Image, "--workers", fmt.Sprint(spec.Workers),
		"--kubeconfig", kubeconfig, "--wait", "3m")
	cmd := exec.Command(p.opts.KindCommand[0], args...)
	cmd.Env = append(os.Environ(), ChildEnv+"=1", "KIND_EXPERIMENTAL_DOCKER_NETWORK="+networkName(spec.ID))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var mu sync.Mutex
	var last []string // kind's last lines, for the error
	lw := &lines.Writer{Fn: func(line string) {
		mu.Lock()
		last = append(last, line)
		if len(last) > 40 {
			last = last[1:]
		}
		mu.Unlock()
		for _, s := range kindStages {
			if strings.Contains(line, s.marker) {
				report(s.stage, strings.TrimSpace(strings.Trim(line, " ✓•✗")))
			}
		}
	}}
	cmd.Stdout, cmd.Stderr = lw, lw
	report("kind", "creating a cluster of "+fmt.Sprint(spec.Workers+1)+" nodes with kind")
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		lw.Flush()
		if err != nil {
			mu.Lock()
			defer mu.Unlock()
			return fmt.Errorf("kind create: %v\n%s", err, strings.Join(last, "\n"))
		}
		return nil
	case <-ctx.Done():
		// Stop kind and everything it started; the caller removes what it made.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return ctx.Err()
	}
}
