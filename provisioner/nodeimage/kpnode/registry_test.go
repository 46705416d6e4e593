package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeBlob(t *testing.T, root string, data []byte) string {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	if err := os.WriteFile(filepath.Join(root, "blobs", "sha256", h), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return "sha256:" + h
}

func testLayout(t *testing.T) (string, string, string) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "blobs", "sha256"), 0o755); err != nil {
		t.Fatal(err)
	}
	layer := writeBlob(t, root, []byte("layer-bytes"))
	manifest := []byte(`{"schemaVersion":2,"layers":[{"digest":"` + layer + `"}]}`)
	md := writeBlob(t, root, manifest)
	idx := ociIndex{SchemaVersion: 2, Manifests: []descriptor{
		{MediaType: "application/vnd.oci.image.manifest.v1+json", Digest: md, Size: int64(len(manifest)),
			Annotations: map[string]string{refAnnotation: "docker.io/library/nginx:latest"}},
		{MediaType: "application/vnd.oci.image.manifest.v1+json", Digest: md, Size: int64(len(manifest)),
			Annotations: map[string]string{refAnnotation: "registry.k8s.io/pause:3.10.1"}},
	}}
	b, _ := json.Marshal(idx)
	if err := os.WriteFile(filepath.Join(root, "index.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return root, md, layer
}

func get(t *testing.T, method, url string) (*http.Response, string) {
	req, _ := http.NewRequest(method, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestRegistryServesNamesDigestsAndBlobs(t *testing.T) {
	root, md, layer := testLayout(t)
	r := &registry{root: root}
	if err := r.reload(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	defer srv.Close()

	resp, _ := get(t, "GET", srv.URL+"/v2/")
	if resp.StatusCode != 200 || resp.Header.Get("Docker-Distribution-API-Version") != "registry/2.0" {
		t.Fatalf("/v2/: %d %v", resp.StatusCode, resp.Header)
	}
	// containerd asks a mirror with ?ns=<registry>; docker.io names get library/ when bare.
	for _, u := range []string{
		"/v2/library/nginx/manifests/latest?ns=docker.io",
		"/v2/nginx/manifests/latest?ns=docker.io",
		"/v2/library/nginx/manifests/latest",
		"/v2/pause/manifests/3.10.1?ns=registry.k8s.io",
		"/v2/library/nginx/manifests/" + md + "?ns=docker.io",
	} {
		for _, m := range []string{"HEAD", "GET"} {
			resp, body := get(t, m, srv.URL+u)
			if resp.StatusCode != 200 || resp.Header.Get("Docker-Content-Digest") != md || !strings.Contains(resp.Header.Get("Content-Type"), "manifest") {
				t.Errorf("%s %s: %d %v", m, u, resp.StatusCode, resp.Header)
			}
			if m == "GET" && !strings.Contains(body, layer) {
				t.Errorf("%s %s: body %q", m, u, body)
			}
		}
	}
	resp, body := get(t, "GET", srv.URL+"/v2/library/nginx/blobs/"+layer)
	if resp.StatusCode != 200 || body != "layer-bytes" {
		t.Errorf("blob: %d %q", resp.StatusCode, body)
	}
	resp, body = get(t, "GET", srv.URL+"/v2/_catalog")
	if resp.StatusCode != 200 || !strings.Contains(body, "docker.io/library/nginx") {
		t.Errorf("catalog: %d %q", resp.StatusCode, body)
	}
	resp, body = get(t, "GET", srv.URL+"/v2/library/nginx/tags/list?ns=docker.io")
	if resp.StatusCode != 200 || !strings.Contains(body, `"latest"`) {
		t.Errorf("tags: %d %q", resp.StatusCode, body)
	}
}

func TestRegistryRefusesWhatItDoesNotHave(t *testing.T) {
	root, _, _ := testLayout(t)
	r := &registry{root: root}
	if err := r.reload(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	defer srv.Close()
	cases := map[string]int{
		"/v2/library/nginx/manifests/1.161?ns=docker.io":            404, // a tag nobody built
		"/v2/library/nginx/manifests/latest?ns=quay.io":             404, // the same path on another registry
		"/v2/other/thing/manifests/latest?ns=example.invalid":       404,
		"/v2/library/nginx/blobs/sha256:" + strings.Repeat("0", 64): 404,
		"/v2/library/nginx/blobs/sha256:../../etc/passwd":           400,
		"/v2/library/nginx/blobs/../../index.json":                  400,
	}
	for u, want := range cases {
		resp, body := get(t, "GET", srv.URL+u)
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d (%s)", u, resp.StatusCode, want, body)
		}
		if want == 404 && !strings.Contains(body, `"errors"`) {
			t.Errorf("GET %s: no registry error body: %q", u, body)
		}
	}
	resp, _ := get(t, "PUT", srv.URL+"/v2/library/nginx/manifests/latest")
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("PUT: %d", resp.StatusCode)
	}
}

func TestRegistryReloadsAChangedIndex(t *testing.T) {
	root, _, _ := testLayout(t)
	r := &registry{root: root}
	if err := r.reload(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "index.json"), []byte(`{"schemaVersion":2,"manifests":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	future := r.loaded.Add(1e9)
	_ = os.Chtimes(filepath.Join(root, "index.json"), future, future)
	if err := r.reload(); err != nil {
		t.Fatal(err)
	}
	if len(r.byName) != 0 {
		t.Errorf("index not reloaded: %v", r.byName)
	}
}
