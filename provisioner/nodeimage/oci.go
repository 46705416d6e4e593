package nodeimage

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// This file writes OCI images without Docker: layers are tar streams made from files of the root
// filesystem (a program and the shared libraries it loads, found from its ELF headers) or of the
// build, written deterministically (sorted, fixed times and owners) so that the same inputs give the
// same digests, and layers that several images share are stored once.

const (
	mediaManifest = "application/vnd.oci.image.manifest.v1+json"
	mediaConfig   = "application/vnd.oci.image.config.v1+json"
	mediaLayer    = "application/vnd.oci.image.layer.v1.tar+gzip"
	mediaIndex    = "application/vnd.oci.image.index.v1+json"
)

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

type entry struct {
	name string // path in the layer, without leading slash
	mode int64
	typ  byte
	link string // symlink target
	src  string // file on the host to copy
	data []byte // or content
}

// Layer collects the entries of one image layer.
type Layer struct {
	root    string // root filesystem that relative lookups resolve in
	entries map[string]*entry
	base    *Layer // entries present in base are left out
	err     error
}

// NewLayer starts a layer whose files are taken from root; entries already in base are skipped.
func NewLayer(root string, base *Layer) *Layer {
	return &Layer{root: root, entries: map[string]*entry{}, base: base}
}

func (l *Layer) has(name string) bool {
	for x := l; x != nil; x = x.base {
		if _, ok := x.entries[name]; ok {
			return true
		}
	}
	return false
}

func clean(p string) string { return strings.TrimPrefix(path.Clean("/"+p), "/") }

func (l *Layer) put(e *entry) {
	e.name = clean(e.name)
	if e.name == "" || l.has(e.name) {
		return
	}
	if dir := path.Dir(e.name); dir != "." {
		l.Dir("/" + dir)
	}
	l.entries[e.name] = e
}

// Dir adds a directory (and its parents).
func (l *Layer) Dir(p string) *Layer {
	l.put(&entry{name: p, mode: 0o755, typ: tar.TypeDir})
	return l
}

// Symlink adds a symbolic link.
func (l *Layer) Symlink(p, target string) *Layer {
	l.put(&entry{name: p, typ: tar.TypeSymlink, link: target, mode: 0o777})
	return l
}

// Bytes adds a file with the given content.
func (l *Layer) Bytes(p string, mode int64, data []byte) *Layer {
	l.put(&entry{name: p, mode: mode, typ: tar.TypeReg, data: data})
	return l
}

// HostFile adds a file copied from the build host.
func (l *Layer) HostFile(p, src string, mode int64) *Layer {
	if _, err := os.Stat(src); err != nil && l.err == nil {
		l.err = err
	}
	l.put(&entry{name: p, mode: mode, typ: tar.TypeReg, src: src})
	return l
}

// Err is the first error met while adding entries.
func (l *Layer) Err() error { return l.err }

// FromRoot adds a path of the root filesystem as it is there: symbolic links along the way and at the
// end are kept as links and followed, directories are added with their whole content.
func (l *Layer) FromRoot(p string) *Layer {
	l.fromRoot(clean(p), 0)
	return l
}

func (l *Layer) fromRoot(p string, depth int) {
	if depth > 40 {
		l.fail(fmt.Errorf("%s: too many symbolic links", p))
		return
	}
	parts := strings.Split(p, "/")
	cur := ""
	for i, part := range parts {
		next := path.Join(cur, part)
		host := filepath.Join(l.root, next)
		st, err := os.Lstat(host)
		if err != nil {
			l.fail(fmt.Errorf("%s: %w", "/"+p, err))
			return
		}
		if st.Mode()&os.ModeSymlink != 0 {
			target, err := os.Readlink(host)
			if err != nil {
				l.fail(err)
				return
			}
			l.Symlink("/"+next, target)
			resolved := target
			if !path.IsAbs(target) {
				resolved = path.Join(path.Dir("/"+next), target)
			}
			rest := strings.Join(parts[i+1:], "/")
			l.fromRoot(clean(path.Join(resolved, rest)), depth+1)
			return
		}
		if i < len(parts)-1 {
			if !st.IsDir() {
				l.fail(fmt.Errorf("/%s: not a directory", next))
				return
			}
			cur = next
			continue
		}
		switch {
		case st.IsDir():
			l.put(&entry{name: next, mode: int64(st.Mode().Perm()), typ: tar.TypeDir})
			des, err := os.ReadDir(host)
			if err != nil {
				l.fail(err)
				return
			}
			for _, de := range des {
				l.fromRoot(path.Join(next, de.Name()), depth)
			}
		case st.Mode().IsRegular():
			l.put(&entry{name: next, mode: int64(st.Mode().Perm()), typ: tar.TypeReg, src: host})
		}
	}
}

