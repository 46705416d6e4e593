package nodeimage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/kubeplay/kubeplay/internal/lines"
)

// command runs a program with its output in the stage log; the last lines of output come back in
// the error so that the person running the build sees why without opening the log.
func command(ctx context.Context, w *Work, dir string, env []string, onLine func(string), name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	tail := &tailBuffer{max: 30}
	lw := &lines.Writer{Fn: func(line string) {
		tail.add(line)
		if w != nil && w.Log != nil {
			fmt.Fprintln(w.Log, line)
		}
		if onLine != nil {
			onLine(line)
		}
	}}
	cmd.Stdout = lw
	cmd.Stderr = lw
	if w != nil && w.Log != nil {
		fmt.Fprintf(w.Log, "$ %s %s\n", name, strings.Join(args, " "))
	}
	err := cmd.Run()
	lw.Flush()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var ee *exec.Error
		if errors.As(err, &ee) {
			return &Hint{Err: fmt.Errorf("%s: %w", name, err), Advice: fmt.Sprintf("install %s on this host", name)}
		}
		return &outputError{cmd: name + " " + strings.Join(args, " "), err: err, tail: tail.String()}
	}
	return nil
}

// output runs a program and returns its standard output.
func output(ctx context.Context, dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, stderr bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return out.String(), &outputError{cmd: name + " " + strings.Join(args, " "), err: err, tail: stderr.String()}
	}
	return out.String(), nil
}

type outputError struct {
	cmd  string
	err  error
	tail string
}

func (e *outputError) Error() string {
	t := strings.TrimSpace(e.tail)
	if t == "" {
		return fmt.Sprintf("%s: %v", e.cmd, e.err)
	}
	return fmt.Sprintf("%s: %v\n%s", e.cmd, e.err, indent(t))
}

func (e *outputError) Unwrap() error { return e.err }

func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}

type tailBuffer struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func (t *tailBuffer) add(l string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, l)
	if len(t.lines) > t.max {
		t.lines = t.lines[len(t.lines)-t.max:]
	}
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}
