package terminal

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"sync"
	"syscall"

	"github.com/creack/pty"

	"github.com/kubeplay/kubeplay/provisioner"
)

// LocalCommand starts a program of this host on a pty (creack/pty): for tests and for the
// instructor's own demo terminal.
func LocalCommand(env []string, name string, args ...string) Starter {
	return func(ctx context.Context, rows, cols uint16) (TTY, error) {
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), env...)
		f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: rows, Cols: cols})
		if err != nil {
			return nil, err
		}
		return &ptyTTY{f: f, cmd: cmd}, nil
	}
}

type ptyTTY struct {
	f    *os.File
	cmd  *exec.Cmd
	once sync.Once
}

func (t *ptyTTY) Read(p []byte) (int, error) {
	n, err := t.f.Read(p)
	// Linux answers EIO once the program has exited and its side of the pty is closed.
	if errors.Is(err, syscall.EIO) {
		return n, errEOF
	}
	return n, err
}

var errEOF = errors.New("terminal: program exited")

func (t *ptyTTY) Write(p []byte) (int, error) { return t.f.Write(p) }

func (t *ptyTTY) Resize(ctx context.Context, rows, cols uint16) error {
	return pty.Setsize(t.f, &pty.Winsize{Rows: rows, Cols: cols})
}

func (t *ptyTTY) Close() error {
	t.once.Do(func() {
		if t.cmd.Process != nil {
			_ = t.cmd.Process.Signal(syscall.SIGHUP)
		}
		t.f.Close()
		_ = t.cmd.Wait()
	})
	return nil
}

// NodeShell starts a login shell in a node container (docker exec with a TTY).
func NodeShell(n provisioner.Node, cmd ...string) Starter {
	if len(cmd) == 0 {
		cmd = []string{"bash", "-l"}
	}
	return func(ctx context.Context, rows, cols uint16) (TTY, error) {
		t, err := n.Attach(ctx, cmd, provisioner.TermSize{Rows: rows, Cols: cols})
		if err != nil {
			return nil, err
		}
		return nodeTTY{t}, nil
	}
}

type nodeTTY struct{ provisioner.TTY }

func (t nodeTTY) Resize(ctx context.Context, rows, cols uint16) error {
	return t.TTY.Resize(ctx, provisioner.TermSize{Rows: rows, Cols: cols})
}
