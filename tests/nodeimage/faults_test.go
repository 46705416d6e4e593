package nodeimage_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/provisioner/nodeimage"
	"github.com/kubeplay/kubeplay/tests/testenv"
)

// An unreachable Debian mirror stops the build at the rootfs stage with advice, and leaves no
// half-made stage in the cache.
func TestUnreachableMirrorFailsClearly(t *testing.T) {
	testenv.Docker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cache := t.TempDir()
	b, err := nodeimage.New(ctx, nodeimage.Options{CacheDir: cache, Mirror: "http://127.0.0.1:9/debian"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = b.Build(ctx, "rootfs")
	var se *nodeimage.StageError
	if !errors.As(err, &se) || se.Stage != "rootfs" {
		t.Fatalf("want a StageError for rootfs, got %v", err)
	}
	if !strings.Contains(err.Error(), "cannot be reached") || !strings.Contains(err.Error(), "--mirror") {
		t.Errorf("no advice in: %v", err)
	}
	if ok, _ := b.Engine().Cached(ctx, "rootfs"); ok {
		t.Error("a failed rootfs counts as built")
	}
}

// With no Docker engine the build says so before doing anything.
func TestDockerDownFailsClearly(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	ctx := context.Background()
	b, err := nodeimage.New(ctx, nodeimage.Options{CacheDir: t.TempDir()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = b.Build(ctx)
	if err == nil || !strings.Contains(err.Error(), "Docker engine does not answer") {
		t.Fatalf("want advice about Docker, got %v", err)
	}
}
