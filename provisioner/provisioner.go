// Package provisioner is the one boundary between kubeplay and the container engine: it makes a
// cluster of node containers for a session (bootstrapped by kind, or bare nodes for the kubeadm
// lesson), runs commands and terminals in its nodes, reports their health, finds clusters again after
// a restart and deletes them without a trace. Everything above it talks to these interfaces; the real
// implementation is in provisioner/local, an in-memory one for unit tests in provisioner/fake.
package provisioner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Mode is how a cluster's nodes are set up.
type Mode string

const (
	// ModeKind: kind runs kubeadm on the nodes; the cluster is Ready when Create returns.
	ModeKind Mode = "kind"
	// ModeKubeadm: bare nodes with containerd and kubelet installed and no cluster, for a student to
	// build one with kubeadm init / join.
	ModeKubeadm Mode = "kubeadm"
)

// Role of a node.
type Role string

const (
	RoleControlPlane Role = "control-plane"
	RoleWorker       Role = "worker"
	RoleNode         Role = "node" // a bare kubeadm-mode node: the student decides
)

// Limits cap one node container.
type Limits struct {
	MemoryBytes int64   // hard memory limit (swap included)
	CPUs        float64 // CPU quota in cores
	PIDs        int64   // process count
}

// Spec describes a cluster to create.
type Spec struct {
	ID      string            // session id: names and labels derive from it; [a-z0-9-], at most 20
	Mode    Mode              // kind or kubeadm
	Workers int               // kind: 0..3 workers beside the control plane; kubeadm: nodes beyond node1
	Image   string            // node image reference
	Limits  Limits            // per node; zero fields take the defaults
	Labels  map[string]string // extra labels on every container and the network (e.g. class id)
}

// Stage reports the progress of a create.
type Stage struct {
	Name    string // "network", "nodes", "kubeadm init", ...
	Message string
	At      time.Time
}

// Cluster is a session's cluster.
type Cluster struct {
	ID         string
	Mode       Mode
	Network    string
	Image      string
	Kubeconfig string // kind mode: a kubeconfig file of the cluster's own (server reachable from the host)
	Created    time.Time
	Labels     map[string]string
	Nodes      []Node
	Paused     bool // every node is paused (see Provisioner.Pause)
}

// Node is one node container.
type Node interface {
	// Name is the container's name; Hostname the node's host name (node1, <id>-control-plane).
	Name() string
	Hostname() string
	Role() Role
	// Exec runs a command to completion. A non-zero exit is an *ExitError that keeps the output.
	Exec(ctx context.Context, cmd []string, opts ExecOptions) (*ExecResult, error)
	// Attach starts an interactive command (a shell) on a TTY.
	Attach(ctx context.Context, cmd []string, size TermSize) (TTY, error)
}

// ExecOptions for Node.Exec.
type ExecOptions struct {
	Stdin io.Reader
	Env   []string
	// MaxOutput caps what is kept of stdout and stderr each (0: 1 MiB); the rest is dropped and
	// Truncated is set.
	MaxOutput int
}

// ExecResult is what a command printed.
type ExecResult struct {
	Stdout, Stderr []byte
	ExitCode       int
	Truncated      bool
}

// ExitError is a command that ran and failed.
type ExitError struct {
	Cmd    []string
	Result *ExecResult
}

