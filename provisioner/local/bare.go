package local

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"

	"github.com/kubeplay/kubeplay/provisioner"
)

const labelHostname = "io.kubeplay.hostname"

// nodeHostConfig is how a node container runs: privileged (it runs containerd), its own cgroup
// namespace, /tmp and /run on tmpfs for systemd, /var on a volume of its own (overlayfs cannot nest
// in the container's root), the host's kernel modules read-only.
func nodeHostConfig(l provisioner.Limits) *container.HostConfig {
	pids := l.PIDs
	return &container.HostConfig{
		Privileged:    true,
		CgroupnsMode:  container.CgroupnsModePrivate,
		SecurityOpt:   []string{"seccomp=unconfined", "apparmor=unconfined"},
		Tmpfs:         map[string]string{"/tmp": "", "/run": ""},
		Binds:         []string{"/lib/modules:/lib/modules:ro"},
		RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyUnlessStopped},
		Init:          new(bool),
		Resources: container.Resources{
			Memory: l.MemoryBytes, MemorySwap: l.MemoryBytes, NanoCPUs: int64(l.CPUs * 1e9), PidsLimit: &pids,
		},
	}
}

// createBare starts kubeadm-mode nodes: node1..nodeN with containerd and the kubelet installed and no
// cluster, reachable from each other by host name on the session's network.
func (p *Provisioner) createBare(ctx context.Context, spec provisioner.Spec, labels map[string]string, report func(stage, msg string)) error {
	n := spec.Workers + 1
	report("nodes", fmt.Sprintf("starting %d bare nodes", n))
	for i := 1; i <= n; i++ {
		host := fmt.Sprintf("node%d", i)
		l := map[string]string{labelHostname: host, provisioner.LabelRole: string(provisioner.RoleNode)}
		for k, v := range labels {
			l[k] = v
		}
		cfg := &container.Config{
			Image:    spec.Image,
			Hostname: host,
			Labels:   l,
			Tty:      true, // the entrypoint's messages go to the container log
			Volumes:  map[string]struct{}{"/var": {}},
		}
		netCfg := &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{
			networkName(spec.ID): {Aliases: []string{host}},
		}}
		name := bareName(spec.ID, i)
		if _, err := p.docker.ContainerCreate(ctx, cfg, nodeHostConfig(spec.Limits), netCfg, nil, name); err != nil {
			return engineErr(fmt.Errorf("create %s: %w", name, err))
		}
		if err := p.docker.ContainerStart(ctx, name, container.StartOptions{}); err != nil {
			return engineErr(fmt.Errorf("start %s: %w", name, err))
		}
	}
	report("boot", "waiting for systemd and containerd in every node")
	c, err := p.Get(ctx, spec.ID)
	if err != nil {
		return err
	}
	for _, nd := range c.Nodes {
		if err := waitBooted(ctx, nd); err != nil {
			return err
		}
	}
	return nil
}

// waitBooted waits until systemd has finished starting and containerd answers.
func waitBooted(ctx context.Context, n provisioner.Node) error {
	deadline := time.Now().Add(90 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		probe, cancel := context.WithTimeout(ctx, 5*time.Second)
		res, err := n.Exec(probe, []string{"sh", "-c", "systemctl is-system-running; systemctl is-active containerd"}, provisioner.ExecOptions{})
		cancel()
		if res != nil {
			last = strings.Join(strings.Fields(string(res.Stdout)), " ")
			if strings.HasPrefix(last, "running active") || strings.HasPrefix(last, "degraded active") {
				return nil
			}
		} else if err != nil {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return fmt.Errorf("node %s did not boot in 90 s (%s)", n.Name(), last)
}
