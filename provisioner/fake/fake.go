// Package fake is an in-memory Provisioner for unit tests of the layers above the provisioner. Its
// nodes run a tiny scripted shell: Exec answers through a handler the test may set (by default
// "echo", "true", "false", "hostname" and "stty size" behave as in a node), and Attach gives a TTY
// that understands the same commands line by line. The conformance suite in provisioner/provtest
// runs against it and against the real implementation, so the two cannot drift.
package fake

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/provisioner"
)

// Provisioner keeps clusters in memory.
type Provisioner struct {
	mu       sync.Mutex
	clusters map[string]*provisioner.Cluster
	dead     map[string]bool // node name -> killed
	paused   map[string]bool // cluster id -> paused
	// Handler, when set, answers Exec before the built-in commands; ok=false falls through.
	Handler func(node string, cmd []string) (res *provisioner.ExecResult, ok bool)
	// CreateHook, when set, runs inside Create (to inject delays or failures).
	CreateHook func(ctx context.Context, spec provisioner.Spec) error
	Now        func() time.Time
	Down       bool  // the engine "does not answer"
	ResumeErr  error // when set, Resume fails with it
}

// New returns an empty fake.
func New() *Provisioner {
	return &Provisioner{clusters: map[string]*provisioner.Cluster{}, dead: map[string]bool{}, paused: map[string]bool{}}
}

func (p *Provisioner) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Provisioner) check() error {
	if p.Down {
		return provisioner.ErrEngineDown
	}
	return nil
}

