package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/provisioner/nodeimage"
)

type imageCmd struct {
	stdout, stderr io.Writer
	action         string
	opts           nodeimage.Options
	progress       bool
	stages         stringList
	tag            string
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func (c *imageCmd) parse(args []string) error {
	fs := flag.NewFlagSet("kubeplay image "+c.action, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	d := nodeimage.Defaults()
	fs.StringVar(&c.opts.CacheDir, "cache", nodeimage.DefaultCacheDir(), "directory of the build cache (env KUBEPLAY_CACHE)")
	fs.StringVar(&c.opts.Mirror, "mirror", "", "Debian mirror (default: the one this host's apt uses)")
	fs.StringVar(&c.opts.Kubernetes, "kubernetes-version", d.Kubernetes, "Kubernetes version (k8s.io/kubernetes module version)")
	fs.StringVar(&c.opts.Etcd, "etcd-version", d.Etcd, "etcd version (go.etcd.io/etcd/server/v3)")
	fs.StringVar(&c.opts.CoreDNS, "coredns-version", d.CoreDNS, "CoreDNS version")
	fs.StringVar(&c.opts.Pause, "pause-version", d.Pause, "tag of the pause image kubeadm asks for")
	fs.StringVar(&c.opts.CriTools, "crictl-version", d.CriTools, "crictl version (sigs.k8s.io/cri-tools)")
	fs.StringVar(&c.opts.CNIPlugins, "cni-plugins-version", d.CNIPlugins, "CNI plugins version")
	fs.StringVar(&c.opts.LocalPath, "local-path-version", d.LocalPath, "local-path-provisioner version")
	fs.StringVar(&c.opts.NodeImageRepo, "repository", d.NodeImageRepo, "Docker repository of the node image")
	fs.BoolVar(&c.progress, "progress", true, "print each stage as it runs and how far it is")
	fs.Var(&c.stages, "stage", "build only this stage and what it needs (repeatable; default: the node image)")
	if c.action == "server" {
		fs.StringVar(&c.tag, "tag", "latest", "tag of the server image ("+ServerImageRepo+":TAG)")
	}
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "Usage: kubeplay image %s [flags]\n\n", c.action)
		if c.action == "build" {
			fmt.Fprint(c.stderr, "Builds, with Docker, Debian's mirror and the Go module proxy only, the node image\n"+
				"(kind-compatible, Kubernetes and every image it runs inside) and tags it REPOSITORY:KUBERNETES-VERSION.\n"+
				"Each stage is cached by the hash of its inputs; a rerun resumes from the last finished stage.\n\n")
		}
		if c.action == "server" {
			fmt.Fprint(c.stderr, "Builds the server image "+ServerImageRepo+":TAG for docker run (see README.md): the node image\n"+
				"and the docker CLI first (cached stages, as image build), then a static kubeplay from the repository\n"+
				"in the current directory, then the Dockerfile at its root, offline, FROM the local base image.\n\n")
		}
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch c.action {
	case "build", "status", "server":
		return nil
	}
	return fmt.Errorf("unknown image action %q (build, status, server)", c.action)
}

func (c *imageCmd) Run(ctx context.Context) error {
	var progress io.Writer
	if c.progress {
		progress = c.stderr
	}
	b, err := nodeimage.New(ctx, c.opts, progress)
	if err != nil {
		return err
	}
	if c.action == "status" {
		img, ok, err := b.Ready(ctx)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(c.stdout, "node image: missing (run: kubeplay image build)")
			return nil
		}
		fmt.Fprintf(c.stdout, "node image: %s (%s)\n", img.Ref, img.Stable)
		return nil
	}
	if c.action == "server" {
		return c.buildServerImage(ctx, b)
	}
	start := time.Now()
	stages := c.stages
	if len(stages) == 0 {
		stages = []string{"node"}
	}
	img, results, err := b.Build(ctx, stages...)
	if err != nil {
		return err
	}
	built := 0
	for _, r := range results {
		if !r.Cached {
			built++
		}
	}
	if img != nil {
		fmt.Fprintf(c.stdout, "node image: %s (also tagged %s); %d of %d stages built, %s\n",
			img.Ref, img.Stable, built, len(results), time.Since(start).Round(time.Second))
	} else {
		fmt.Fprintf(c.stdout, "%d of %d stages built, %s\n", built, len(results), time.Since(start).Round(time.Second))
	}
	return nil
}
