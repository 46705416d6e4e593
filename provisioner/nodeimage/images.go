package nodeimage

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
)

//go:embed kpnode/*.go
var kpnodeSrc embed.FS

//go:embed all:files/node
var nodeFiles embed.FS

//go:embed files/manifests/cni.yaml.tmpl
var cniTemplate string

//go:embed files/manifests/storage.yaml.tmpl
var storageTemplate string

//go:embed files/manifests/metrics-server.yaml.tmpl
var metricsServerTemplate string

// Image names inside the node. Tutorial names resolve to these through the node's registry.
const (
	NetImage   = "docker.io/kubeplay/net:v1"
	HelloImage = "docker.io/kubeplay/hello"
	// MetricsServerImage is an add-on a lesson applies from /etc/kubeplay/metrics-server.yaml.
	MetricsServerImage = "registry.k8s.io/metrics-server/metrics-server"
	RegistryAddr       = "127.0.0.1:5555"
	// DefaultPodSubnet is the pod range of bare (kubeadm) clusters; the lesson passes it to kubeadm init.
	DefaultPodSubnet = "10.244.0.0/16"
)

// Tags that tutorials use and that resolve offline. A tag not listed here fails like a tag that
// does not exist upstream (ErrImagePull), which is what lessons about a broken rollout rely on
// (e.g. nginx:1.161). Every listed tag of an image is the same local build: the version in the
// tag is not honoured, only accepted.
var (
	nginxTags = []string{"latest", "stable", "mainline", "alpine", "1", "1.7.9", "1.14", "1.14.2", "1.15", "1.16",
		"1.16.1", "1.17", "1.19", "1.20", "1.21", "1.22", "1.23", "1.24", "1.25", "1.26", "1.27", "1.28", "1.29",
		"stable-alpine", "mainline-alpine", "1.25-alpine", "1.27-alpine"}
	busyboxTags = []string{"latest", "stable", "musl", "glibc", "uclibc", "1", "1.28", "1.29", "1.30", "1.31",
		"1.32", "1.33", "1.34", "1.35", "1.36", "1.37"}
	alpineTags = []string{"latest", "3", "3.16", "3.17", "3.18", "3.19", "3.20", "3.21", "3.22"}
	redisTags  = []string{"latest", "alpine", "5", "6", "6.2", "7", "7.0", "7.2", "7.4", "8", "7-alpine"}
)

func names(repo string, tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		out = append(out, repo+":"+t)
	}
	return out
}

// sourceHash hashes the files of an embedded tree (for stage keys).
func sourceHash(fsys fs.FS, root string) (string, error) {
	var b strings.Builder
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "_test.go") {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %d\n%s\n", p, len(data), data)
		return nil
	})
	return b.String(), err
}

func (b *Builder) defineOwn(ctx context.Context, gov string) error {
	o := b.Opts
	add := b.engine.Add
	kpsrc, err := sourceHash(kpnodeSrc, "kpnode")
	if err != nil {
		return err
	}
	if err := add(&Stage{
		Name:   "kpnode",
		Inputs: []string{gov, kpsrc},
		Run: func(ctx context.Context, w *Work) error {
			mod := filepath.Join(w.Tmp, "kpnode")
			if err := copyEmbedded(kpnodeSrc, "kpnode", mod); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module kubeplay.local/kpnode\n\ngo 1.25.0\n"), 0o644); err != nil {
				return err
			}
			return goRun(ctx, w, mod, "build", "-trimpath", "-ldflags", "-s -w", "-o", filepath.Join(w.Out, "kpnode"), ".")
		},
	}); err != nil {
		return err
	}

	if err := add(&Stage{
		Name:   "images",
		Deps:   []string{"rootfs", "kube", "etcd", "coredns", "localpath", "metricsserver", "kpnode"},
		Inputs: []string{o.Kubernetes, o.Etcd, o.CoreDNS, o.Pause, o.LocalPath, o.MetricsServer, imagesRecipeVersion},
		Run: func(ctx context.Context, w *Work) error {
			return b.buildImages(w)
		},
	}); err != nil {
		return err
	}

	if err := b.defineDockerCLI(gov); err != nil {
		return err
	}
	nodeSrc, err := sourceHash(nodeFiles, "files/node")
	if err != nil {
		return err
	}
	return add(&Stage{
		Name:   "node",
		Deps:   []string{"base", "kube", "crictl", "cniplugins", "kpnode", "images"},
		Inputs: []string{nodeSrc, cniTemplate, storageTemplate, metricsServerTemplate, o.Kubernetes, o.Pause, o.MetricsServer, nodeRecipeVersion},
		Image:  o.NodeImageRepo,
		Run: func(ctx context.Context, w *Work) error {
			return b.buildNode(ctx, w)
		},
	})
}

