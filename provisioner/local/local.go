// Package local is the Provisioner on the local Docker engine: a Docker network per session, node
// containers made by kind (each create in a subprocess of its own, since kind reads its network from
// the process environment and has no context) or, for the kubeadm lesson, bare node containers made
// here. Labels on the network and containers let a restarted server find its clusters again.
package local

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"

	"github.com/kubeplay/kubeplay/provisioner"
)

// Version is recorded on everything this package makes.
var Version = "dev"

// kindClusterLabel is kind's own label on its node containers.
const kindClusterLabel = "io.x-k8s.kind.cluster"

// Options configure the provisioner.
type Options struct {
	// StateDir keeps each cluster's kubeconfig (default: the user's cache dir + /kubeplay/clusters).
	StateDir string
	// KindCommand runs a kind create in a subprocess: argv of a program whose main calls ChildMain
	// when ChildEnv is set (default: this executable).
	KindCommand []string
	// Guard isolates session networks from the host; nil uses host iptables (HostGuard).
	Guard Guard
	Log   *slog.Logger
	Now   func() time.Time
}

// Provisioner implements provisioner.Provisioner on a local Docker engine.
type Provisioner struct {
	docker *client.Client
	opts   Options
}

// New connects to the engine named by the environment (DOCKER_HOST, or the local socket).
func New(opts Options) (*Provisioner, error) {
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, err
	}
	if opts.StateDir == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			d = os.TempDir()
		}
		opts.StateDir = filepath.Join(d, "kubeplay", "clusters")
	}
	if opts.KindCommand == nil {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		opts.KindCommand = []string{exe}
	}
	if opts.Guard == nil {
		opts.Guard = HostGuard{}
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Provisioner{docker: cli, opts: opts}, nil
}

// Close releases the engine connection.
func (p *Provisioner) Close() error { return p.docker.Close() }

// Ping checks that the engine answers.
func (p *Provisioner) Ping(ctx context.Context) error {
	if _, err := p.docker.Ping(ctx); err != nil {
		return fmt.Errorf("%w: %v", provisioner.ErrEngineDown, err)
	}
	return nil
}

func networkName(id string) string     { return "kubeplay-" + id }
func kindName(id string) string        { return "kp-" + id }
func bareName(id string, i int) string { return fmt.Sprintf("kp-%s-node%d", id, i) }

func (p *Provisioner) kubeconfigPath(id string) string {
	return filepath.Join(p.opts.StateDir, id, "kubeconfig")
}

