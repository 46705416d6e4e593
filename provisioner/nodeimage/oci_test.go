package nodeimage

import (
	"archive/tar"
	"compress/gzip"
	"debug/elf"
	"encoding/json"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// fakeRoot makes a merged-/usr root filesystem with a program, its library and the loader as
// symlinks, like Debian's.
func fakeRoot(t *testing.T) string {
	root := t.TempDir()
	mk := func(p, content string) {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ln := func(p, target string) {
		full := filepath.Join(root, p)
		_ = os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.Symlink(target, full); err != nil {
			t.Fatal(err)
		}
	}
	mk("usr/bin/tool", "#!/bin/sh\necho tool\n")
	mk("usr/lib/x86_64-linux-gnu/libx.so.1.2", "lib")
	ln("usr/lib/x86_64-linux-gnu/libx.so.1", "libx.so.1.2")
	ln("lib", "usr/lib")
	ln("bin", "usr/bin")
	mk("etc/conf/a", "a")
	mk("etc/conf/sub/b", "b")
	return root
}

func layerFiles(t *testing.T, store *blobStore, wl writtenLayer) map[string]string {
	f, err := os.Open(filepath.Join(store.dir, "blobs", "sha256", strings.TrimPrefix(wl.desc.Digest, "sha256:")))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	out := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch h.Typeflag {
		case tar.TypeSymlink:
			out[h.Name] = "-> " + h.Linkname
		case tar.TypeDir:
			out[h.Name] = "dir"
		default:
			b, _ := io.ReadAll(tr)
			out[h.Name] = string(b)
		}
	}
	return out
}

func TestLayerFollowsSymlinksAndIsDeterministic(t *testing.T) {
	root := fakeRoot(t)
	build := func(dir string) (writtenLayer, *blobStore) {
		store, err := newBlobStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		l := NewLayer(root, nil)
		l.FromRoot("/bin/tool").FromRoot("/lib/x86_64-linux-gnu/libx.so.1").FromRoot("/etc/conf")
		l.Bytes("/etc/hello", 0o644, []byte("hi"))
		wl, err := store.putLayer(l)
		if err != nil {
			t.Fatal(err)
		}
		return wl, store
	}
	wl1, store := build(t.TempDir())
	wl2, _ := build(t.TempDir())
	if wl1.desc.Digest != wl2.desc.Digest || wl1.diffID != wl2.diffID {
		t.Errorf("same inputs, different digests: %v %v", wl1, wl2)
	}
	files := layerFiles(t, store, wl1)
	want := map[string]string{
		"bin":                                  "-> usr/bin",
		"usr/bin/tool":                         "#!/bin/sh\necho tool\n",
		"lib":                                  "-> usr/lib",
		"usr/lib/x86_64-linux-gnu/libx.so.1":   "-> libx.so.1.2",
		"usr/lib/x86_64-linux-gnu/libx.so.1.2": "lib",
		"etc/conf/a":                           "a",
		"etc/conf/sub/b":                       "b",
		"etc/hello":                            "hi",
	}
	for k, v := range want {
		if files[k] != v {
			t.Errorf("%s = %q, want %q", k, files[k], v)
		}
	}
}

func TestLayerSkipsWhatTheBaseHas(t *testing.T) {
	root := fakeRoot(t)
	base := NewLayer(root, nil).FromRoot("/etc/conf/a")
	top := NewLayer(root, base).FromRoot("/etc/conf")
	if _, ok := top.entries["etc/conf/a"]; ok {
		t.Error("the upper layer repeats a file of the base layer")
	}
	if _, ok := top.entries["etc/conf/sub/b"]; !ok {
		t.Error("the upper layer lacks its own file")
	}
}

func TestLayerReportsMissingFiles(t *testing.T) {
	l := NewLayer(fakeRoot(t), nil).FromRoot("/usr/bin/nothing")
	if l.Err() == nil {
		t.Fatal("a missing file was not reported")
	}
}

func TestProgramAddsTheLibrariesAnELFNeeds(t *testing.T) {
	// The test binary, on this host's own root filesystem: every library its ELF header names must
	// come along, and the dynamic loader too.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	libs, _ := f.ImportedLibraries()
	f.Close()
	l := NewLayer("/", nil).Program(exe)
	if l.Err() != nil {
		t.Fatal(l.Err())
	}
	var names []string
	for n := range l.entries {
		names = append(names, path.Base(n))
	}
	all := strings.Join(names, " ")
	for _, lib := range libs {
		if !strings.Contains(all, lib) {
			t.Errorf("%s is not in the layer (%d entries)", lib, len(names))
		}
	}
	if len(libs) > 0 && !strings.Contains(all, "ld-linux") {
		t.Error("the dynamic loader is not in the layer")
	}
}

func TestImageIndexNamesEveryTag(t *testing.T) {
	store, err := newBlobStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	wl, err := store.putLayer(NewLayer(t.TempDir(), nil).Bytes("/x", 0o644, []byte("x")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.putImage(names("docker.io/library/nginx", []string{"latest", "1.27"}), []writtenLayer{wl}, ImageConfig{Cmd: []string{"nginx"}}); err != nil {
		t.Fatal(err)
	}
	if err := store.finish(); err != nil {
		t.Fatal(err)
	}
	var idx struct {
		Manifests []descriptor `json:"manifests"`
	}
	b, _ := os.ReadFile(filepath.Join(store.dir, "index.json"))
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range idx.Manifests {
		got = append(got, m.Annotations["org.opencontainers.image.ref.name"])
		if m.MediaType != mediaManifest {
			t.Errorf("media type %s", m.MediaType)
		}
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "docker.io/library/nginx:1.27 docker.io/library/nginx:latest" {
		t.Errorf("names: %v", got)
	}
}

func TestStagingReplaces(t *testing.T) {
	gomod := []byte("module k8s.io/kubernetes\n\nreplace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n\tk8s.io/kubectl => ./staging/src/k8s.io/kubectl\n)\n")
	got, err := stagingReplaces(gomod, "v1.34.12")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "k8s.io/api => k8s.io/api v0.34.12") || !strings.Contains(got, "k8s.io/kubectl => k8s.io/kubectl v0.34.12") {
		t.Errorf("replaces:\n%s", got)
	}
	if _, err := stagingReplaces([]byte("module x\n"), "v1.34.12"); err == nil {
		t.Error("a go.mod without staging replaces was accepted")
	}
}

func TestMirrorFromAptSources(t *testing.T) {
	dir := t.TempDir()
	deb822 := filepath.Join(dir, "debian.sources")
	_ = os.WriteFile(deb822, []byte("Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n\nTypes: deb\nURIs: http://mirror.example/debian/\nSuites: bookworm\n"), 0o644)
	if got := mirrorFrom(deb822); got != "http://mirror.example/debian" {
		t.Errorf("deb822: %q", got)
	}
	oneLine := filepath.Join(dir, "sources.list")
	_ = os.WriteFile(oneLine, []byte("# comment\ndeb [arch=amd64] http://ftp.example/debian bookworm main\n"), 0o644)
	if got := mirrorFrom(oneLine); got != "http://ftp.example/debian" {
		t.Errorf("one-line: %q", got)
	}
}
