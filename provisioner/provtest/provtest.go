// Package provtest is the conformance suite every Provisioner passes: the fake and the real one run
// the same checks, so that tests written against the fake mean something about the real thing.
package provtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/provisioner"
)

// Config tells the suite about the implementation under test.
type Config struct {
	Image string
	// Kill stops a node container as a crash would.
	Kill func(t *testing.T, node string)
	// WhilePaused, when set, runs while a cluster is paused (to check it really uses no CPU).
	WhilePaused func(t *testing.T, nodes []provisioner.Node)
	// Timeout for each create (real clusters take a minute).
	Timeout time.Duration
	// IDPrefix makes ids unique to the run.
	IDPrefix string
}

// Run runs the suite.
func Run(t *testing.T, p provisioner.Provisioner, cfg Config) {
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Minute
	}
	t.Run("invalid specs are refused", func(t *testing.T) {
		ctx := context.Background()
		for _, s := range []provisioner.Spec{
			{ID: "", Mode: provisioner.ModeKind, Image: cfg.Image},
			{ID: "UPPER", Mode: provisioner.ModeKind, Image: cfg.Image},
			{ID: cfg.IDPrefix + "x", Mode: "swarm", Image: cfg.Image},
			{ID: cfg.IDPrefix + "x", Mode: provisioner.ModeKind, Workers: 9, Image: cfg.Image},
		} {
			if _, err := p.Create(ctx, s, nil); !errors.Is(err, provisioner.ErrInvalidSpec) {
				t.Errorf("spec %+v: want ErrInvalidSpec, got %v", s, err)
			}
		}
		if _, err := p.Get(ctx, cfg.IDPrefix+"nothere"); !errors.Is(err, provisioner.ErrNotFound) {
			t.Errorf("Get of an unknown id: want ErrNotFound, got %v", err)
		}
	})

	t.Run("kind cluster", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
		defer cancel()
		id := cfg.IDPrefix + "k"
		var stages []string
		c, err := p.Create(ctx, provisioner.Spec{ID: id, Mode: provisioner.ModeKind, Workers: 1, Image: cfg.Image, Labels: map[string]string{"class": "c1"}},
			func(s provisioner.Stage) { stages = append(stages, s.Name) })
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		defer func() { _ = p.Delete(context.Background(), id) }()
		if len(stages) == 0 || stages[len(stages)-1] != "ready" {
			t.Errorf("progress stages %v do not end with ready", stages)
		}
		if len(c.Nodes) != 2 || c.Nodes[0].Role() != provisioner.RoleControlPlane || c.Nodes[1].Role() != provisioner.RoleWorker {
			t.Fatalf("nodes: %v", describe(c.Nodes))
		}
		if c.Labels["class"] != "c1" {
			t.Errorf("labels not kept: %v", c.Labels)
		}
		got, err := p.Get(ctx, id)
		if err != nil || got.ID != id || len(got.Nodes) != 2 || got.Mode != provisioner.ModeKind {
			t.Fatalf("get: %+v %v", got, err)
		}
		list, err := p.List(ctx)
		if err != nil || !contains(list, id) {
			t.Fatalf("list: %v %v", list, err)
		}
		if _, err := p.Create(ctx, provisioner.Spec{ID: id, Mode: provisioner.ModeKind, Image: cfg.Image}, nil); err == nil {
			t.Error("a second create with the same id succeeded")
		}
		checkExec(t, ctx, c.Nodes[0])
		checkAttach(t, ctx, c.Nodes[1])

		h, err := p.Health(ctx, id)
		if err != nil || len(h) != 2 {
			t.Fatalf("health: %v %v", h, err)
		}
		for _, nh := range h {
			if !nh.Healthy() {
				t.Errorf("node %s unhealthy: %+v", nh.Node, nh)
			}
		}
		checkPause(t, ctx, p, id, c.Nodes, cfg.WhilePaused)
		if cfg.Kill != nil {
			cfg.Kill(t, c.Nodes[1].Name())
			h, err = p.Health(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if h[1].Running || h[1].Healthy() || h[1].Problem == "" {
				t.Errorf("a killed node is reported as %+v", h[1])
			}
			if _, err := c.Nodes[1].Exec(ctx, []string{"true"}, provisioner.ExecOptions{}); err == nil {
				t.Error("exec in a killed node succeeded")
			}
		}
		if err := p.Delete(ctx, id); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, err := p.Get(ctx, id); !errors.Is(err, provisioner.ErrNotFound) {
			t.Errorf("after delete, get: %v", err)
		}
		if list, _ := p.List(ctx); contains(list, id) {
			t.Error("after delete, list still has it")
		}
		if err := p.Delete(ctx, id); err != nil {
			t.Errorf("a second delete: %v", err)
		}
	})

	t.Run("bare kubeadm nodes", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
		defer cancel()
		id := cfg.IDPrefix + "b"
		c, err := p.Create(ctx, provisioner.Spec{ID: id, Mode: provisioner.ModeKubeadm, Workers: 1, Image: cfg.Image}, nil)
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		defer func() { _ = p.Delete(context.Background(), id) }()
		if len(c.Nodes) != 2 {
			t.Fatalf("nodes: %v", describe(c.Nodes))
		}
		for i, n := range c.Nodes {
			want := []string{"node1", "node2"}[i]
			if n.Hostname() != want || n.Role() != provisioner.RoleNode {
				t.Errorf("node %d: %s %s %s", i, n.Name(), n.Hostname(), n.Role())
			}
			res, err := n.Exec(ctx, []string{"hostname"}, provisioner.ExecOptions{})
			if err != nil || strings.TrimSpace(string(res.Stdout)) != want {
				t.Errorf("hostname in %s: %v %v", n.Name(), res, err)
			}
		}
		h, err := p.Health(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, nh := range h {
			if !nh.Running || !nh.Healthy() {
				t.Errorf("bare node %s: %+v", nh.Node, nh)
			}
		}
		// A paused cluster (an idle session at its end) is deleted like any other.
		if err := p.Pause(ctx, id); err != nil {
			t.Fatal(err)
		}
		if err := p.Delete(ctx, id); err != nil {
			t.Fatalf("delete of a paused cluster: %v", err)
		}
		if _, err := p.Get(ctx, id); !errors.Is(err, provisioner.ErrNotFound) {
			t.Errorf("after deleting a paused cluster, get: %v", err)
		}
	})
}