// Create makes a cluster. On any failure, and when ctx is cancelled, whatever it made is removed.
func (p *Provisioner) Create(ctx context.Context, spec provisioner.Spec, progress func(provisioner.Stage)) (c *provisioner.Cluster, err error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if err := p.Ping(ctx); err != nil {
		return nil, err
	}
	// Something on the host may have lowered the inotify limits since start (an older node image's
	// systemd-sysctl did, at every node boot): check them before each create.
	if changed, err := RaiseHostLimits(); err == nil && len(changed) > 0 {
		p.opts.Log.Warn("host limits had gone down again; raised", "changed", changed)
	}
	report := func(stage, msg string) {
		p.opts.Log.Info("create", "session", spec.ID, "stage", stage, "msg", msg)
		if progress != nil {
			progress(provisioner.Stage{Name: stage, Message: msg, At: p.opts.Now()})
		}
	}
	if _, err := p.docker.NetworkInspect(ctx, networkName(spec.ID), network.InspectOptions{}); err == nil {
		return nil, fmt.Errorf("%w: cluster %s exists", provisioner.ErrInvalidSpec, spec.ID)
	}
	defer func() {
		if err != nil {
			// Clean up with a fresh context: the caller's may be the reason we stop.
			cleanup, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if derr := p.Delete(cleanup, spec.ID); derr != nil {
				p.opts.Log.Error("cleanup after a failed create", "session", spec.ID, "err", derr)
			}
		}
	}()
	created := p.opts.Now().UTC()
	labels := map[string]string{
		provisioner.LabelManaged: "true",
		provisioner.LabelCluster: spec.ID,
		provisioner.LabelMode:    string(spec.Mode),
		provisioner.LabelVersion: Version,
		provisioner.LabelImage:   spec.Image,
		provisioner.LabelCreated: created.Format(time.RFC3339),
	}
	for k, v := range spec.Labels {
		labels[k] = v
	}
	report("network", "creating network "+networkName(spec.ID))
	netResp, err := p.docker.NetworkCreate(ctx, networkName(spec.ID), network.CreateOptions{
		Driver: "bridge", Labels: labels,
		Options: map[string]string{"com.docker.network.bridge.enable_ip_masquerade": "true"},
	})
	if err != nil {
		return nil, engineErr(fmt.Errorf("network: %w", err))
	}
	if err := p.opts.Guard.Isolate(ctx, netResp.ID); err != nil {
		return nil, fmt.Errorf("isolating the session network: %w", err)
	}
	switch spec.Mode {
	case provisioner.ModeKind:
		err = p.createKind(ctx, spec, report)
	case provisioner.ModeKubeadm:
		err = p.createBare(ctx, spec, labels, report)
	}
	if err != nil {
		return nil, err
	}
	c, err = p.Get(ctx, spec.ID)
	if err != nil {
		return nil, err
	}
	if spec.Mode == provisioner.ModeKind {
		// One CoreDNS replica is plenty for a lesson and halves its idle cost.
		if _, err := c.Nodes[0].Exec(ctx, []string{"kubectl", "--kubeconfig=/etc/kubernetes/admin.conf", "-n", "kube-system", "scale", "deployment", "coredns", "--replicas=1"}, provisioner.ExecOptions{}); err != nil {
			return nil, fmt.Errorf("scaling CoreDNS: %w", err)
		}
	}
	report("limits", "capping memory, CPU and processes per node")
	for _, n := range c.Nodes {
		if err := p.limit(ctx, n.Name(), spec.Limits); err != nil {
			return nil, err
		}
	}
	report("ready", fmt.Sprintf("%d nodes ready", len(c.Nodes)))
	return c, nil
}

func (p *Provisioner) limit(ctx context.Context, name string, l provisioner.Limits) error {
	pids := l.PIDs
	_, err := p.docker.ContainerUpdate(ctx, name, container.UpdateConfig{Resources: container.Resources{
		Memory: l.MemoryBytes, MemorySwap: l.MemoryBytes, NanoCPUs: int64(l.CPUs * 1e9), PidsLimit: &pids,
	}})
	if err != nil {
		return engineErr(fmt.Errorf("limits on %s: %w", name, err))
	}
	return nil
}

// Get finds a cluster by id from the engine's labels.
func (p *Provisioner) Get(ctx context.Context, id string) (*provisioner.Cluster, error) {
	nw, err := p.docker.NetworkInspect(ctx, networkName(id), network.InspectOptions{})
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return nil, fmt.Errorf("%w: %s", provisioner.ErrNotFound, id)
		}
		return nil, engineErr(err)
	}
	if nw.Labels[provisioner.LabelManaged] != "true" {
		return nil, fmt.Errorf("%w: %s (network not made by kubeplay)", provisioner.ErrNotFound, id)
	}
	return p.cluster(ctx, nw.Labels)
}

func (p *Provisioner) cluster(ctx context.Context, labels map[string]string) (*provisioner.Cluster, error) {
	id := labels[provisioner.LabelCluster]
	c := &provisioner.Cluster{
		ID: id, Mode: provisioner.Mode(labels[provisioner.LabelMode]), Network: networkName(id),
		Image: labels[provisioner.LabelImage], Labels: map[string]string{},
	}
	c.Created, _ = time.Parse(time.RFC3339, labels[provisioner.LabelCreated])
	for k, v := range labels {
		if !strings.HasPrefix(k, "io.kubeplay.") {
			c.Labels[k] = v
		}
	}
	f := filters.NewArgs()
	if c.Mode == provisioner.ModeKind {
		f.Add("label", kindClusterLabel+"="+kindName(id))
		if _, err := os.Stat(p.kubeconfigPath(id)); err == nil {
			c.Kubeconfig = p.kubeconfigPath(id)
		}
	} else {
		f.Add("label", provisioner.LabelCluster+"="+id)
	}
	list, err := p.docker.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return nil, engineErr(err)
	}
	paused := 0
	for _, ct := range list {
		if ct.State == container.StatePaused {
			paused++
		}
		name := strings.TrimPrefix(ct.Names[0], "/")
		n := &node{docker: p.docker, name: name, host: name}
		switch {
		case c.Mode == provisioner.ModeKubeadm:
			n.role = provisioner.RoleNode
			n.host = ct.Labels[labelHostname]
		case ct.Labels["io.x-k8s.kind.role"] == "control-plane":
			n.role = provisioner.RoleControlPlane
		default:
			n.role = provisioner.RoleWorker
		}
		c.Nodes = append(c.Nodes, n)
	}
	c.Paused = paused > 0 && paused == len(list)
	sort.Slice(c.Nodes, func(i, j int) bool {
		ri, rj := c.Nodes[i].Role() == provisioner.RoleControlPlane, c.Nodes[j].Role() == provisioner.RoleControlPlane
		if ri != rj {
			return ri
		}
		return c.Nodes[i].Name() < c.Nodes[j].Name()
	})
	return c, nil
}

