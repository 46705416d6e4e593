package nodeimage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// registryHosts are the registries whose names resolve to the node's own registry. A name on any
// other host is looked up on the network, which a classroom without internet does not have.
var registryHosts = []string{"docker.io", "registry-1.docker.io", "registry.k8s.io", "k8s.gcr.io", "gcr.io",
	"quay.io", "ghcr.io", "mcr.microsoft.com", "public.ecr.aws", "registry.gitlab.com", "kubeplay.local"}

// maskedUnits do nothing useful in a node container, or fail there.
var maskedUnits = []string{"getty.target", "console-getty.service", "systemd-udevd.service", "systemd-udev-trigger.service",
	"systemd-udev-settle.service", "apt-daily.timer", "apt-daily-upgrade.timer", "fstrim.timer", "e2scrub_all.timer",
	"e2scrub_reap.service", "dpkg-db-backup.timer", "systemd-binfmt.service", "systemd-firstboot.service",
	"nginx.service", "redis-server.service", "systemd-networkd-wait-online.service"}

func containerdConfig(pause string) string {
	return fmt.Sprintf(`# kubeplay node: containerd 1.6 (Debian bookworm)
version = 2

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:%s"
  # The host may not let containers lower OOM scores (no CAP_SYS_RESOURCE): without this, no pod
  # sandbox starts ("can't get final child's PID from pipe").
  restrict_oom_score_adj = true
  tolerate_missing_hugepages_controller = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    # the node's registry keeps every layer: containerd need not keep a second copy
    discard_unpacked_layers = true
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = true
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "/etc/containerd/certs.d"
`, pause)
}

const hostsToml = `# kubeplay: this node pulls %[1]s images from its own registry, which holds the images it carries.
server = "http://%[2]s"

[host."http://%[2]s"]
  capabilities = ["pull", "resolve"]
`

type overlay struct {
	dir string
	err error
}

func (o *overlay) path(p string) string {
	return filepath.Join(o.dir, filepath.FromSlash(strings.TrimPrefix(p, "/")))
}

func (o *overlay) write(p string, mode os.FileMode, data []byte) {
	if o.err != nil {
		return
	}
	if o.err = os.MkdirAll(filepath.Dir(o.path(p)), 0o755); o.err != nil {
		return
	}
	o.err = os.WriteFile(o.path(p), data, mode)
}

func (o *overlay) symlink(p, target string) {
	if o.err != nil {
		return
	}
	if o.err = os.MkdirAll(filepath.Dir(o.path(p)), 0o755); o.err != nil {
		return
	}
	_ = os.Remove(o.path(p))
	o.err = os.Symlink(target, o.path(p))
}

// link puts a file of the build into the overlay without copying it (a hard link, or a copy across
// file systems).
func (o *overlay) link(p, src string, mode os.FileMode) {
	if o.err != nil {
		return
	}
	dst := o.path(p)
	if o.err = os.MkdirAll(filepath.Dir(dst), 0o755); o.err != nil {
		return
	}
	if err := os.Link(src, dst); err == nil {
		o.err = os.Chmod(dst, mode)
		return
	}
	data, err := os.ReadFile(src)
	if err != nil {
		o.err = err
		return
	}
	o.err = os.WriteFile(dst, data, mode)
}

// linkTree links every file under src into the overlay at p.
func (o *overlay) linkTree(p, src string) {
	if o.err != nil {
		return
	}
	o.err = filepath.Walk(src, func(f string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, f)
		if info.IsDir() {
			return os.MkdirAll(o.path(filepath.Join(p, rel)), 0o755)
		}
		o.link(filepath.ToSlash(filepath.Join(p, rel)), f, info.Mode().Perm())
		return o.err
	})
}