func contains(list []*provisioner.Cluster, id string) bool {
	for _, c := range list {
		if c.ID == id {
			return true
		}
	}
	return false
}

func describe(nodes []provisioner.Node) []string {
	var s []string
	for _, n := range nodes {
		s = append(s, n.Name()+"/"+string(n.Role()))
	}
	return s
}

func checkExec(t *testing.T, ctx context.Context, n provisioner.Node) {
	t.Helper()
	res, err := n.Exec(ctx, []string{"echo", "hello", "world"}, provisioner.ExecOptions{})
	if err != nil || string(res.Stdout) != "hello world\n" || res.ExitCode != 0 {
		t.Errorf("echo: %+v %v", res, err)
	}
	res, err = n.Exec(ctx, []string{"cat"}, provisioner.ExecOptions{Stdin: strings.NewReader("안녕하세요\n")})
	if err != nil || string(res.Stdout) != "안녕하세요\n" {
		t.Errorf("cat with stdin: %+v %v", res, err)
	}
	res, err = n.Exec(ctx, []string{"false"}, provisioner.ExecOptions{})
	var ee *provisioner.ExitError
	if !errors.As(err, &ee) || ee.Result.ExitCode != 1 || res == nil || res.ExitCode != 1 {
		t.Errorf("false: want an ExitError with code 1, got %+v %v", res, err)
	}
}

// checkAttach opens a shell, resizes it, asks its size and exits.
func checkAttach(t *testing.T, ctx context.Context, n provisioner.Node) {
	t.Helper()
	tty, err := n.Attach(ctx, []string{"bash"}, provisioner.TermSize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatalf("attach: %v", err)
	}
	defer tty.Close()
	if err := tty.Resize(ctx, provisioner.TermSize{Rows: 41, Cols: 123}); err != nil {
		t.Fatalf("resize: %v", err)
	}
	out := make(chan []byte, 1)
	go func() {
		var buf bytes.Buffer
		_, _ = io.Copy(&buf, tty)
		out <- buf.Bytes()
	}()
	time.Sleep(300 * time.Millisecond)
	if _, err := tty.Write([]byte("stty size\nexit\n")); err != nil {
		t.Fatalf("write: %v", err)
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	code, err := tty.Wait(wctx)
	if err != nil || code != 0 {
		t.Errorf("wait: %d %v", code, err)
	}
	select {
	case b := <-out:
		if !bytes.Contains(b, []byte("41 123")) {
			t.Errorf("stty size after resize to 41x123, the terminal showed:\n%q", b)
		}
	case <-time.After(30 * time.Second):
		t.Error("the terminal did not close after exit")
	}
}

// checkPause pauses a cluster and resumes it: paused nodes refuse commands and report it, a resumed
// cluster works again, and both calls can be repeated.
func checkPause(t *testing.T, ctx context.Context, p provisioner.Provisioner, id string, nodes []provisioner.Node, whilePaused func(*testing.T, []provisioner.Node)) {
	t.Helper()
	for i := 0; i < 2; i++ {
		if err := p.Pause(ctx, id); err != nil {
			t.Fatalf("pause (%d): %v", i+1, err)
		}
	}
	if c, err := p.Get(ctx, id); err != nil || !c.Paused {
		t.Errorf("get of a paused cluster: paused=%v err=%v", c != nil && c.Paused, err)
	}
	if _, err := nodes[0].Exec(ctx, []string{"true"}, provisioner.ExecOptions{}); !errors.Is(err, provisioner.ErrPaused) {
		t.Errorf("exec in a paused node: want ErrPaused, got %v", err)
	}
	h, err := p.Health(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, nh := range h {
		if !nh.Paused || nh.Healthy() {
			t.Errorf("paused node reported as %+v", nh)
		}
	}
	if whilePaused != nil {
		whilePaused(t, nodes)
	}
	start := time.Now()
	for i := 0; i < 2; i++ {
		if err := p.Resume(ctx, id); err != nil {
			t.Fatalf("resume (%d): %v", i+1, err)
		}
	}
	t.Logf("resumed in %s", time.Since(start).Round(100*time.Millisecond))
	if c, err := p.Get(ctx, id); err != nil || c.Paused {
		t.Errorf("get of a resumed cluster: %+v %v", c, err)
	}
	checkExec(t, ctx, nodes[0])
	h, err = p.Health(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, nh := range h {
		if !nh.Healthy() {
			t.Errorf("resumed node %s unhealthy: %+v", nh.Node, nh)
		}
	}
	if err := p.Pause(ctx, id+"nothere"); !errors.Is(err, provisioner.ErrNotFound) {
		t.Errorf("pause of an unknown cluster: want ErrNotFound, got %v", err)
	}
}