// Create makes a cluster of fake nodes.
func (p *Provisioner) Create(ctx context.Context, spec provisioner.Spec, progress func(provisioner.Stage)) (*provisioner.Cluster, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	_, exists := p.clusters[spec.ID]
	p.mu.Unlock()
	if exists {
		return nil, fmt.Errorf("%w: cluster %s exists", provisioner.ErrInvalidSpec, spec.ID)
	}
	report := func(name, msg string) {
		if progress != nil {
			progress(provisioner.Stage{Name: name, Message: msg, At: p.now()})
		}
	}
	report("network", "network "+spec.ID)
	if p.CreateHook != nil {
		if err := p.CreateHook(ctx, spec); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c := &provisioner.Cluster{ID: spec.ID, Mode: spec.Mode, Network: "kubeplay-" + spec.ID, Image: spec.Image, Created: p.now(), Labels: spec.Labels}
	if spec.Mode == provisioner.ModeKind {
		c.Nodes = append(c.Nodes, p.node(spec.ID+"-control-plane", spec.ID+"-control-plane", provisioner.RoleControlPlane))
		for i := 1; i <= spec.Workers; i++ {
			name := spec.ID + "-worker"
			if i > 1 {
				name += fmt.Sprint(i)
			}
			c.Nodes = append(c.Nodes, p.node(name, name, provisioner.RoleWorker))
		}
		c.Kubeconfig = "/fake/" + spec.ID + "/kubeconfig"
	} else {
		for i := 1; i <= spec.Workers+1; i++ {
			c.Nodes = append(c.Nodes, p.node(fmt.Sprintf("%s-node%d", spec.ID, i), fmt.Sprintf("node%d", i), provisioner.RoleNode))
		}
	}
	report("nodes", fmt.Sprintf("%d nodes", len(c.Nodes)))
	p.mu.Lock()
	p.clusters[spec.ID] = c
	p.mu.Unlock()
	report("ready", "ready")
	return c, nil
}

func (p *Provisioner) node(name, host string, role provisioner.Role) *Node {
	return &Node{p: p, name: name, host: host, role: role}
}

// Get finds a cluster.
func (p *Provisioner) Get(ctx context.Context, id string) (*provisioner.Cluster, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.clusters[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", provisioner.ErrNotFound, id)
	}
	return c, nil
}

// List returns every cluster, by id.
func (p *Provisioner) List(ctx context.Context) ([]*provisioner.Cluster, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []*provisioner.Cluster
	for _, c := range p.clusters {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Delete removes a cluster; deleting one that is gone is not an error.
func (p *Provisioner) Delete(ctx context.Context, id string) error {
	if err := p.check(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.clusters[id]; ok {
		for _, n := range c.Nodes {
			delete(p.dead, n.Name())
		}
	}
	delete(p.clusters, id)
	delete(p.paused, id)
	return nil
}

// Pause marks a cluster paused: its nodes refuse Exec and Attach until Resume.
func (p *Provisioner) Pause(ctx context.Context, id string) error {
	return p.setPaused(id, true)
}

// Resume undoes Pause (or fails with ResumeErr).
func (p *Provisioner) Resume(ctx context.Context, id string) error {
	if p.ResumeErr != nil {
		return p.ResumeErr
	}
	return p.setPaused(id, false)
}

func (p *Provisioner) setPaused(id string, paused bool) error {
	if err := p.check(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.clusters[id]
	if !ok {
		return fmt.Errorf("%w: %s", provisioner.ErrNotFound, id)
	}
	p.paused[id] = paused
	c.Paused = paused
	return nil
}

// isPaused tells whether node's cluster is paused.
func (p *Provisioner) isPaused(node string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, c := range p.clusters {
		for _, n := range c.Nodes {
			if n.Name() == node {
				return p.paused[id]
			}
		}
	}
	return false
}

// Health reports each node.
func (p *Provisioner) Health(ctx context.Context, id string) ([]provisioner.NodeHealth, error) {
	c, err := p.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []provisioner.NodeHealth
	for _, n := range c.Nodes {
		h := provisioner.NodeHealth{Node: n.Name(), Running: !p.dead[n.Name()], CheckedAt: p.now()}
		if h.Running && p.paused[id] {
			h.Paused, h.Problem = true, "the node is paused"
		} else if h.Running {
			if c.Mode == provisioner.ModeKind {
				h.Kubelet = "active"
			} else {
				h.Kubelet = "inactive"
			}
		} else {
			h.Problem = "the node container has stopped"
		}
		out = append(out, h)
	}
	return out, nil
}

// Kill stops a node, as a crash would.
func (p *Provisioner) Kill(node string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dead[node] = true
}

// Node is a fake node.
type Node struct {
	p          *Provisioner
	name, host string
	role       provisioner.Role
}

func (n *Node) Name() string           { return n.name }
func (n *Node) Hostname() string       { return n.host }
func (n *Node) Role() provisioner.Role { return n.role }
func (n *Node) alive() bool            { n.p.mu.Lock(); defer n.p.mu.Unlock(); return !n.p.dead[n.name] }
func (n *Node) deadErr() error {
	return fmt.Errorf("%w: node %s is not running", provisioner.ErrNodeNotFound, n.name)
}

// Exec runs a scripted command.
func (n *Node) Exec(ctx context.Context, cmd []string, opts provisioner.ExecOptions) (*provisioner.ExecResult, error) {
	if err := n.p.check(); err != nil {
		return nil, err
	}
	if !n.alive() {
		return nil, n.deadErr()
	}
	if n.p.isPaused(n.name) {
		return nil, fmt.Errorf("%w: node %s", provisioner.ErrPaused, n.name)
	}
	if n.p.Handler != nil {
		if res, ok := n.p.Handler(n.name, cmd); ok {
			if res.ExitCode != 0 {
				return res, &provisioner.ExitError{Cmd: cmd, Result: res}
			}
			return res, nil
		}
	}
	var stdin []byte
	if opts.Stdin != nil {
		stdin, _ = io.ReadAll(opts.Stdin)
	}
	out, code := n.run(cmd, stdin, provisioner.TermSize{})
	res := &provisioner.ExecResult{Stdout: out, ExitCode: code}
	if code == 127 {
		res.Stdout, res.Stderr = nil, out
	}
	if code != 0 {
		return res, &provisioner.ExitError{Cmd: cmd, Result: res}
	}
	return res, nil
}

// run interprets the few commands the fake knows.
func (n *Node) run(cmd []string, stdin []byte, size provisioner.TermSize) ([]byte, int) {
	if len(cmd) >= 3 && (cmd[0] == "sh" || cmd[0] == "bash") && cmd[1] == "-c" {
		cmd = strings.Fields(cmd[2])
	}
	if len(cmd) == 0 {
		return nil, 0
	}
	switch cmd[0] {
	case "echo":
		return []byte(strings.Join(cmd[1:], " ") + "\n"), 0
	case "true":
		return nil, 0
	case "false":
		return nil, 1
	case "cat":
		return stdin, 0
	case "hostname":
		return []byte(n.host + "\n"), 0
	case "stty":
		if len(cmd) > 1 && cmd[1] == "size" {
			return []byte(fmt.Sprintf("%d %d\n", size.Rows, size.Cols)), 0
		}
		return nil, 0
	}
	return []byte(cmd[0] + ": command not found\n"), 127
}

// Attach starts a fake shell: each line written runs as a command; its output, then a prompt, is read back.
func (n *Node) Attach(ctx context.Context, cmd []string, size provisioner.TermSize) (provisioner.TTY, error) {
	if err := n.p.check(); err != nil {
		return nil, err
	}
	if !n.alive() {
		return nil, n.deadErr()
	}
	if n.p.isPaused(n.name) {
		return nil, fmt.Errorf("%w: node %s", provisioner.ErrPaused, n.name)
	}
	t := &tty{node: n, size: size, done: make(chan struct{})}
	t.cond = sync.NewCond(&t.mu)
	t.out.WriteString("$ ")
	return t, nil
}

type tty struct {
	node   *Node
	mu     sync.Mutex
	cond   *sync.Cond
	size   provisioner.TermSize
	out    bytes.Buffer
	line   []byte
	closed bool
	code   int
	done   chan struct{}
}

func (t *tty) Read(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.out.Len() == 0 && !t.closed {
		t.cond.Wait()
	}
	if t.out.Len() == 0 {
		return 0, io.EOF
	}
	return t.out.Read(p)
}

func (t *tty) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return 0, io.ErrClosedPipe
	}
	for _, b := range p {
		if b == '\r' || b == '\n' {
			t.out.WriteString("\r\n")
			fields := strings.Fields(string(t.line))
			t.line = t.line[:0]
			if len(fields) > 0 && fields[0] == "exit" {
				t.closed = true
				close(t.done)
				break
			}
			out, _ := t.node.run(fields, nil, t.size)
			t.out.Write(bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n")))
			t.out.WriteString("$ ")
			continue
		}
		t.line = append(t.line, b)
		t.out.WriteByte(b) // echo
	}
	t.cond.Broadcast()
	return len(p), nil
}

func (t *tty) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.closed {
		t.closed = true
		close(t.done)
	}
	t.cond.Broadcast()
	return nil
}

func (t *tty) Resize(ctx context.Context, size provisioner.TermSize) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.size = size
	return nil
}

func (t *tty) Wait(ctx context.Context) (int, error) {
	select {
	case <-t.done:
		return t.code, nil
	case <-ctx.Done():
		return -1, ctx.Err()
	}
}
