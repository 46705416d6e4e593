package nodeimage

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

//go:embed files/rootfs.sh
var rootfsScript string

// nodePackages are the Debian packages of the node's root filesystem: what kind's node needs (systemd,
// containerd, runc, iptables, mount, kmod, ...) and what a student expects on a node. Packages marked
// "image" are there to give the workload images their files; their services are masked on the node.
var nodePackages = []string{
	"systemd", "systemd-sysv", "dbus", "libseccomp2",
	"containerd", "runc",
	"iptables", "iproute2", "conntrack", "ebtables", "socat", "ethtool", "kmod", "mount", "util-linux",
	"ca-certificates", "bash-completion", "less", "nano", "vim-tiny", "curl", "jq", "procps", "psmisc",
	"iputils-ping", "netcat-openbsd", "hostname", "lsof", "tree",
	"nginx-light", "redis-server", "busybox-static", // image
}

// Builder builds the node image and everything in it.
type Builder struct {
	Opts   Options
	Docker *Docker
	engine *Engine
}

// NodeImage is the result of a build.
type NodeImage struct {
	Ref     string // the image to give kind (repository:key)
	Version string // Kubernetes version inside
	Stable  string // repository:kubernetes-version, also tagged
}

// New prepares a builder; nothing runs until Build.
func New(ctx context.Context, opts Options, progress io.Writer) (*Builder, error) {
	opts.fill()
	b := &Builder{Opts: opts, Docker: &Docker{}}
	b.engine = &Engine{CacheDir: opts.CacheDir, Images: b.Docker, Progress: progress}
	if err := b.define(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// Stages lists the names of the stages in build order.
func (b *Builder) Stages() []string { return append([]string(nil), b.engine.order...) }

// Engine exposes the stage engine (for inspection and tests).
func (b *Builder) Engine() *Engine { return b.engine }

// Build runs the named stages (all when none) and returns the node image when it was built.
func (b *Builder) Build(ctx context.Context, stages ...string) (*NodeImage, []Result, error) {
	if err := b.Docker.Ping(ctx); err != nil {
		return nil, nil, &StageError{Stage: "docker", Err: err}
	}
	res, err := b.engine.Run(ctx, stages...)
	if err != nil {
		return nil, res, err
	}
	ref := b.Opts.NodeImageRepo + ":" + ShortKey(b.engine.Key("node"))
	if ok, _ := b.engine.Cached(ctx, "node"); !ok {
		return nil, res, nil
	}
	stable := b.Opts.NodeImageRepo + ":" + b.Opts.Kubernetes
	if err := b.Docker.Tag(ctx, ref, stable); err != nil {
		return nil, res, err
	}
	return &NodeImage{Ref: ref, Version: b.Opts.Kubernetes, Stable: stable}, res, nil
}

// Ready reports whether the node image of these options exists, without building anything.
func (b *Builder) Ready(ctx context.Context) (*NodeImage, bool, error) {
	ok, err := b.engine.Cached(ctx, "node")
	if err != nil || !ok {
		return nil, false, err
	}
	return &NodeImage{
		Ref:     b.Opts.NodeImageRepo + ":" + ShortKey(b.engine.Key("node")),
		Version: b.Opts.Kubernetes,
		Stable:  b.Opts.NodeImageRepo + ":" + b.Opts.Kubernetes,
	}, true, nil
}

func (b *Builder) define(ctx context.Context) error {
	o := b.Opts
	gov, err := goVersion(ctx)
	if err != nil {
		return err
	}
	add := func(s *Stage) error { return b.engine.Add(s) }

	if err := add(&Stage{
		Name:   "rootfs",
		Inputs: []string{o.Suite, strings.Join(nodePackages, ","), rootfsScript},
		Run: func(ctx context.Context, w *Work) error {
			script := filepath.Join(w.Tmp, "rootfs.sh")
			if err := os.WriteFile(script, []byte(rootfsScript), 0o755); err != nil {
				return err
			}
			n := 0
			err := command(ctx, w, w.Tmp, nil, func(line string) {
				switch {
				case strings.HasPrefix(line, "## "):
					w.Say("%s", strings.TrimPrefix(line, "## "))
				case strings.HasPrefix(line, "I: Retrieving") || strings.HasPrefix(line, "I: Unpacking") || strings.HasPrefix(line, "I: Configuring"):
					n++
					if n%100 == 0 {
						w.Say("debootstrap: %s", strings.TrimPrefix(line, "I: "))
					}
				}
			}, "bash", script, o.Suite, o.Mirror, filepath.Join(w.Out, "root"), strings.Join(nodePackages, ","))
			if err != nil {
				if strings.Contains(err.Error(), "Failed getting release file") || strings.Contains(err.Error(), "Couldn't download") {
					return &Hint{Err: err, Advice: fmt.Sprintf("the Debian mirror %s cannot be reached or lacks %s: check the network or pass --mirror", o.Mirror, o.Suite)}
				}
				return err
			}
			return nil
		},
	}); err != nil {
		return err
	}
	if err := add(&Stage{
		Name:  "base",
		Deps:  []string{"rootfs"},
		Image: "kubeplay/base",
		Run: func(ctx context.Context, w *Work) error {
			w.Say("importing the root filesystem into Docker")
			return b.Docker.ImportDir(ctx, w, filepath.Join(w.Dep("rootfs"), "root"), w.ImageRef())
		},
	}); err != nil {
		return err
	}
	return b.defineGo(ctx, gov)
}