// List finds every cluster kubeplay made on this engine.
func (p *Provisioner) List(ctx context.Context) ([]*provisioner.Cluster, error) {
	nets, err := p.docker.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("label", provisioner.LabelManaged+"=true"))})
	if err != nil {
		return nil, engineErr(err)
	}
	var out []*provisioner.Cluster
	for _, n := range nets {
		c, err := p.cluster(ctx, n.Labels)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Delete removes a cluster's containers (with their volumes), its network, its host isolation rules
// and its files. Deleting what is already gone is not an error.
func (p *Provisioner) Delete(ctx context.Context, id string) error {
	var errs []error
	for _, label := range []string{kindClusterLabel + "=" + kindName(id), provisioner.LabelCluster + "=" + id} {
		list, err := p.docker.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", label))})
		if err != nil {
			return engineErr(err)
		}
		for _, ct := range list {
			if err := p.docker.ContainerRemove(ctx, ct.ID, container.RemoveOptions{Force: true, RemoveVolumes: true}); err != nil && !cerrdefs.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("remove %s: %w", ct.Names[0], err))
			}
		}
	}
	nw, err := p.docker.NetworkInspect(ctx, networkName(id), network.InspectOptions{})
	switch {
	case err == nil:
		if gerr := p.opts.Guard.Release(ctx, nw.ID); gerr != nil {
			errs = append(errs, gerr)
		}
		if err := p.docker.NetworkRemove(ctx, nw.ID); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove network: %w", err))
		}
	case !cerrdefs.IsNotFound(err):
		errs = append(errs, engineErr(err))
	}
	if err := os.RemoveAll(filepath.Join(p.opts.StateDir, id)); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Health reports each node: is the container running, is the kubelet active.
func (p *Provisioner) Health(ctx context.Context, id string) ([]provisioner.NodeHealth, error) {
	c, err := p.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []provisioner.NodeHealth
	for _, n := range c.Nodes {
		h := provisioner.NodeHealth{Node: n.Name(), CheckedAt: p.opts.Now()}
		ins, err := p.docker.ContainerInspect(ctx, n.Name())
		if err != nil {
			return nil, engineErr(err)
		}
		h.Running = ins.State != nil && ins.State.Running
		if !h.Running {
			h.Problem = "the node container has stopped"
			if ins.State != nil && ins.State.OOMKilled {
				h.Problem = "the node ran out of memory and stopped"
			}
			out = append(out, h)
			continue
		}
		if ins.State.Paused {
			h.Paused, h.Problem = true, "the node is paused"
			out = append(out, h)
			continue
		}
		probe, cancel := context.WithTimeout(ctx, 5*time.Second)
		res, err := n.Exec(probe, []string{"systemctl", "is-active", "kubelet"}, provisioner.ExecOptions{})
		cancel()
		if res != nil {
			h.Kubelet = strings.TrimSpace(string(res.Stdout))
		}
		switch {
		case res == nil && err != nil:
			h.Problem = "the node does not answer: " + err.Error()
		case h.Kubelet == "failed":
			h.Problem = "the kubelet has failed"
		case c.Mode == provisioner.ModeKind && h.Kubelet != "active":
			h.Problem = "the kubelet is " + h.Kubelet
		}
		out = append(out, h)
	}
	return out, nil
}
