package nodeimage

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

//go:embed wrappers/kube/main.go.in
var kubeMain string

// defineGo adds the stages that compile Go programs.
func (b *Builder) defineGo(ctx context.Context, gov string) error {
	o := b.Opts
	add := b.engine.Add

	kubeLD := func(buildDate string) string {
		minor := strings.SplitN(strings.TrimPrefix(o.Kubernetes, "v"), ".", 3)
		var ld []string
		for _, p := range []string{"k8s.io/component-base/version", "k8s.io/client-go/pkg/version"} {
			ld = append(ld,
				"-X "+p+".gitVersion="+o.Kubernetes,
				"-X "+p+".gitMajor="+minor[0],
				"-X "+p+".gitMinor="+minor[1],
				"-X "+p+".gitTreeState=clean",
				"-X "+p+".buildDate="+buildDate)
		}
		return strings.Join(ld, " ")
	}
	if err := add(&Stage{
		Name:   "kube",
		Inputs: []string{gov, o.Kubernetes, kubeMain, kubeLD("")},
		Run: func(ctx context.Context, w *Work) error {
			w.Say("resolving k8s.io/kubernetes@%s", o.Kubernetes)
			gomodPath, err := moduleGoMod(ctx, w, "k8s.io/kubernetes", o.Kubernetes)
			if err != nil {
				return err
			}
			gomod, err := os.ReadFile(gomodPath)
			if err != nil {
				return err
			}
			replaces, err := stagingReplaces(gomod, o.Kubernetes)
			if err != nil {
				return err
			}
			mod := filepath.Join(w.Tmp, "kube")
			if err := os.MkdirAll(mod, 0o755); err != nil {
				return err
			}
			// kubernetes' own go.mod keeps the go1.24 defaults for GODEBUG; so does the wrapper.
			wrapper := fmt.Sprintf("module kubeplay.local/kube\n\ngo 1.25.0\n\ngodebug default=go1.24\n\nrequire k8s.io/kubernetes %s\n\n%s", o.Kubernetes, replaces)
			if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(wrapper), 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(mod, "main.go"), []byte(kubeMain), 0o644); err != nil {
				return err
			}
			if err := goRun(ctx, w, mod, "mod", "tidy"); err != nil {
				return err
			}
			w.Say("compiling Kubernetes %s (one multi-call binary; about 17 min on 2 cores when nothing is cached)", o.Kubernetes)
			if err := goRun(ctx, w, mod, "build", "-v", "-trimpath", "-ldflags", "-s -w "+kubeLD("2026-01-01T00:00:00Z"), "-o", filepath.Join(w.Out, "kube"), "."); err != nil {
				return err
			}
			v, err := output(ctx, "", nil, filepath.Join(w.Out, "kube"), "kubectl", "version", "--client")
			if err != nil {
				return fmt.Errorf("the built kube binary does not run: %w", err)
			}
			if !strings.Contains(v, o.Kubernetes) {
				return fmt.Errorf("the built kubectl reports %q, not %s", strings.TrimSpace(v), o.Kubernetes)
			}
			return nil
		},
	}); err != nil {
		return err
	}

	mods := []struct {
		name string
		m    goModule
	}{
		{"etcd", goModule{Module: "go.etcd.io/etcd/server/v3", Version: o.Etcd,
			Packages: map[string]string{"etcd": "go.etcd.io/etcd/server/v3"}}},
		{"coredns", goModule{Module: "github.com/coredns/coredns", Version: o.CoreDNS,
			Packages: map[string]string{"coredns": "github.com/coredns/coredns"}}},
		{"crictl", goModule{Module: "sigs.k8s.io/cri-tools", Version: o.CriTools,
			Packages: map[string]string{"crictl": "sigs.k8s.io/cri-tools/cmd/crictl"},
			LDFlags:  "-X sigs.k8s.io/cri-tools/pkg/version.Version=" + o.CriTools}},
		{"cniplugins", goModule{Module: "github.com/containernetworking/plugins", Version: o.CNIPlugins,
			Packages: map[string]string{
				"ptp":        "github.com/containernetworking/plugins/plugins/main/ptp",
				"bridge":     "github.com/containernetworking/plugins/plugins/main/bridge",
				"loopback":   "github.com/containernetworking/plugins/plugins/main/loopback",
				"host-local": "github.com/containernetworking/plugins/plugins/ipam/host-local",
				"portmap":    "github.com/containernetworking/plugins/plugins/meta/portmap",
			},
			LDFlags: "-X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=" + o.CNIPlugins}},
		{"metricsserver", goModule{Module: "sigs.k8s.io/metrics-server", Version: o.MetricsServer,
			Packages: map[string]string{"metrics-server": "sigs.k8s.io/metrics-server/cmd/metrics-server"},
			LDFlags:  "-X k8s.io/client-go/pkg/version.gitVersion=" + o.MetricsServer}},
		{"localpath", goModule{Module: "github.com/rancher/local-path-provisioner", Version: o.LocalPath,
			Packages: map[string]string{"local-path-provisioner": "github.com/rancher/local-path-provisioner"}}},
	}
	for _, x := range mods {
		m := x.m
		if err := add(&Stage{
			Name:   x.name,
			Inputs: append([]string{gov}, m.inputs()...),
			Run: func(ctx context.Context, w *Work) error {
				return m.build(ctx, w, w.Out, nil)
			},
		}); err != nil {
			return err
		}
	}
	return b.defineOwn(ctx, gov)
}
