package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// The registry serves an OCI image layout (index.json + blobs/sha256) read-only through the
// distribution API that containerd speaks. Each manifest in index.json carries its full names in the
// annotation "org.opencontainers.image.ref.name" (e.g. docker.io/library/nginx:latest), one name per
// descriptor. containerd, configured with this registry as the server of docker.io, registry.k8s.io
// and the other usual hosts, adds ?ns=<host> to each request: that and the path give the full name.
// A name that is not in the layout answers 404 at once, so an unknown image fails fast with
// ErrImagePull instead of waiting for an unreachable internet.

const refAnnotation = "org.opencontainers.image.ref.name"

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

type ociIndex struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType,omitempty"`
	Manifests     []descriptor `json:"manifests"`
}

type registry struct {
	root string

	mu      sync.Mutex
	loaded  time.Time
	byName  map[string]descriptor // full name with tag -> manifest
	byDigst map[string]descriptor // digest -> manifest descriptor
}

func runRegistry(args []string) error {
	fs := flag.NewFlagSet("registry", flag.ContinueOnError)
	root := fs.String("root", "/opt/kubeplay/registry", "OCI image layout to serve")
	addr := fs.String("addr", "127.0.0.1:5000", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r := &registry{root: *root}
	if err := r.reload(); err != nil {
		return err
	}
	log.Printf("registry: serving %d names from %s on %s", len(r.byName), *root, *addr)
	srv := &http.Server{Addr: *addr, Handler: r, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}

// reload reads index.json when it changed since the last read.
func (r *registry) reload() error {
	p := filepath.Join(r.root, "index.json")
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !st.ModTime().After(r.loaded) && r.byName != nil {
		return nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	var idx ociIndex
	if err := json.Unmarshal(data, &idx); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	r.byName = map[string]descriptor{}
	r.byDigst = map[string]descriptor{}
	for _, d := range idx.Manifests {
		if n := d.Annotations[refAnnotation]; n != "" {
			r.byName[n] = d
		}
		r.byDigst[d.Digest] = d
	}
	r.loaded = st.ModTime()
	return nil
}

var digestRe = regexp.MustCompile(`^sha256:[a-f0-9]{64}$`)

func (r *registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		regError(w, http.StatusMethodNotAllowed, "UNSUPPORTED", "this registry is read-only")
		return
	}
	if err := r.reload(); err != nil {
		regError(w, http.StatusInternalServerError, "UNKNOWN", err.Error())
		return
	}
	p := strings.TrimPrefix(req.URL.Path, "/v2/")
	switch {
	case req.URL.Path == "/v2/" || req.URL.Path == "/v2":
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, "{}")
	case p == "_catalog":
		r.catalog(w)
	case strings.HasSuffix(p, "/tags/list"):
		r.tags(w, req, strings.TrimSuffix(p, "/tags/list"))
	case strings.Contains(p, "/manifests/"):
		i := strings.LastIndex(p, "/manifests/")
		r.manifest(w, req, p[:i], p[i+len("/manifests/"):])
	case strings.Contains(p, "/blobs/"):
		i := strings.LastIndex(p, "/blobs/")
		r.blob(w, req, p[i+len("/blobs/"):])
	default:
		regError(w, http.StatusNotFound, "NAME_UNKNOWN", "no such path")
	}
}

// fullName turns a repository path and the ns parameter into the name kept in index.json.
func fullName(req *http.Request, repo string) string {
	ns := req.URL.Query().Get("ns")
	if ns == "" || ns == "registry-1.docker.io" || ns == "index.docker.io" {
		ns = "docker.io"
	}
	if ns == "docker.io" && !strings.Contains(repo, "/") {
		repo = "library/" + repo
	}
	return ns + "/" + repo
}

func (r *registry) manifest(w http.ResponseWriter, req *http.Request, repo, ref string) {
	r.mu.Lock()
	var d descriptor
	var ok bool
	name := fullName(req, repo)
	if digestRe.MatchString(ref) {
		d, ok = r.byDigst[ref]
	} else {
		d, ok = r.byName[name+":"+ref]
	}
	r.mu.Unlock()
	if !ok {
		log.Printf("registry: %s %s:%s not found", req.Method, name, ref)
		regError(w, http.StatusNotFound, "MANIFEST_UNKNOWN", fmt.Sprintf("%s:%s is not one of the images this offline node carries", name, ref))
		return
	}
	w.Header().Set("Content-Type", d.MediaType)
	w.Header().Set("Docker-Content-Digest", d.Digest)
	r.serveBlob(w, req, d.Digest)
}

func (r *registry) blob(w http.ResponseWriter, req *http.Request, digest string) {
	if !digestRe.MatchString(digest) {
		regError(w, http.StatusBadRequest, "DIGEST_INVALID", "bad digest")
		return
	}
	w.Header().Set("Docker-Content-Digest", digest)
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	r.serveBlob(w, req, digest)
}

func (r *registry) serveBlob(w http.ResponseWriter, req *http.Request, digest string) {
	f, err := os.Open(filepath.Join(r.root, "blobs", "sha256", strings.TrimPrefix(digest, "sha256:")))
	if err != nil {
		regError(w, http.StatusNotFound, "BLOB_UNKNOWN", digest+" is not here")
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		regError(w, http.StatusInternalServerError, "UNKNOWN", err.Error())
		return
	}
	w.Header().Set("Etag", `"`+digest+`"`)
	http.ServeContent(w, req, "", st.ModTime(), f)
}

func (r *registry) catalog(w http.ResponseWriter) {
	r.mu.Lock()
	seen := map[string]bool{}
	for n := range r.byName {
		seen[n[:strings.LastIndex(n, ":")]] = true
	}
	r.mu.Unlock()
	repos := make([]string, 0, len(seen))
	for n := range seen {
		repos = append(repos, n)
	}
	sort.Strings(repos)
	writeJSON(w, map[string]any{"repositories": repos})
}

func (r *registry) tags(w http.ResponseWriter, req *http.Request, repo string) {
	name := fullName(req, repo)
	r.mu.Lock()
	var tags []string
	for n := range r.byName {
		if i := strings.LastIndex(n, ":"); n[:i] == name {
			tags = append(tags, n[i+1:])
		}
	}
	r.mu.Unlock()
	if len(tags) == 0 {
		regError(w, http.StatusNotFound, "NAME_UNKNOWN", name+" is not here")
		return
	}
	sort.Strings(tags)
	writeJSON(w, map[string]any{"name": repo, "tags": tags})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func regError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]string{{"code": code, "message": msg}}})
}
