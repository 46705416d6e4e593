package nodeimage

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// Options are the versions and places the build uses. The zero value is filled by Defaults.
type Options struct {
	CacheDir string // stage products; default: the user's cache directory + /kubeplay
	Mirror   string // Debian mirror; default: the host's apt sources
	Suite    string // Debian suite (bookworm)

	Kubernetes    string // v1.34.12
	Etcd          string // etcd version kubeadm asks for, without the "-0" suffix (v3.6.5)
	CoreDNS       string // v1.12.1
	Pause         string // 3.10.1
	CriTools      string // crictl
	CNIPlugins    string
	LocalPath     string // rancher/local-path-provisioner
	MetricsServer string // sigs.k8s.io/metrics-server (its manifest is in the node, not applied)
	// The docker CLI of the server image, and the docker/docker release it builds against.
	DockerCLI          string
	DockerEngineModule string
	NodeImageRepo      string // Docker repository of the node image (kubeplay/node)
}

// Defaults returns the versions this kubeplay release is tested with.
func Defaults() Options {
	return Options{
		Suite:              "bookworm",
		Kubernetes:         "v1.34.12",
		Etcd:               "v3.6.5",
		CoreDNS:            "v1.12.1",
		Pause:              "3.10.1",
		CriTools:           "v1.34.0",
		CNIPlugins:         "v1.9.1",
		LocalPath:          "v0.0.30",
		MetricsServer:      "v0.8.0",
		DockerCLI:          "v28.5.1+incompatible",
		DockerEngineModule: "v28.5.1+incompatible",
		NodeImageRepo:      "kubeplay/node",
	}
}

// fill sets every empty field to its default.
func (o *Options) fill() {
	d := Defaults()
	set := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	set(&o.Suite, d.Suite)
	set(&o.Kubernetes, d.Kubernetes)
	set(&o.Etcd, d.Etcd)
	set(&o.CoreDNS, d.CoreDNS)
	set(&o.Pause, d.Pause)
	set(&o.CriTools, d.CriTools)
	set(&o.CNIPlugins, d.CNIPlugins)
	set(&o.LocalPath, d.LocalPath)
	set(&o.MetricsServer, d.MetricsServer)
	set(&o.DockerCLI, d.DockerCLI)
	set(&o.DockerEngineModule, d.DockerEngineModule)
	set(&o.NodeImageRepo, d.NodeImageRepo)
	if o.CacheDir == "" {
		o.CacheDir = DefaultCacheDir()
	}
	if o.Mirror == "" {
		o.Mirror = HostMirror()
	}
}

// DefaultCacheDir is where stage products live unless told otherwise.
func DefaultCacheDir() string {
	if d := os.Getenv("KUBEPLAY_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "kubeplay")
	}
	return "/var/cache/kubeplay"
}

// HostMirror returns the Debian mirror this host's apt uses (never a hard-coded host when the host
// has one), falling back to Debian's redirector.
func HostMirror() string {
	files := []string{"/etc/apt/sources.list"}
	if more, err := filepath.Glob("/etc/apt/sources.list.d/*"); err == nil {
		files = append(files, more...)
	}
	for _, f := range files {
		if m := mirrorFrom(f); m != "" {
			return m
		}
	}
	return "http://deb.debian.org/debian"
}

// mirrorFrom reads one apt sources file (one-line or deb822 format) and returns its first Debian
// archive URI that is not the security archive.
func mirrorFrom(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		var uris []string
		switch {
		case strings.HasPrefix(line, "deb "):
			for _, field := range strings.Fields(line)[1:] {
				if strings.Contains(field, "://") {
					uris = append(uris, field)
					break
				}
			}
		case strings.HasPrefix(line, "URIs:"):
			uris = strings.Fields(strings.TrimPrefix(line, "URIs:"))
		}
		for _, u := range uris {
			if strings.Contains(u, "security") || !strings.Contains(u, "debian") {
				continue
			}
			return strings.TrimRight(u, "/")
		}
	}
	return ""
}
