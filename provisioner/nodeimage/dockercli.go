package nodeimage

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The docker CLI that kind drives, for the server image (`kubeplay image server`): the server in a
// container has the host's engine through its socket but no docker program of its own. docker/cli
// has no go.mod (its module file is vendor.mod, and module zips carry no vendor/), so the stage
// turns vendor.mod into the go.mod of a copy and lets the module proxy supply the requirements.
// The one requirement the proxy refuses (a docker/docker pseudo-version from the 28.x branch) is
// replaced by the release of the same series.
const (
	dockerCLIModule = "github.com/docker/cli"
	// DockerCLIStage is the stage that builds the docker CLI; no other stage depends on it.
	DockerCLIStage = "dockercli"
)

func (b *Builder) defineDockerCLI(gov string) error {
	o := b.Opts
	return b.engine.Add(&Stage{
		Name:   DockerCLIStage,
		Inputs: []string{gov, dockerCLIModule, o.DockerCLI, o.DockerEngineModule, "dockercli-1"},
		Run: func(ctx context.Context, w *Work) error {
			w.Say("resolving %s@%s", dockerCLIModule, o.DockerCLI)
			out, err := output(ctx, w.Tmp, goEnv, "go", "mod", "download", "-json", dockerCLIModule+"@"+o.DockerCLI)
			if err != nil {
				return goHint(err)
			}
			var info struct{ Dir, Error string }
			if err := json.Unmarshal([]byte(out), &info); err != nil {
				return fmt.Errorf("go mod download %s: %w", dockerCLIModule, err)
			}
			if info.Error != "" {
				return goHint(fmt.Errorf("%s@%s: %s", dockerCLIModule, o.DockerCLI, info.Error))
			}
			src := filepath.Join(w.Tmp, "cli")
			if err := copyTree(info.Dir, src); err != nil {
				return err
			}
			if err := os.RemoveAll(filepath.Join(src, "vendor")); err != nil {
				return err
			}
			for _, f := range [][2]string{{"vendor.mod", "go.mod"}, {"vendor.sum", "go.sum"}} {
				if err := os.Rename(filepath.Join(src, f[0]), filepath.Join(src, f[1])); err != nil {
					return fmt.Errorf("docker/cli %s: %w", o.DockerCLI, err)
				}
			}
			if err := goRun(ctx, w, src, "mod", "edit", "-replace", "github.com/docker/docker=github.com/docker/docker@"+o.DockerEngineModule); err != nil {
				return err
			}
			version := strings.TrimSuffix(strings.TrimPrefix(o.DockerCLI, "v"), "+incompatible")
			w.Say("compiling docker %s", version)
			return goRun(ctx, w, src, "build", "-v", "-trimpath", "-ldflags",
				"-s -w -X github.com/docker/cli/cli/version.Version="+version, "-o", filepath.Join(w.Out, "docker"), "./cmd/docker")
		},
	})
}

// copyTree copies a directory (the module cache's read-only files) into dst, writable.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