func (e *ExitError) Error() string {
	return fmt.Sprintf("%v exited with %d: %s", e.Cmd, e.Result.ExitCode, tail(e.Result.Stderr, 400))
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// TermSize is a terminal's size in characters.
type TermSize struct{ Rows, Cols uint16 }

// TTY is an interactive command's terminal: reads are its output, writes its input.
type TTY interface {
	io.ReadWriteCloser
	Resize(ctx context.Context, size TermSize) error
	// Wait blocks until the command ends and returns its exit code.
	Wait(ctx context.Context) (int, error)
}

// NodeHealth says whether a node works.
type NodeHealth struct {
	Node      string
	Running   bool   // the container runs
	Paused    bool   // the container is paused (Provisioner.Pause)
	Kubelet   string // "active", "inactive", "failed", ... ("" when it could not be asked)
	Problem   string // a short reason when not healthy
	CheckedAt time.Time
}

// Healthy is true when the container runs and, on a node that has joined a cluster, the kubelet too.
func (h NodeHealth) Healthy() bool { return h.Running && !h.Paused && h.Problem == "" }

// Provisioner makes, finds and removes clusters.
type Provisioner interface {
	Create(ctx context.Context, spec Spec, progress func(Stage)) (*Cluster, error)
	// Get finds one cluster by id (ErrNotFound when there is none).
	Get(ctx context.Context, id string) (*Cluster, error)
	// List finds every cluster this kubeplay made, from the engine's labels.
	List(ctx context.Context) ([]*Cluster, error)
	Delete(ctx context.Context, id string) error
	Health(ctx context.Context, id string) ([]NodeHealth, error)
	// Pause freezes every node of a cluster (no CPU is used while paused; memory stays). Exec and
	// Attach on a paused node fail. Pausing a paused cluster is not an error.
	Pause(ctx context.Context, id string) error
	// Resume thaws a paused cluster and returns once it is usable again: in kind mode, when the API
	// server answers and every node is Ready. Resuming a running cluster is not an error.
	Resume(ctx context.Context, id string) error
}

// Errors that callers tell apart.
var (
	ErrNotFound     = errors.New("no such cluster")
	ErrEngineDown   = errors.New("the container engine does not answer")
	ErrInvalidSpec  = errors.New("invalid cluster spec")
	ErrNodeNotFound = errors.New("no such node")
	ErrPaused       = errors.New("the cluster is paused")
)

// Label keys on every container and network kubeplay makes.
const (
	LabelManaged = "io.kubeplay.managed" // "true"
	LabelCluster = "io.kubeplay.cluster" // the cluster (session) id
	LabelRole    = "io.kubeplay.role"    // node role
	LabelMode    = "io.kubeplay.mode"    // kind | kubeadm
	LabelVersion = "io.kubeplay.version" // kubeplay version that made it
	LabelImage   = "io.kubeplay.image"   // node image
	LabelCreated = "io.kubeplay.created" // RFC 3339
)

// Validate checks a spec and fills defaults.
func (s *Spec) Validate() error {
	if s.ID == "" || len(s.ID) > 20 {
		return fmt.Errorf("%w: id %q must have 1 to 20 characters", ErrInvalidSpec, s.ID)
	}
	for _, r := range s.ID {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("%w: id %q may hold only a-z, 0-9 and -", ErrInvalidSpec, s.ID)
		}
	}
	switch s.Mode {
	case ModeKind:
		if s.Workers < 0 || s.Workers > 3 {
			return fmt.Errorf("%w: kind clusters have 0 to 3 workers, not %d", ErrInvalidSpec, s.Workers)
		}
	case ModeKubeadm:
		if s.Workers < 0 || s.Workers > 3 {
			return fmt.Errorf("%w: kubeadm mode has 1 to 4 nodes, not %d", ErrInvalidSpec, s.Workers+1)
		}
	default:
		return fmt.Errorf("%w: mode %q (kind or kubeadm)", ErrInvalidSpec, s.Mode)
	}
	if s.Image == "" {
		return fmt.Errorf("%w: no node image", ErrInvalidSpec)
	}
	d := DefaultLimits()
	if s.Limits.MemoryBytes == 0 {
		s.Limits.MemoryBytes = d.MemoryBytes
	}
	if s.Limits.CPUs == 0 {
		s.Limits.CPUs = d.CPUs
	}
	if s.Limits.PIDs == 0 {
		s.Limits.PIDs = d.PIDs
	}
	return nil
}

// DefaultLimits per node: enough for a control plane with a few lesson pods, small enough that one
// runaway session cannot starve the others on a 2-core classroom host.
func DefaultLimits() Limits {
	return Limits{MemoryBytes: 1536 << 20, CPUs: 1.5, PIDs: 4096}
}
