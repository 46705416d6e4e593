package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"

	"github.com/kubeplay/kubeplay/provisioner"
)

// Removed counts what Cleanup removed.
type Removed struct {
	Clusters, Containers, Networks, Volumes int
}

// Cleanup removes everything kubeplay made on the engine and only that: every cluster (containers
// with their volumes, networks, isolation rules, kubeconfigs), then whatever a crash left behind
// without its cluster: containers and networks with kubeplay's label, kind node containers of a
// kubeplay cluster (kind cluster names "kp-…"), volumes with kubeplay's label. Images stay (they are
// rebuilt only in half an hour), and so does the server's own container and data.
func (p *Provisioner) Cleanup(ctx context.Context) (Removed, error) {
	var r Removed
	var errs []error
	list, err := p.List(ctx)
	if err != nil {
		return r, err
	}
	for _, c := range list {
		if err := p.Delete(ctx, c.ID); err != nil {
			errs = append(errs, fmt.Errorf("cluster %s: %w", c.ID, err))
			continue
		}
		r.Clusters++
	}
	for _, f := range []filters.Args{
		filters.NewArgs(filters.Arg("label", provisioner.LabelManaged+"=true")),
		filters.NewArgs(filters.Arg("label", provisioner.LabelCluster)),
		filters.NewArgs(filters.Arg("label", kindClusterLabel)),
	} {
		cts, err := p.docker.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
		if err != nil {
			return r, engineErr(err)
		}
		for _, ct := range cts {
			if kc, ok := ct.Labels[kindClusterLabel]; ok && !strings.HasPrefix(kc, "kp-") {
				continue // another kind cluster on this engine: not ours
			}
			if err := p.docker.ContainerRemove(ctx, ct.ID, container.RemoveOptions{Force: true, RemoveVolumes: true}); err != nil {
				if !cerrdefs.IsNotFound(err) {
					errs = append(errs, err)
				}
				continue
			}
			r.Containers++
		}
	}
	nets, err := p.docker.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("label", provisioner.LabelManaged+"=true"))})
	if err != nil {
		return r, engineErr(err)
	}
	for _, n := range nets {
		_ = p.opts.Guard.Release(ctx, n.ID)
		if err := p.docker.NetworkRemove(ctx, n.ID); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, err)
			continue
		}
		r.Networks++
	}
	vols, err := p.docker.VolumeList(ctx, volume.ListOptions{Filters: filters.NewArgs(filters.Arg("label", provisioner.LabelManaged+"=true"))})
	if err != nil {
		return r, engineErr(err)
	}
	for _, v := range vols.Volumes {
		if err := p.docker.VolumeRemove(ctx, v.Name, true); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, err)
			continue
		}
		r.Volumes++
	}
	if g, ok := p.opts.Guard.(HostGuard); ok {
		if err := g.RemoveChain(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if err := os.RemoveAll(p.opts.StateDir); err != nil {
		errs = append(errs, err)
	}
	return r, errors.Join(errs...)
}
