// Package testenv prepares what the end-to-end tests stand on: a Docker engine that runs privileged
// containers, and the node image built (or found in the cache) by kubeplay's own image builder.
package testenv

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/provisioner/local"
	"github.com/kubeplay/kubeplay/provisioner/nodeimage"
)

var (
	dockerOnce sync.Once
	dockerErr  error
)

// RepoRoot is the repository's top directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Docker makes sure a Docker engine answers: where this repository sits beside the workplace's
// shared/ci/docker-up.sh (CI and developer machines), that script starts one; elsewhere the host's
// engine must already run.
func Docker(t testing.TB) {
	t.Helper()
	dockerOnce.Do(func() {
		if exec.Command("docker", "info").Run() == nil {
			return
		}
		up := filepath.Join(RepoRoot(), "..", "shared", "ci", "docker-up.sh")
		if _, err := os.Stat(up); err != nil {
			dockerErr = fmt.Errorf("no Docker engine answers and %s is absent: start Docker", up)
			return
		}
		out, err := exec.Command("bash", up).CombinedOutput()
		if err != nil {
			dockerErr = fmt.Errorf("docker-up.sh: %v\n%s", err, out)
		}
	})
	if dockerErr != nil {
		t.Fatal(dockerErr)
	}
}

var (
	imageOnce sync.Once
	image     *nodeimage.NodeImage
	imageErr  error
)

// NodeImage returns the node image, building whatever stage is missing (a first build takes about
// half an hour on 2 cores; progress goes to the test's standard error).
func NodeImage(t testing.TB) *nodeimage.NodeImage {
	t.Helper()
	Docker(t)
	imageOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Minute)
		defer cancel()
		b, err := nodeimage.New(ctx, nodeimage.Options{}, os.Stderr)
		if err != nil {
			imageErr = err
			return
		}
		image, _, imageErr = b.Build(ctx)
		if imageErr == nil && image == nil {
			imageErr = fmt.Errorf("the build finished without a node image")
		}
	})
	if imageErr != nil {
		t.Fatalf("node image: %v", imageErr)
	}
	return image
}

// Run runs a command and returns its combined output, failing the test on error.
func Run(t testing.TB, ctx context.Context, name string, args ...string) string {
	t.Helper()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Try runs a command and returns its combined output and error.
func Try(ctx context.Context, name string, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	return string(out), err
}

// Main is TestMain for packages whose tests create kind clusters through the provisioner: the test
// binary doubles as the kind-create subprocess (see provisioner/local.ChildEnv).
func Main(m *testing.M) {
	if os.Getenv(local.ChildEnv) == "1" {
		os.Exit(local.ChildMain(os.Args[1:]))
	}
	os.Exit(m.Run())
}
