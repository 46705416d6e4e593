package nodeimage

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// Docker is the image builder's narrow use of the Docker engine, through the docker CLI (the same
// client kind drives, so a host where kind works is a host where this works).
type Docker struct {
	// Bin is the docker CLI; default "docker".
	Bin string
}

func (d *Docker) bin() string {
	if d.Bin != "" {
		return d.Bin
	}
	return "docker"
}

var dockerDown = "the Docker engine does not answer: start it (systemctl start docker, or ../shared/ci/docker-up.sh here) and run the build again"

// Ping checks that the engine answers.
func (d *Docker) Ping(ctx context.Context) error {
	if _, err := output(ctx, "", nil, d.bin(), "version", "--format", "{{.Server.Version}}"); err != nil {
		return &Hint{Err: fmt.Errorf("docker: %w", err), Advice: dockerDown}
	}
	return nil
}

// ImageExists reports whether ref is a local image.
func (d *Docker) ImageExists(ctx context.Context, ref string) (bool, error) {
	out, err := output(ctx, "", nil, d.bin(), "image", "inspect", "--format", "{{.Id}}", ref)
	if err == nil {
		return strings.TrimSpace(out) != "", nil
	}
	if strings.Contains(err.Error(), "No such image") || strings.Contains(err.Error(), "No such object") {
		return false, nil
	}
	return false, &Hint{Err: fmt.Errorf("docker image inspect %s: %w", ref, err), Advice: dockerDown}
}

// Tag gives an image another name.
func (d *Docker) Tag(ctx context.Context, ref, alias string) error {
	_, err := output(ctx, "", nil, d.bin(), "tag", ref, alias)
	return err
}

// ImportDir imports a directory tree as a one-layer image.
func (d *Docker) ImportDir(ctx context.Context, w *Work, dir, ref string) error {
	tarCmd := exec.CommandContext(ctx, "tar", "--numeric-owner", "--xattrs", "-C", dir, "-c", ".")
	imp := exec.CommandContext(ctx, d.bin(), "import", "-", ref)
	pipe, err := tarCmd.StdoutPipe()
	if err != nil {
		return err
	}
	imp.Stdin = pipe
	var tarErr, impOut strings.Builder
	tarCmd.Stderr = &tarErr
	imp.Stdout = &impOut
	imp.Stderr = &impOut
	if err := tarCmd.Start(); err != nil {
		return err
	}
	if err := imp.Run(); err != nil {
		_ = tarCmd.Process.Kill()
		_ = tarCmd.Wait()
		return fmt.Errorf("docker import: %w: %s", err, impOut.String())
	}
	if err := tarCmd.Wait(); err != nil {
		return fmt.Errorf("tar %s: %w: %s", dir, err, tarErr.String())
	}
	fmt.Fprintf(w.Log, "imported %s as %s: %s", dir, ref, impOut.String())
	return nil
}

// BuildContext runs a legacy (non-BuildKit) docker build of a context directory: nothing is pulled
// because every FROM names a local image.
func (d *Docker) BuildContext(ctx context.Context, w *Work, dir, ref string) error {
	return command(ctx, w, dir, []string{"DOCKER_BUILDKIT=0"}, nil, d.bin(), "build", "--pull=false", "--network=none", "-t", ref, ".")
}

// Save writes an image as a docker-archive tar.
func (d *Docker) Save(ctx context.Context, ref string, out io.Writer) error {
	cmd := exec.CommandContext(ctx, d.bin(), "save", ref)
	cmd.Stdout = out
	cmd.Stderr = os.Stderr
	return cmd.Run()
}