// buildNode assembles the node image: the base image plus an overlay of binaries, configuration and
// the registry of images, committed with a Dockerfile that pulls nothing.
func (b *Builder) buildNode(ctx context.Context, w *Work) error {
	opt := b.Opts
	ctxDir := filepath.Join(w.Tmp, "context")
	ov := &overlay{dir: filepath.Join(ctxDir, "overlay")}
	if err := copyEmbedded(nodeFiles, "files/node", ov.dir); err != nil {
		return err
	}
	kube := filepath.Join(w.Dep("kube"), "kube")
	ov.link("/usr/bin/kube", kube, 0o755)
	for _, n := range []string{"kubeadm", "kubelet", "kubectl"} {
		ov.symlink("/usr/bin/"+n, "kube")
	}
	ov.link("/usr/local/bin/crictl", filepath.Join(w.Dep("crictl"), "crictl"), 0o755)
	ov.link("/usr/local/bin/kpnode", filepath.Join(w.Dep("kpnode"), "kpnode"), 0o755)
	ents, err := os.ReadDir(w.Dep("cniplugins"))
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".") {
			ov.link("/opt/cni/bin/"+e.Name(), filepath.Join(w.Dep("cniplugins"), e.Name()), 0o755)
		}
	}
	ov.linkTree("/opt/kubeplay/registry", filepath.Join(w.Dep("images"), "registry"))
	ov.link("/opt/kubeplay/images.txt", filepath.Join(w.Dep("images"), "images.txt"), 0o644)

	// Manifests: kind templates and patches its copy of the CNI manifest; the bare-node copy is for
	// `kubectl apply -f /opt/kubeplay/cni.yaml` after `kubeadm init --pod-network-cidr=10.244.0.0/16`.
	type cniData struct {
		Kind                                           bool
		Image, PodSubnet, PodSubnetText, DefaultSubnet string
	}
	kindCNI, err := render(cniTemplate, cniData{Kind: true, Image: NetImage, PodSubnet: "{{ .PodSubnet }}", PodSubnetText: "the podSubnet of kind's config", DefaultSubnet: DefaultPodSubnet})
	if err != nil {
		return err
	}
	bareCNI, err := render(cniTemplate, cniData{Image: NetImage, PodSubnet: DefaultPodSubnet, PodSubnetText: DefaultPodSubnet, DefaultSubnet: DefaultPodSubnet})
	if err != nil {
		return err
	}
	storage, err := render(storageTemplate, map[string]string{
		"Image":       "docker.io/rancher/local-path-provisioner:" + opt.LocalPath,
		"HelperImage": "docker.io/library/busybox:1.37",
	})
	if err != nil {
		return err
	}
	ov.write("/kind/manifests/default-cni.yaml", 0o644, kindCNI)
	ov.write("/kind/manifests/default-storage.yaml", 0o644, storage)
	metrics, err := render(metricsServerTemplate, map[string]string{"Image": MetricsServerImage + ":" + opt.MetricsServer})
	if err != nil {
		return err
	}
	ov.write("/etc/kubeplay/metrics-server.yaml", 0o644, metrics)
	ov.write("/opt/kubeplay/cni.yaml", 0o644, bareCNI)
	ov.write("/opt/kubeplay/storage.yaml", 0o644, storage)
	ov.write("/kind/version", 0o644, []byte(opt.Kubernetes))

	ov.write("/etc/containerd/config.toml", 0o644, []byte(containerdConfig(opt.Pause)))
	for _, h := range registryHosts {
		ov.write("/etc/containerd/certs.d/"+h+"/hosts.toml", 0o644, []byte(fmt.Sprintf(hostsToml, h, RegistryAddr)))
	}

	// Shell completion for the tools a student types most, and the k alias (in /root/.bashrc).
	for _, c := range []struct{ name, bin string }{{"kubectl", kube}, {"kubeadm", kube}, {"crictl", filepath.Join(w.Dep("crictl"), "crictl")}} {
		args := []string{"completion", "bash"}
		if c.bin == kube {
			args = append([]string{c.name}, args...)
		}
		out, err := output(ctx, "", nil, c.bin, args...)
		if err != nil {
			return fmt.Errorf("%s completion: %w", c.name, err)
		}
		ov.write("/etc/bash_completion.d/"+c.name, 0o644, []byte(out))
	}

	for _, u := range []string{"kubelet.service", "kubeplay-registry.service"} {
		ov.symlink("/etc/systemd/system/multi-user.target.wants/"+u, "/etc/systemd/system/"+u)
	}
	ov.symlink("/etc/systemd/system/multi-user.target.wants/containerd.service", "/lib/systemd/system/containerd.service")
	for _, u := range maskedUnits {
		ov.symlink("/etc/systemd/system/"+u, "/dev/null")
	}
	ov.symlink("/etc/systemd/system/default.target", "/lib/systemd/system/multi-user.target")
	ov.write("/etc/motd", 0o644, []byte(fmt.Sprintf("\nkubeplay node: Kubernetes %s. Images available offline: /opt/kubeplay/images.txt\n\n", opt.Kubernetes)))
	if ov.err != nil {
		return ov.err
	}

	dockerfile := fmt.Sprintf(`FROM kubeplay/base:%s
COPY overlay/ /
ENV container=docker
LABEL io.kubeplay.kubernetes=%q io.kubeplay.stage-key=%q
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
`, ShortKey(w.Keys["base"]), opt.Kubernetes, w.Key)
	if err := os.WriteFile(filepath.Join(ctxDir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		return err
	}
	w.Say("committing the node image %s", w.ImageRef())
	return b.Docker.BuildContext(ctx, w, ctxDir, w.ImageRef())
}
