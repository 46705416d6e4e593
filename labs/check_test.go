package labs

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/provisioner"
)

// hostNode is a unit-test stand-in for a node: it runs commands on this machine with bash.
type hostNode struct{}

func (hostNode) Name() string           { return "host" }
func (hostNode) Hostname() string       { return "host" }
func (hostNode) Role() provisioner.Role { return provisioner.RoleControlPlane }
func (hostNode) Attach(context.Context, []string, provisioner.TermSize) (provisioner.TTY, error) {
	return nil, errors.New("no tty")
}
func (hostNode) Exec(ctx context.Context, cmd []string, opts provisioner.ExecOptions) (*provisioner.ExecResult, error) {
	c := exec.CommandContext(ctx, cmd[0], cmd[1:]...)
	c.Env = append(os.Environ(), opts.Env...)
	c.Stdin = opts.Stdin
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	res := &provisioner.ExecResult{Stdout: out.Bytes(), Stderr: errb.Bytes()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		res.ExitCode = ee.ExitCode()
		return nil, &provisioner.ExitError{Cmd: cmd, Result: res}
	}
	return res, err
}

func needTools(t *testing.T) {
	for _, tool := range []string{"bash", "timeout", "head"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s here", tool)
		}
	}
}

func TestCheckOutcomes(t *testing.T) {
	needTools(t)
	ctx := context.Background()
	r := Runner{Timeout: 2 * time.Second}
	failing := "#!/bin/bash\n[ -e /nonexistent/kubeplay ] || fail \"파일이 없습니다.\" \"No file.\"\n"
	if res := r.Check(ctx, hostNode{}, failing, "ko"); res.State != Failed || res.Message != "파일이 없습니다." {
		t.Errorf("ko: %+v", res)
	}
	if res := r.Check(ctx, hostNode{}, failing, "en"); res.State != Failed || res.Message != "No file." {
		t.Errorf("en: %+v", res)
	}
	if res := r.Check(ctx, hostNode{}, "#!/bin/bash\n[ \"$KUBEPLAY_LANG\" = en ] && k() { :; }\nk version >/dev/null 2>&1 || true\necho ok\n", "en"); res.State != Passed || res.Message != "ok" {
		t.Errorf("pass: %+v", res)
	}
	start := time.Now()
	if res := r.Check(ctx, hostNode{}, "#!/bin/bash\nsleep 60\n", "en"); res.State != TimedOut {
		t.Errorf("hang: %+v", res)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("a hanging check was stopped after %s", d)
	}
	start = time.Now()
	res := r.Check(ctx, hostNode{}, "#!/bin/bash\nyes kubeplay\n", "en")
	if res.State != TooMuch {
		t.Errorf("flood: %+v", res.State)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("a flooding check was stopped after %s", d)
	}
	// Reading stdin must not eat the script.
	if res := r.Check(ctx, hostNode{}, "#!/bin/bash\ncat >/dev/null\necho after\n", "en"); res.State != Passed || res.Message != "after" {
		t.Errorf("stdin: %+v", res)
	}
	long := "#!/bin/bash\nfor i in $(seq 1 500); do echo \"line $i\"; done; exit 3\n"
	if res := r.Check(ctx, hostNode{}, long, "en"); res.State != Failed || !strings.HasSuffix(res.Message, "line 500") || len([]rune(res.Message)) != MaxMessage+1 {
		t.Errorf("long output: %s %d chars", res.State, len([]rune(res.Message)))
	}
}