// Bump these when the Go code that assembles the images or the node changes what it makes.
const (
	imagesRecipeVersion = "images-1"
	nodeRecipeVersion   = "node-1"
)

func copyEmbedded(fsys fs.FS, root, dst string) error {
	return fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasSuffix(p, "_test.go") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if strings.Contains(p, "/bin/") || strings.HasSuffix(p, ".sh") {
			mode = 0o755
		}
		return os.WriteFile(target, data, mode)
	})
}

const iptablesWrapper = `#!/bin/sh
# kubeplay: run iptables with the backend (legacy or nft) that the node uses. The node chose it at
# boot; the kubelet's hint chain says which, and the rule counts decide when there is no hint.
mode=$(cat /tmp/.iptables-mode 2>/dev/null)
if [ -z "$mode" ]; then
  if xtables-nft-multi iptables-save -t mangle 2>/dev/null | grep -q KUBE-IPTABLES-HINT; then
    mode=nft
  elif xtables-legacy-multi iptables-save -t mangle 2>/dev/null | grep -q KUBE-IPTABLES-HINT; then
    mode=legacy
  else
    legacy=$(xtables-legacy-multi iptables-save 2>/dev/null | grep -c '^-')
    nft=$(xtables-nft-multi iptables-save 2>/dev/null | grep -c '^-')
    if [ "${nft:-0}" -gt "${legacy:-0}" ]; then mode=nft; else mode=legacy; fi
  fi
  echo "$mode" >/tmp/.iptables-mode 2>/dev/null
fi
exec xtables-$mode-multi "${0##*/}" "$@"
`

const nginxConf = `# kubeplay's offline nginx, laid out like the official image: pages in /usr/share/nginx/html,
# site configs in /etc/nginx/conf.d, logs to the container's output unless /var/log/nginx is a volume.
user  www-data;
worker_processes  auto;
error_log  /var/log/nginx/error.log notice;
pid        /run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;
    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';
    access_log  /var/log/nginx/access.log  main;
    sendfile        on;
    keepalive_timeout  65;
    include /etc/nginx/conf.d/*.conf;
}
`

const nginxDefault = `server {
    listen       80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`

