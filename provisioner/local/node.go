package local

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/kubeplay/kubeplay/provisioner"
)

// node is a node container on the local engine.
type node struct {
	docker *client.Client
	name   string
	host   string
	role   provisioner.Role
}

func (n *node) Name() string           { return n.name }
func (n *node) Hostname() string       { return n.host }
func (n *node) Role() provisioner.Role { return n.role }

// capWriter keeps the first max bytes written to it and counts the rest.
type capWriter struct {
	buf       bytes.Buffer
	max       int
	truncated bool
}

func (w *capWriter) Write(p []byte) (int, error) {
	if room := w.max - w.buf.Len(); room > 0 {
		if len(p) > room {
			w.buf.Write(p[:room])
			w.truncated = true
		} else {
			w.buf.Write(p)
		}
	} else if len(p) > 0 {
		w.truncated = true
	}
	return len(p), nil
}

// Exec runs a command in the node and waits for it.
func (n *node) Exec(ctx context.Context, cmd []string, opts provisioner.ExecOptions) (*provisioner.ExecResult, error) {
	if len(cmd) == 0 {
		return nil, errors.New("exec: empty command")
	}
	created, err := n.docker.ContainerExecCreate(ctx, n.name, container.ExecOptions{
		Cmd: cmd, Env: opts.Env, AttachStdin: opts.Stdin != nil, AttachStdout: true, AttachStderr: true,
	})
	if err != nil {
		return nil, engineErr(fmt.Errorf("exec in %s: %w", n.name, err))
	}
	hj, err := n.docker.ContainerExecAttach(ctx, created.ID, container.ExecAttachOptions{})
	if err != nil {
		return nil, engineErr(fmt.Errorf("exec in %s: %w", n.name, err))
	}
	defer hj.Close()
	stop := context.AfterFunc(ctx, func() { hj.Close() })
	defer stop()
	if opts.Stdin != nil {
		go func() {
			_, _ = io.Copy(hj.Conn, opts.Stdin)
			_ = hj.CloseWrite()
		}()
	}
	max := opts.MaxOutput
	if max <= 0 {
		max = 1 << 20
	}
	stdout, stderr := &capWriter{max: max}, &capWriter{max: max}
	_, copyErr := stdcopy.StdCopy(stdout, stderr, hj.Reader)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if copyErr != nil && !errors.Is(copyErr, io.EOF) {
		return nil, fmt.Errorf("exec in %s: reading output: %w", n.name, copyErr)
	}
	code, err := n.exitCode(ctx, created.ID)
	if err != nil {
		return nil, err
	}
	res := &provisioner.ExecResult{Stdout: stdout.buf.Bytes(), Stderr: stderr.buf.Bytes(), ExitCode: code, Truncated: stdout.truncated || stderr.truncated}
	if code != 0 {
		return res, &provisioner.ExitError{Cmd: cmd, Result: res}
	}
	return res, nil
}

// exitCode waits for an exec to be reported finished (the stream can end a moment before).
func (n *node) exitCode(ctx context.Context, id string) (int, error) {
	for i := 0; ; i++ {
		ins, err := n.docker.ContainerExecInspect(ctx, id)
		if err != nil {
			return -1, engineErr(err)
		}
		if !ins.Running {
			return ins.ExitCode, nil
		}
		if i > 200 {
			return -1, fmt.Errorf("exec %s: still running after its output ended", id)
		}
		select {
		case <-ctx.Done():
			return -1, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Attach starts cmd on a TTY in the node.
func (n *node) Attach(ctx context.Context, cmd []string, size provisioner.TermSize) (provisioner.TTY, error) {
	if len(cmd) == 0 {
		cmd = []string{"bash", "-l"}
	}
	cs := &[2]uint{uint(size.Rows), uint(size.Cols)}
	if size.Rows == 0 || size.Cols == 0 {
		cs = &[2]uint{24, 80}
	}
	created, err := n.docker.ContainerExecCreate(ctx, n.name, container.ExecOptions{
		Cmd: cmd, Tty: true, AttachStdin: true, AttachStdout: true, AttachStderr: true, ConsoleSize: cs,
		Env: []string{"TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"}, WorkingDir: "/root",
	})
	if err != nil {
		return nil, engineErr(fmt.Errorf("terminal in %s: %w", n.name, err))
	}
	hj, err := n.docker.ContainerExecAttach(ctx, created.ID, container.ExecAttachOptions{Tty: true, ConsoleSize: cs})
	if err != nil {
		return nil, engineErr(fmt.Errorf("terminal in %s: %w", n.name, err))
	}
	return &tty{n: n, id: created.ID, hj: hj}, nil
}

type tty struct {
	n    *node
	id   string
	hj   types.HijackedResponse
	once sync.Once
}

func (t *tty) Read(p []byte) (int, error)  { return t.hj.Reader.Read(p) }
func (t *tty) Write(p []byte) (int, error) { return t.hj.Conn.Write(p) }

func (t *tty) Close() error {
	t.once.Do(func() { t.hj.Close() })
	return nil
}

func (t *tty) Resize(ctx context.Context, size provisioner.TermSize) error {
	if size.Rows == 0 || size.Cols == 0 {
		return nil
	}
	return t.n.docker.ContainerExecResize(ctx, t.id, container.ResizeOptions{Height: uint(size.Rows), Width: uint(size.Cols)})
}

func (t *tty) Wait(ctx context.Context) (int, error) {
	for {
		ins, err := t.n.docker.ContainerExecInspect(ctx, t.id)
		if err != nil {
			return -1, engineErr(err)
		}
		if !ins.Running {
			return ins.ExitCode, nil
		}
		select {
		case <-ctx.Done():
			return -1, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// engineErr marks errors that mean the engine is unreachable.
func engineErr(err error) error {
	if err == nil {
		return nil
	}
	if client.IsErrConnectionFailed(err) {
		return fmt.Errorf("%w: %v", provisioner.ErrEngineDown, err)
	}
	if cerrdefs.IsConflict(err) && strings.Contains(err.Error(), "paused") {
		return fmt.Errorf("%w: %v", provisioner.ErrPaused, err)
	}
	return err
}