func (l *Layer) fail(err error) {
	if l.err == nil {
		l.err = err
	}
}

// libDirs are where the dynamic loader of the root filesystem looks.
var libDirs = []string{"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib", "/lib", "/usr/lib64", "/lib64"}

// Program adds a program of the root filesystem with the shared libraries it needs.
func (l *Layer) Program(p string) *Layer {
	seen := map[string]bool{}
	l.program(p, seen)
	return l
}

func (l *Layer) program(p string, seen map[string]bool) {
	if seen[p] {
		return
	}
	seen[p] = true
	l.FromRoot(p)
	host, err := resolveInRoot(l.root, p)
	if err != nil {
		l.fail(err)
		return
	}
	f, err := elf.Open(host)
	if err != nil {
		return // a script or a data file: nothing more to add
	}
	defer f.Close()
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			b := make([]byte, prog.Filesz)
			if _, err := prog.ReadAt(b, 0); err == nil {
				l.program(strings.TrimRight(string(b), "\x00"), seen)
			}
		}
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		return
	}
	for _, lib := range libs {
		found := false
		for _, d := range libDirs {
			cand := path.Join(d, lib)
			if _, err := resolveInRoot(l.root, cand); err == nil {
				l.program(cand, seen)
				found = true
				break
			}
		}
		if !found {
			l.fail(fmt.Errorf("%s needs %s, which is not in the root filesystem", p, lib))
		}
	}
}

// resolveInRoot follows symbolic links inside root and returns the host path of the file p names.
func resolveInRoot(root, p string) (string, error) {
	cur := ""
	parts := strings.Split(clean(p), "/")
	for depth := 0; len(parts) > 0; {
		part := parts[0]
		parts = parts[1:]
		next := path.Join(cur, part)
		st, err := os.Lstat(filepath.Join(root, next))
		if err != nil {
			return "", err
		}
		if st.Mode()&os.ModeSymlink != 0 {
			if depth++; depth > 40 {
				return "", fmt.Errorf("%s: too many symbolic links", p)
			}
			t, err := os.Readlink(filepath.Join(root, next))
			if err != nil {
				return "", err
			}
			if !path.IsAbs(t) {
				t = path.Join("/"+cur, t)
			}
			parts = append(strings.Split(clean(t), "/"), parts...)
			cur = ""
			continue
		}
		cur = next
	}
	return filepath.Join(root, cur), nil
}

// blobStore is an OCI image layout being written.
type blobStore struct {
	dir       string
	manifests []descriptor
}

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

func newBlobStore(dir string) (*blobStore, error) {
	if err := os.MkdirAll(filepath.Join(dir, "blobs", "sha256"), 0o755); err != nil {
		return nil, err
	}
	return &blobStore{dir: dir}, os.WriteFile(filepath.Join(dir, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644)
}

func (s *blobStore) putBytes(media string, data []byte) (descriptor, error) {
	sum := sha256.Sum256(data)
	d := descriptor{MediaType: media, Digest: "sha256:" + hex.EncodeToString(sum[:]), Size: int64(len(data))}
	p := filepath.Join(s.dir, "blobs", "sha256", hex.EncodeToString(sum[:]))
	if _, err := os.Stat(p); err == nil {
		return d, nil
	}
	return d, os.WriteFile(p, data, 0o644)
}

// writtenLayer is a layer in the store: its descriptor and its uncompressed digest.
type writtenLayer struct {
	desc   descriptor
	diffID string
}

// putLayer writes a layer as a gzip blob.
func (s *blobStore) putLayer(l *Layer) (writtenLayer, error) {
	if l.err != nil {
		return writtenLayer{}, l.err
	}
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "blobs"), "layer-*")
	if err != nil {
		return writtenLayer{}, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	gzSum := sha256.New()
	gz, err := gzip.NewWriterLevel(io.MultiWriter(tmp, gzSum), gzip.BestSpeed)
	if err != nil {
		return writtenLayer{}, err
	}
	diffSum := sha256.New()
	if err := writeTar(io.MultiWriter(gz, diffSum), l); err != nil {
		return writtenLayer{}, err
	}
	if err := gz.Close(); err != nil {
		return writtenLayer{}, err
	}
	st, err := tmp.Stat()
	if err != nil {
		return writtenLayer{}, err
	}
	if err := tmp.Close(); err != nil {
		return writtenLayer{}, err
	}
	hexsum := hexOf(gzSum)
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return writtenLayer{}, err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(s.dir, "blobs", "sha256", hexsum)); err != nil {
		return writtenLayer{}, err
	}
	return writtenLayer{
		desc:   descriptor{MediaType: mediaLayer, Digest: "sha256:" + hexsum, Size: st.Size()},
		diffID: "sha256:" + hexOf(diffSum),
	}, nil
}