const nginxIndex = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto; font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and working.</p>
<p>This is kubeplay's offline nginx image, built from Debian's nginx.</p>
</body>
</html>
`

const redisWrapper = `#!/bin/sh
# kubeplay: like the official image, the server answers other pods without a password
# (protected mode off) unless told otherwise on the command line.
exec /usr/bin/redis-server "$@" --protected-mode no
`

// buildImages writes every image the node carries into an OCI layout (w.Out/registry).
func (b *Builder) buildImages(w *Work) error {
	o := b.Opts
	root := filepath.Join(w.Dep("rootfs"), "root")
	store, err := newBlobStore(filepath.Join(w.Out, "registry"))
	if err != nil {
		return err
	}

	// The base layer all images share: glibc and the libraries the programs below load, busybox's
	// applets in /bin, iptables with a backend-picking wrapper, ip, conntrack, CA certificates and
	// kpnode (wget, pause, hello, logship, tcpproxy, cni).
	w.Say("base layer")
	base := NewLayer(root, nil)
	for _, p := range []string{"/usr/sbin/xtables-legacy-multi", "/usr/sbin/xtables-nft-multi", "/usr/bin/ip", "/usr/sbin/conntrack"} {
		base.Program(p)
	}
	modDir := "/usr/lib/x86_64-linux-gnu/xtables"
	if ents, err := os.ReadDir(filepath.Join(root, modDir)); err == nil {
		for _, e := range ents {
			base.Program(path.Join(modDir, e.Name()))
		}
	}
	for _, p := range []string{"/etc/ssl/certs/ca-certificates.crt", "/etc/protocols", "/etc/services", "/etc/ethertypes", "/usr/share/zoneinfo/UTC"} {
		if _, err := os.Stat(filepath.Join(root, p)); err == nil {
			base.FromRoot(p)
		}
	}
	base.HostFile("/bin/busybox", filepath.Join(root, "bin/busybox"), 0o755)
	applets, err := output(context.Background(), "", nil, filepath.Join(root, "bin/busybox"), "--list")
	if err != nil {
		return fmt.Errorf("busybox --list: %w", err)
	}
	for _, a := range strings.Fields(applets) {
		if a != "busybox" {
			base.Symlink("/bin/"+a, "busybox")
		}
	}
	base.Bytes("/etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nredis:x:999:999:redis:/data:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"))
	base.Bytes("/etc/group", 0o644, []byte("root:x:0:\nwww-data:x:33:\nredis:x:999:\nnogroup:x:65534:\n"))
	base.Bytes("/etc/nsswitch.conf", 0o644, []byte("passwd: files\ngroup: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n"))
	base.Bytes("/usr/sbin/iptables-wrapper", 0o755, []byte(iptablesWrapper))
	for _, n := range []string{"iptables", "iptables-save", "iptables-restore", "ip6tables", "ip6tables-save", "ip6tables-restore"} {
		base.Symlink("/usr/sbin/"+n, "iptables-wrapper")
	}
	kp := filepath.Join(w.Dep("kpnode"), "kpnode")
	base.HostFile("/usr/local/bin/kpnode", kp, 0o755)
	for _, n := range []string{"wget", "hello", "logship", "tcpproxy"} {
		base.Symlink("/usr/local/bin/"+n, "kpnode")
	}
	for _, d := range []string{"/tmp", "/root", "/run", "/var/tmp", "/data"} {
		base.Dir(d)
	}
	baseL, err := store.putLayer(base)
	if err != nil {
		return fmt.Errorf("base layer: %w", err)
	}

	img := func(names []string, layers []writtenLayer, cfg ImageConfig) error {
		_, err := store.putImage(names, append([]writtenLayer{baseL}, layers...), cfg)
		return err
	}
	one := func(build func(l *Layer)) (writtenLayer, error) {
		l := NewLayer(root, base)
		build(l)
		return store.putLayer(l)
	}

	// Kubernetes: the four control-plane images share one layer holding the multi-call binary.
	w.Say("kubernetes images")
	kubeL, err := one(func(l *Layer) {
		l.HostFile("/usr/local/bin/kube", filepath.Join(w.Dep("kube"), "kube"), 0o755)
		for _, n := range []string{"kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy", "kubectl"} {
			l.Symlink("/usr/local/bin/"+n, "kube")
		}
	})
	if err != nil {
		return err
	}
	for _, c := range []string{"kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy"} {
		if err := img([]string{"registry.k8s.io/" + c + ":" + o.Kubernetes}, []writtenLayer{kubeL}, ImageConfig{Entrypoint: []string{"/usr/local/bin/" + c}}); err != nil {
			return err
		}
	}
	etcdL, err := one(func(l *Layer) {
		l.HostFile("/usr/local/bin/etcd", filepath.Join(w.Dep("etcd"), "etcd"), 0o755)
		l.Dir("/var/lib/etcd")
	})
	if err != nil {
		return err
	}
	if err := img([]string{"registry.k8s.io/etcd:" + strings.TrimPrefix(o.Etcd, "v") + "-0"}, []writtenLayer{etcdL}, ImageConfig{Entrypoint: []string{"/usr/local/bin/etcd"}}); err != nil {
		return err
	}
	dnsL, err := one(func(l *Layer) { l.HostFile("/coredns", filepath.Join(w.Dep("coredns"), "coredns"), 0o755) })
	if err != nil {
		return err
	}
	if err := img([]string{"registry.k8s.io/coredns/coredns:" + o.CoreDNS}, []writtenLayer{dnsL},
		ImageConfig{Entrypoint: []string{"/coredns"}, ExposedPorts: map[string]struct{}{"53/tcp": {}, "53/udp": {}}}); err != nil {
		return err
	}
	if err := img([]string{"registry.k8s.io/pause:" + o.Pause}, nil, ImageConfig{Entrypoint: []string{"/usr/local/bin/kpnode", "pause"}}); err != nil {
		return err
	}
	lpL, err := one(func(l *Layer) {
		l.HostFile("/usr/local/bin/local-path-provisioner", filepath.Join(w.Dep("localpath"), "local-path-provisioner"), 0o755)
	})
	if err != nil {
		return err
	}
	if err := img([]string{"docker.io/rancher/local-path-provisioner:" + o.LocalPath}, []writtenLayer{lpL},
		ImageConfig{Entrypoint: []string{"local-path-provisioner"}}); err != nil {
		return err
	}
	msL, err := one(func(l *Layer) {
		l.HostFile("/metrics-server", filepath.Join(w.Dep("metricsserver"), "metrics-server"), 0o755)
	})
	if err != nil {
		return err
	}
	if err := img([]string{MetricsServerImage + ":" + o.MetricsServer}, []writtenLayer{msL},
		ImageConfig{Entrypoint: []string{"/metrics-server"}, User: "65534"}); err != nil {
		return err
	}
	if err := img([]string{NetImage}, nil, ImageConfig{Entrypoint: []string{"/usr/local/bin/kpnode", "cni"}}); err != nil {
		return err
	}

	// Lesson images.
	w.Say("lesson images")
	if err := img(append(names("docker.io/library/busybox", busyboxTags), names("docker.io/library/alpine", alpineTags)...), nil,
		ImageConfig{Cmd: []string{"sh"}}); err != nil {
		return err
	}
	nginxL, err := one(func(l *Layer) {
		l.Program("/usr/sbin/nginx")
		l.FromRoot("/etc/nginx/mime.types")
		l.Bytes("/etc/nginx/nginx.conf", 0o644, []byte(nginxConf))
		l.Bytes("/etc/nginx/conf.d/default.conf", 0o644, []byte(nginxDefault))
		l.Bytes("/usr/share/nginx/html/index.html", 0o644, []byte(nginxIndex))
		l.Bytes("/usr/share/nginx/html/50x.html", 0o644, []byte("<html><body><h1>An error occurred.</h1></body></html>\n"))
		l.Symlink("/var/log/nginx/access.log", "/dev/stdout")
		l.Symlink("/var/log/nginx/error.log", "/dev/stderr")
		l.Dir("/var/lib/nginx/body")
		l.Dir("/var/lib/nginx/proxy")
		l.Dir("/var/lib/nginx/fastcgi")
		l.Dir("/var/www")
	})
	if err != nil {
		return err
	}
	if err := img(names("docker.io/library/nginx", nginxTags), []writtenLayer{nginxL}, ImageConfig{
		Cmd: []string{"nginx", "-g", "daemon off;"}, ExposedPorts: map[string]struct{}{"80/tcp": {}}, StopSignal: "SIGQUIT",
	}); err != nil {
		return err
	}
	redisL, err := one(func(l *Layer) {
		l.Program("/usr/bin/redis-server")
		l.Program("/usr/bin/redis-cli")
		l.Bytes("/usr/local/bin/redis-server", 0o755, []byte(redisWrapper))
	})
	if err != nil {
		return err
	}
	if err := img(names("docker.io/library/redis", redisTags), []writtenLayer{redisL}, ImageConfig{
		Cmd: []string{"redis-server"}, WorkingDir: "/data", ExposedPorts: map[string]struct{}{"6379/tcp": {}},
	}); err != nil {
		return err
	}
	for _, v := range []string{"v1", "v2", "v3"} {
		tags := []string{HelloImage + ":" + v}
		if v == "v1" {
			tags = append(tags, HelloImage+":latest")
		}
		if err := img(tags, nil, ImageConfig{
			Entrypoint: []string{"/usr/local/bin/kpnode", "hello"}, Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "VERSION=" + v},
			ExposedPorts: map[string]struct{}{"8080/tcp": {}},
		}); err != nil {
			return err
		}
	}
	if err := img(names("docker.io/kubeplay/logship", []string{"v1", "latest"}), nil, ImageConfig{Entrypoint: []string{"/usr/local/bin/kpnode", "logship"}}); err != nil {
		return err
	}
	if err := img(names("docker.io/kubeplay/tcpproxy", []string{"v1", "latest"}), nil, ImageConfig{Entrypoint: []string{"/usr/local/bin/kpnode", "tcpproxy"}}); err != nil {
		return err
	}
	if err := store.finish(); err != nil {
		return err
	}
	var list []string
	for _, m := range store.manifests {
		list = append(list, m.Annotations["org.opencontainers.image.ref.name"])
	}
	sort.Strings(list)
	return os.WriteFile(filepath.Join(w.Out, "images.txt"), []byte(strings.Join(list, "\n")+"\n"), 0o644)
}

func render(tmpl string, data any) ([]byte, error) {
	t, err := template.New("").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
