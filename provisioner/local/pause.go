package local

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/provisioner"
)

// Pause freezes every node container of a cluster (docker pause: the cgroup freezer). A paused
// cluster uses no CPU; its memory stays, so Resume brings it back in seconds.
func (p *Provisioner) Pause(ctx context.Context, id string) error {
	c, err := p.Get(ctx, id)
	if err != nil {
		return err
	}
	var errs []error
	for _, n := range c.Nodes {
		ins, err := p.docker.ContainerInspect(ctx, n.Name())
		if err != nil {
			return engineErr(err)
		}
		if ins.State == nil || !ins.State.Running || ins.State.Paused {
			continue
		}
		if err := p.pauseOne(ctx, n.Name()); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// pauseOne pauses a container. The cgroup v1 freezer gives up ("unable to freeze") when the
// container's processes keep changing while it works — seen right after a cluster was made, while
// it was still starting pods — so a failed freeze is tried again a few times.
func (p *Provisioner) pauseOne(ctx context.Context, name string) error {
	var err error
	for attempt, delay := 0, 500*time.Millisecond; attempt < 5; attempt, delay = attempt+1, delay*2 {
		if err = p.docker.ContainerPause(ctx, name); err == nil || !strings.Contains(err.Error(), "unable to freeze") {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
	}
	if err != nil {
		return engineErr(fmt.Errorf("pause %s: %w", name, err))
	}
	return nil
}

// Resume thaws a cluster. Every node's kubelet is restarted (when it runs): after a pause the node
// lifecycle controller finds the leases stale and marks the nodes NotReady, and a kubelet left alone
// only reports again at its next status tick (20 s); a fresh kubelet reports at once. In kind mode
// Resume then waits for every node to be Ready.
func (p *Provisioner) Resume(ctx context.Context, id string) error {
	c, err := p.Get(ctx, id)
	if err != nil {
		return err
	}
	var errs []error
	thawed := 0
	for _, n := range c.Nodes {
		ins, err := p.docker.ContainerInspect(ctx, n.Name())
		if err != nil {
			return engineErr(err)
		}
		if ins.State == nil || !ins.State.Paused {
			continue
		}
		thawed++
		if err := p.docker.ContainerUnpause(ctx, n.Name()); err != nil {
			errs = append(errs, engineErr(fmt.Errorf("unpause %s: %w", n.Name(), err)))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if thawed == 0 {
		// Running already (or thawed by a resume that a crash interrupted): in kind mode make sure
		// the nodes are Ready, which costs one kubectl call when they are.
		if c.Mode == provisioner.ModeKind {
			return waitNodesReady(ctx, c.Nodes[0], len(c.Nodes))
		}
		return nil
	}
	var wg sync.WaitGroup
	restartErr := make([]error, len(c.Nodes))
	for i, n := range c.Nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, restartErr[i] = n.Exec(ctx, []string{"systemctl", "try-restart", "kubelet"}, provisioner.ExecOptions{})
		}()
	}
	wg.Wait()
	if err := errors.Join(restartErr...); err != nil {
		return fmt.Errorf("resume %s: restarting the kubelets: %w", id, err)
	}
	if c.Mode != provisioner.ModeKind {
		return nil
	}
	return waitNodesReady(ctx, c.Nodes[0], len(c.Nodes))
}

// waitNodesReady polls the control plane until want nodes report Ready.
func waitNodesReady(ctx context.Context, cp provisioner.Node, want int) error {
	var last string
	for {
		res, err := cp.Exec(ctx, []string{"kubectl", "--kubeconfig=/etc/kubernetes/admin.conf", "get", "nodes", "--no-headers"}, provisioner.ExecOptions{})
		if err == nil {
			last = string(res.Stdout)
			ready := 0
			for _, l := range strings.Split(last, "\n") {
				if f := strings.Fields(l); len(f) > 1 && f[1] == "Ready" {
					ready++
				}
			}
			if ready >= want {
				return nil
			}
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the nodes to be Ready: %w (last: %s)", ctx.Err(), strings.TrimSpace(last))
		case <-time.After(200 * time.Millisecond):
		}
	}
}
