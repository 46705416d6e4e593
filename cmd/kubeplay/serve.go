package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/kubeplay/kubeplay/provisioner/nodeimage"
	"github.com/kubeplay/kubeplay/server"
)

type serveCmd struct {
	stderr io.Writer
	addr   string
	opts   nodeimage.Options
}

func (c *serveCmd) parse(args []string) error {
	fs := flag.NewFlagSet("kubeplay serve", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.StringVar(&c.addr, "addr", envOr("KUBEPLAY_ADDR", ":8080"), "listen address (env KUBEPLAY_ADDR)")
	fs.StringVar(&c.opts.CacheDir, "cache", nodeimage.DefaultCacheDir(), "image build cache (env KUBEPLAY_CACHE)")
	fs.StringVar(&c.opts.Mirror, "mirror", "", "Debian mirror for the image build (default: this host's apt mirror)")
	fs.Usage = func() {
		fmt.Fprint(c.stderr, "Usage: kubeplay serve [flags]\n\nStarts the server; builds the node image first when it is missing (progress on the page and in the log).\n\n")
		fs.PrintDefaults()
	}
	return fs.Parse(args)
}

// preparer builds the node image when it is missing.
type preparer struct{ opts nodeimage.Options }

func (p preparer) Prepare(ctx context.Context, progress func(string)) (string, error) {
	b, err := nodeimage.New(ctx, p.opts, lineFunc(progress))
	if err != nil {
		return "", err
	}
	img, _, err := b.Build(ctx)
	if err != nil {
		return "", err
	}
	return img.Ref, nil
}

type lineFunc func(string)

func (f lineFunc) Write(p []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		f(l)
	}
	return len(p), nil
}

func (c *serveCmd) Run(ctx context.Context) error {
	log := slog.New(slog.NewTextHandler(c.stderr, nil))
	s := &server.Server{Addr: c.addr, Images: preparer{opts: c.opts}, Log: log}
	return s.Run(ctx)
}
