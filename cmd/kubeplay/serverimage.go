package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/provisioner/nodeimage"
)

// ServerImageRepo is the repository `kubeplay image server` tags.
const ServerImageRepo = "kubeplay/server"

// iptablesWrapper runs iptables with the backend the host's Docker chose: the server container
// shares the host's network namespace, and rules must go where Docker's are.
const iptablesWrapper = `#!/bin/sh
# kubeplay server image: iptables with the backend (legacy or nft) that the host's Docker uses.
mode=$(cat /tmp/.iptables-mode 2>/dev/null)
if [ -z "$mode" ]; then
  if xtables-legacy-multi iptables-save 2>/dev/null | grep -q -- '-j DOCKER'; then mode=legacy; else mode=nft; fi
  echo "$mode" >/tmp/.iptables-mode 2>/dev/null
fi
exec xtables-$mode-multi iptables "$@"
`

// buildServerImage builds the node image and the docker CLI (cached stages), a static kubeplay
// from the repository in the current directory, and then the server image from the Dockerfile at
// the repository's root, with Docker's classic builder and no network: its FROM is the local base image.
func (c *imageCmd) buildServerImage(ctx context.Context, b *nodeimage.Builder) error {
	start := time.Now()
	repo, err := repoRoot(ctx)
	if err != nil {
		return err
	}
	img, _, err := b.Build(ctx, "node", nodeimage.DockerCLIStage)
	if err != nil {
		return err
	}
	if img == nil {
		return fmt.Errorf("the node image was not built")
	}
	dir, err := os.MkdirTemp("", "kubeplay-server-image-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(c.stderr, "server image: compiling kubeplay (static) from %s\n", repo)
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", filepath.Join(dir, "kubeplay"), "./cmd/kubeplay")
	build.Dir = repo
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	build.Stdout, build.Stderr = c.stderr, c.stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build ./cmd/kubeplay: %w", err)
	}
	files := map[string]string{
		"Dockerfile": filepath.Join(repo, "Dockerfile"),
		"docker":     filepath.Join(b.Engine().Dir(nodeimage.DockerCLIStage), "docker"),
	}
	for name, src := range files {
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "iptables-wrapper"), []byte(iptablesWrapper), 0o755); err != nil {
		return err
	}
	base := "kubeplay/base:" + nodeimage.ShortKey(b.Engine().Key("base"))
	ref := ServerImageRepo + ":" + c.tag
	fmt.Fprintf(c.stderr, "server image: docker build %s (FROM %s, node image %s)\n", ref, base, img.Ref)
	docker := exec.CommandContext(ctx, "docker", "build", "--pull=false", "--network=none",
		"--build-arg", "BASE="+base, "--build-arg", "NODE_IMAGE="+img.Ref, "-t", ref, ".")
	docker.Dir = dir
	docker.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	docker.Stdout, docker.Stderr = c.stderr, c.stderr
	if err := docker.Run(); err != nil {
		return fmt.Errorf("docker build: %w", err)
	}
	fmt.Fprintf(c.stdout, "server image: %s (node image %s), %s\n", ref, img.Ref, time.Since(start).Round(time.Second))
	return nil
}

// repoRoot is the kubeplay repository containing the current directory.
func repoRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Path}} {{.Dir}}").Output()
	if err != nil {
		return "", fmt.Errorf("kubeplay image server runs in the kubeplay repository (go list -m: %v)", err)
	}
	path, dir, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	if path != "github.com/kubeplay/kubeplay" {
		return "", fmt.Errorf("kubeplay image server runs in the kubeplay repository, not in %s (%s)", dir, path)
	}
	return dir, nil
}