func hexOf(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

func writeTar(w io.Writer, l *Layer) error {
	names := make([]string, 0, len(l.entries))
	for n := range l.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	tw := tar.NewWriter(w)
	for _, n := range names {
		e := l.entries[n]
		hdr := &tar.Header{Name: n, Mode: e.mode, Typeflag: e.typ, Linkname: e.link, ModTime: epoch, Format: tar.FormatPAX}
		if e.typ == tar.TypeDir {
			hdr.Name += "/"
		}
		if err := writeEntry(tw, hdr, e); err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
	}
	return tw.Close()
}

func writeEntry(tw *tar.Writer, hdr *tar.Header, e *entry) error {
	if e.typ != tar.TypeReg {
		return tw.WriteHeader(hdr)
	}
	if e.src == "" {
		hdr.Size = int64(len(e.data))
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err := tw.Write(e.data)
		return err
	}
	f, err := os.Open(e.src)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr.Size = st.Size()
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// ImageConfig is the part of an image's configuration that lessons care about.
type ImageConfig struct {
	Entrypoint   []string            `json:"Entrypoint,omitempty"`
	Cmd          []string            `json:"Cmd,omitempty"`
	Env          []string            `json:"Env,omitempty"`
	WorkingDir   string              `json:"WorkingDir,omitempty"`
	ExposedPorts map[string]struct{} `json:"ExposedPorts,omitempty"`
	User         string              `json:"User,omitempty"`
	Labels       map[string]string   `json:"Labels,omitempty"`
	StopSignal   string              `json:"StopSignal,omitempty"`
}

// putImage writes an image's config and manifest and records it under each name.
func (s *blobStore) putImage(names []string, layers []writtenLayer, cfg ImageConfig) (descriptor, error) {
	if len(cfg.Env) == 0 {
		cfg.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
	}
	var diffIDs []string
	var layerDescs []descriptor
	for _, l := range layers {
		diffIDs = append(diffIDs, l.diffID)
		layerDescs = append(layerDescs, l.desc)
	}
	config := map[string]any{
		"architecture": "amd64",
		"os":           "linux",
		"created":      epoch.Format(time.RFC3339),
		"config":       cfg,
		"rootfs":       map[string]any{"type": "layers", "diff_ids": diffIDs},
	}
	cb, err := json.Marshal(config)
	if err != nil {
		return descriptor{}, err
	}
	cd, err := s.putBytes(mediaConfig, cb)
	if err != nil {
		return descriptor{}, err
	}
	manifest := map[string]any{"schemaVersion": 2, "mediaType": mediaManifest, "config": cd, "layers": layerDescs}
	mb, err := json.Marshal(manifest)
	if err != nil {
		return descriptor{}, err
	}
	md, err := s.putBytes(mediaManifest, mb)
	if err != nil {
		return descriptor{}, err
	}
	for _, n := range names {
		d := md
		d.Annotations = map[string]string{"org.opencontainers.image.ref.name": n}
		s.manifests = append(s.manifests, d)
	}
	return md, nil
}

// finish writes index.json.
func (s *blobStore) finish() error {
	sort.Slice(s.manifests, func(i, j int) bool {
		return s.manifests[i].Annotations["org.opencontainers.image.ref.name"] < s.manifests[j].Annotations["org.opencontainers.image.ref.name"]
	})
	b, err := json.MarshalIndent(map[string]any{"schemaVersion": 2, "mediaType": mediaIndex, "manifests": s.manifests}, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(s.dir, "index.json"), b, 0o644)
}
