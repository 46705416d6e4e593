package nodeimage

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// goEnv is the environment of every Go build: static binaries, reproducible paths, and the host's
// default module and build caches, so that a second build on the same machine compiles nothing.
var goEnv = []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local"}

// goVersion returns the Go toolchain's version; it keys every Go stage.
func goVersion(ctx context.Context) (string, error) {
	v, err := output(ctx, "", nil, "go", "env", "GOVERSION")
	if err != nil {
		return "", &Hint{Err: err, Advice: "install Go (https://go.dev/doc/install) and put it on PATH"}
	}
	return strings.TrimSpace(v), nil
}

// goRun runs the go command for a stage, reports how many packages it compiled, and turns the
// module proxy's answers into advice.
func goRun(ctx context.Context, w *Work, dir string, args ...string) error {
	compiled := 0
	onLine := func(line string) {
		// "go build -v" prints each package it compiles; module downloads print "go: downloading".
		if strings.HasPrefix(line, "go: downloading ") {
			return
		}
		if !strings.Contains(line, " ") && strings.Contains(line, "/") || line == "command-line-arguments" {
			compiled++
			if compiled%250 == 0 {
				w.Say("compiled %d packages", compiled)
			}
		}
	}
	err := command(ctx, w, dir, goEnv, onLine, "go", args...)
	if err != nil {
		return goHint(err)
	}
	return nil
}

var refusedRe = regexp.MustCompile(`(?m)(\S+@\S+): .*(403 Forbidden|410 Gone|404 Not Found)`)

func goHint(err error) error {
	msg := err.Error()
	switch {
	case refusedRe.MatchString(msg):
		m := refusedRe.FindStringSubmatch(msg)
		return &Hint{Err: err, Advice: fmt.Sprintf("the Go module proxy refused %s; pick a version it serves (probe one with `go list -m module@version`) and pass it with the matching --*-version flag", m[1])}
	case strings.Contains(msg, "dial tcp") || strings.Contains(msg, "no such host") || strings.Contains(msg, "i/o timeout") || strings.Contains(msg, "connection refused"):
		return &Hint{Err: err, Advice: "the Go module proxy cannot be reached: check GOPROXY and the network, then run the build again (finished stages are kept)"}
	case strings.Contains(msg, "signal: killed"):
		return &Hint{Err: err, Advice: "the compiler or linker was killed, most likely out of memory: the Kubernetes link needs about 2 GB free"}
	}
	return err
}

// goModule describes a Go program built from a module the proxy serves.
type goModule struct {
	Module   string            // module path, e.g. github.com/coredns/coredns
	Version  string            // e.g. v1.12.1
	Packages map[string]string // binary name -> package path
	GoMod    string            // extra lines for the wrapper go.mod (replace, godebug)
	LDFlags  string
}

func (m goModule) inputs() []string {
	in := []string{m.Module, m.Version, m.GoMod, m.LDFlags}
	for b, p := range m.Packages {
		in = append(in, b+"="+p)
	}
	return sortedCopy(in)
}

// build makes a wrapper module that requires m and builds each binary into out.
func (m goModule) build(ctx context.Context, w *Work, out string, extraFiles map[string]string) error {
	mod := filepath.Join(w.Tmp, "mod")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		return err
	}
	gomod := fmt.Sprintf("module kubeplay.local/build\n\ngo 1.25.0\n\n%s\nrequire %s %s\n", m.GoMod, m.Module, m.Version)
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		return err
	}
	// A file that imports every package keeps "go mod tidy" from dropping the requirement.
	var imports strings.Builder
	imports.WriteString("//go:build tools\n\npackage tools\n\nimport (\n")
	for _, p := range sortedValues(m.Packages) {
		fmt.Fprintf(&imports, "\t_ %q\n", p)
	}
	imports.WriteString(")\n")
	if err := os.WriteFile(filepath.Join(mod, "tools.go"), []byte(imports.String()), 0o644); err != nil {
		return err
	}
	for name, content := range extraFiles {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	w.Say("resolving %s@%s", m.Module, m.Version)
	if err := goRun(ctx, w, mod, "mod", "tidy", "-e"); err != nil {
		return err
	}
	if err := goRun(ctx, w, mod, "mod", "download"); err != nil {
		return err
	}
	for _, bin := range sortedKeys(m.Packages) {
		w.Say("compiling %s", bin)
		args := []string{"build", "-v", "-trimpath", "-ldflags", strings.TrimSpace("-s -w " + m.LDFlags), "-o", filepath.Join(out, bin), m.Packages[bin]}
		if err := goRun(ctx, w, mod, args...); err != nil {
			return err
		}
	}
	return nil
}

// moduleGoMod returns the path of a module's go.mod in the module cache (downloading it).
func moduleGoMod(ctx context.Context, w *Work, module, version string) (string, error) {
	out, err := output(ctx, w.Tmp, goEnv, "go", "mod", "download", "-json", module+"@"+version)
	if err != nil {
		return "", goHint(err)
	}
	var info struct{ GoMod, Dir, Error string }
	if err := json.Unmarshal([]byte(out), &info); err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %w", module, version, err)
	}
	if info.Error != "" {
		return "", goHint(fmt.Errorf("%s@%s: %s", module, version, info.Error))
	}
	return info.GoMod, nil
}

// stagingReplaces turns the replace block of kubernetes' go.mod (staging modules pointing at local
// directories) into replaces pointing at the same-numbered v0.x releases.
func stagingReplaces(gomod []byte, kubeVersion string) (string, error) {
	minor := strings.TrimPrefix(kubeVersion, "v1.")
	var b strings.Builder
	in := false
	n := 0
	for _, line := range strings.Split(string(gomod), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "replace (":
			in = true
		case in && t == ")":
			in = false
		case in && strings.Contains(t, "=> ./staging/"):
			name := strings.Fields(t)[0]
			fmt.Fprintf(&b, "\t%s => %s v0.%s\n", name, name, minor)
			n++
		}
	}
	if n == 0 {
		return "", fmt.Errorf("no staging replaces found in kubernetes' go.mod")
	}
	return "replace (\n" + b.String() + ")\n", nil
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return sortedCopy(ks)
}

func sortedValues(m map[string]string) []string {
	var vs []string
	for _, v := range m {
		vs = append(vs, v)
	}
	return sortedCopy(vs)
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}
