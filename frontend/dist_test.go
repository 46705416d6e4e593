package frontend

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestDistIsUpToDate builds the sources in a scratch copy (npm ci, npm run build) and fails when the
// fresh dist/ differs from the committed one: after changing src/, run `npm run build` in frontend/
// and commit dist/ too.
func TestDistIsUpToDate(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		if os.Getenv("KUBEPLAY_REQUIRE_NPM") != "" {
			t.Fatalf("npm is not on PATH and KUBEPLAY_REQUIRE_NPM is set: %v", err)
		}
		t.Skip("npm is not on PATH (set KUBEPLAY_REQUIRE_NPM=1 to make this a failure)")
	}

	work := t.TempDir()
	if err := copySources(".", work); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.CommandContext(ctx, npm, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "npm_config_update_notifier=false", "npm_config_fund=false", "npm_config_audit=false")
		out, err := cmd.CombinedOutput()
		if err != nil {
			if ctx.Err() != nil {
				err = errors.Join(err, ctx.Err())
			}
			t.Fatalf("npm %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// --ignore-scripts: nothing here needs an install script (esbuild finds its binary in the
	// platform package), and --prefer-offline uses npm's cache when the packages are in it.
	run("ci", "--ignore-scripts", "--prefer-offline")
	run("run", "build")

	committed, err := readTree("dist")
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := readTree(filepath.Join(work, "dist"))
	if err != nil {
		t.Fatal(err)
	}
	var diffs []string
	for name, b := range fresh {
		c, ok := committed[name]
		switch {
		case !ok:
			diffs = append(diffs, name+" (missing from the committed dist)")
		case !bytes.Equal(b, c):
			diffs = append(diffs, name+" (differs)")
		}
	}
	for name := range committed {
		if _, ok := fresh[name]; !ok {
			diffs = append(diffs, name+" (not made by the build any more)")
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		t.Fatalf("frontend/dist is not what `npm run build` makes from the sources; run `npm ci && npm run build` in frontend/ and commit dist/:\n  %s", strings.Join(diffs, "\n  "))
	}
	if len(fresh) == 0 {
		t.Fatal("the build made no files")
	}
}

// copySources copies the frontend directory without node_modules and dist.
func copySources(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		if d.IsDir() {
			if rel == "node_modules" || rel == "dist" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
}

// readTree reads every regular file under dir, keyed by its slash-separated path relative to dir.
func readTree(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	return files, err
}

func TestFS(t *testing.T) {
	for _, name := range []string{"index.html", "assets/app.js", "assets/app.css"} {
		b, err := fs.ReadFile(FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	index, _ := fs.ReadFile(FS(), "index.html")
	for _, ref := range []string{`src="/assets/app.js?v=`, `href="/assets/app.css?v=`} {
		if !bytes.Contains(index, []byte(ref)) {
			t.Errorf("index.html does not refer to %s", ref)
		}
	}
}
