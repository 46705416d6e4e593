package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/kubeplay/kubeplay/provisioner/local"
)

// cleanupCmd removes everything kubeplay made on the Docker engine (see local.Cleanup).
type cleanupCmd struct {
	stdout, stderr io.Writer
	data           string
}

func (c *cleanupCmd) parse(args []string) error {
	fs := flag.NewFlagSet("kubeplay cleanup", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.StringVar(&c.data, "data", envOr("KUBEPLAY_DATA", defaultDataDir()), "the server's data directory, whose cluster files go too (env KUBEPLAY_DATA)")
	fs.Usage = func() {
		fmt.Fprint(c.stderr, "Usage: kubeplay cleanup [flags]\n\nRemoves everything kubeplay made on the Docker engine, and only that: every session's and\n"+
			"pool's cluster (node containers, their volumes, networks, isolation rules) and what a crash left\n"+
			"behind. Images, the server's container and its state database stay; sessions in it end at the\n"+
			"next start. Stop the server first.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("kubeplay cleanup takes no arguments")
	}
	return nil
}

func (c *cleanupCmd) Run(ctx context.Context) error {
	p, err := local.New(local.Options{StateDir: filepath.Join(c.data, "clusters")})
	if err != nil {
		return err
	}
	defer p.Close()
	if err := p.Ping(ctx); err != nil {
		return err
	}
	r, err := p.Cleanup(ctx)
	fmt.Fprintf(c.stdout, "removed %d clusters, %d containers, %d networks, %d volumes\n", r.Clusters, r.Containers, r.Networks, r.Volumes)
	return err
}
