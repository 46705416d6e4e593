package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/provisioner/local"
	"github.com/kubeplay/kubeplay/provisioner/nodeimage"
)

// clusterCmd manages clusters by hand: what the server does for sessions, for an operator.
type clusterCmd struct {
	stdout, stderr io.Writer
	action         string
	spec           provisioner.Spec
	mode           string
	args           []string
}

func (c *clusterCmd) parse(args []string) error {
	fs := flag.NewFlagSet("kubeplay cluster "+c.action, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.StringVar(&c.mode, "mode", "kind", "kind (a ready cluster) or kubeadm (bare nodes)")
	fs.IntVar(&c.spec.Workers, "workers", 1, "kind: workers beside the control plane; kubeadm: nodes beyond node1")
	fs.StringVar(&c.spec.Image, "image", "", "node image (default: the one `kubeplay image build` made)")
	fs.Usage = func() {
		fmt.Fprint(c.stderr, "Usage:\n  kubeplay cluster create [flags] ID\n  kubeplay cluster list\n  kubeplay cluster health ID\n  kubeplay cluster delete ID...\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	c.args = fs.Args()
	switch c.action {
	case "create", "health":
		if len(c.args) != 1 {
			fs.Usage()
			return errUsage
		}
	case "delete":
		if len(c.args) == 0 {
			fs.Usage()
			return errUsage
		}
	case "list":
	default:
		fs.Usage()
		return errUsage
	}
	c.spec.Mode = provisioner.Mode(c.mode)
	return nil
}

func (c *clusterCmd) Run(ctx context.Context) error {
	p, err := local.New(local.Options{})
	if err != nil {
		return err
	}
	defer p.Close()
	switch c.action {
	case "create":
		if _, err := local.RaiseHostLimits(); err != nil {
			fmt.Fprintln(c.stderr, "kubeplay: warning:", err)
		}
		if c.spec.Image == "" {
			if c.spec.Image, err = builtNodeImage(ctx); err != nil {
				return err
			}
		}
		c.spec.ID = c.args[0]
		start := time.Now()
		cl, err := p.Create(ctx, c.spec, func(s provisioner.Stage) {
			fmt.Fprintf(c.stderr, "%6.1fs %-13s %s\n", time.Since(start).Seconds(), s.Name, s.Message)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "cluster %s ready in %s: %s\n", cl.ID, time.Since(start).Round(100*time.Millisecond), nodeNames(cl))
	case "list":
		list, err := p.List(ctx)
		if err != nil {
			return err
		}
		for _, cl := range list {
			fmt.Fprintf(c.stdout, "%s\t%s\t%s\t%s\n", cl.ID, cl.Mode, cl.Created.Format(time.RFC3339), nodeNames(cl))
		}
	case "health":
		hs, err := p.Health(ctx, c.args[0])
		if err != nil {
			return err
		}
		for _, h := range hs {
			state := "ok"
			if !h.Healthy() {
				state = h.Problem
			}
			fmt.Fprintf(c.stdout, "%s\trunning=%v\tkubelet=%s\t%s\n", h.Node, h.Running, h.Kubelet, state)
		}
	case "delete":
		for _, id := range c.args {
			start := time.Now()
			if err := p.Delete(ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "deleted %s in %s\n", id, time.Since(start).Round(100*time.Millisecond))
		}
	}
	return nil
}

func nodeNames(cl *provisioner.Cluster) string {
	var n []string
	for _, nd := range cl.Nodes {
		n = append(n, nd.Name())
	}
	return strings.Join(n, " ")
}

// builtNodeImage is the node image `kubeplay image build` made for this version.
func builtNodeImage(ctx context.Context) (string, error) {
	b, err := nodeimage.New(ctx, nodeimage.Options{}, nil)
	if err != nil {
		return "", err
	}
	img, ok, err := b.Ready(ctx)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("no node image: run kubeplay image build")
	}
	return img.Ref, nil
}
