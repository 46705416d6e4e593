// Package terminal connects one TTY (a shell in a node, through docker exec, or a local process on a
// pty) to any number of browser viewers. Output is kept in a ring buffer addressed by a byte sequence
// number, so a viewer that reconnects gets exactly the bytes it missed; bytes are passed on as they
// came, never split into characters or re-encoded, so UTF-8 (Korean included) survives any read
// boundary. One viewer may type; the others only watch. A viewer too slow to keep up is dropped and
// never holds up the TTY. When the shell exits a new one starts; when it cannot start (the node is
// down) the viewers are told so.
package terminal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"sync"
	"time"
)

// TTY is an interactive program's terminal.
type TTY interface {
	io.ReadWriteCloser
	Resize(ctx context.Context, rows, cols uint16) error
}

// Starter starts the program behind a stream (a login shell), at the given size.
type Starter func(ctx context.Context, rows, cols uint16) (TTY, error)

// Event tells viewers about the stream itself (not its output).
type Event struct {
	Kind string // "started", "exited", "down"
	// Detail is a short English reason for logs; viewers show a message of their own language.
	Detail string
}

// Options for a stream.
type Options struct {
	// Buffer is how many bytes of output are kept for replay (default 256 KiB).
	Buffer int
	// ViewerBuffer is how many bytes of output may wait for one viewer (default 1 MiB); beyond that
	// the output is held back for up to SlowGrace (default 1 s) for it to catch up, then it is
	// dropped as too slow.
	ViewerBuffer int
	SlowGrace    time.Duration
	// RestartDelay is the pause before a shell that exited is started again (default 500 ms); the
	// delay doubles, up to 30 s, while starts keep failing.
	RestartDelay time.Duration
	// Restart says whether a shell that exits is started again (default true; see NoRestart).
	NoRestart bool
}

// Stream is one terminal and its viewers.
type Stream struct {
	start Starter
	opts  Options

	mu      sync.Mutex
	ring    []byte // circular
	end     uint64 // sequence number of the byte after the last one written
	viewers map[*Viewer]struct{}
	tty     TTY
	rows    uint16
	cols    uint16
	state   Event
	closed  bool
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}
	inputMu sync.Mutex
	id      string // this stream's identity: sequence numbers mean nothing across streams
}

// ErrClosed is returned by a closed stream.
var ErrClosed = errors.New("terminal closed")

// ErrReadOnly is returned when a read-only viewer tries to type.
var ErrReadOnly = errors.New("this terminal is read-only for you")

// New starts the program and begins reading its output.
func New(start Starter, opts Options) *Stream {
	if opts.Buffer <= 0 {
		opts.Buffer = 256 << 10
	}
	if opts.ViewerBuffer <= 0 {
		opts.ViewerBuffer = 1 << 20
	}
	if opts.SlowGrace <= 0 {
		opts.SlowGrace = time.Second
	}
	if opts.RestartDelay <= 0 {
		opts.RestartDelay = 500 * time.Millisecond
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Stream{start: start, opts: opts, ring: make([]byte, opts.Buffer), viewers: map[*Viewer]struct{}{},
		rows: 24, cols: 80, ctx: ctx, cancel: cancel, done: make(chan struct{}), id: newStreamID()}
	go s.run()
	return s
}

func newStreamID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ID identifies the stream. A client reconnecting after the server restarted finds another ID: its
// sequence number belongs to the old stream, and it must take the new one from the start.
func (s *Stream) ID() string { return s.id }

// run keeps a program running and copies its output into the ring.
func (s *Stream) run() {
	defer close(s.done)
	delay := s.opts.RestartDelay
	for s.ctx.Err() == nil {
		s.mu.Lock()
		rows, cols := s.rows, s.cols
		s.mu.Unlock()
		tty, err := s.start(s.ctx, rows, cols)
		if err != nil {
			if s.ctx.Err() != nil {
				return
			}
			s.setState(Event{Kind: "down", Detail: err.Error()})
			if !s.sleep(delay) {
				return
			}
			if delay *= 2; delay > 30*time.Second {
				delay = 30 * time.Second
			}
			continue
		}
		delay = s.opts.RestartDelay
		s.mu.Lock()
		s.tty = tty
		s.mu.Unlock()
		s.setState(Event{Kind: "started"})
		buf := make([]byte, 32<<10)
		for {
			n, err := tty.Read(buf)
			if n > 0 {
				s.publish(buf[:n])
			}
			if err != nil {
				break
			}
		}
		tty.Close()
		s.mu.Lock()
		s.tty = nil
		s.mu.Unlock()
		if s.ctx.Err() != nil {
			return
		}
		s.setState(Event{Kind: "exited"})
		if s.opts.NoRestart || !s.sleep(s.opts.RestartDelay) {
			return
		}
	}
}

func (s *Stream) sleep(d time.Duration) bool {
	select {
	case <-s.ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

func (s *Stream) setState(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = e
	for v := range s.viewers {
		v.sendEvent(e)
	}
}

// publish appends output to the ring and hands it to every viewer. A viewer with more than
// ViewerBuffer bytes waiting gets up to SlowGrace to catch up — meanwhile the program's output is
// not read, which slows a fast producer (cat of a big file) down to what its viewers take, as a real
// terminal does — and is dropped if it has not caught up by then, so that it never holds the
// terminal for longer.
func (s *Stream) publish(p []byte) {
	s.mu.Lock()
	start := s.end
	for i := 0; i < len(p); {
		off := int((s.end) % uint64(len(s.ring)))
		n := copy(s.ring[off:], p[i:])
		i += n
		s.end += uint64(n)
	}
	var behind []*Viewer
	for v := range s.viewers {
		if !v.push(start, p, s.opts.ViewerBuffer) {
			behind = append(behind, v)
		}
	}
	s.mu.Unlock()
	if len(behind) == 0 {
		return
	}
	// One grace period for all: each viewer behind has until the same moment to catch up.
	deadline := time.NewTimer(s.opts.SlowGrace)
	defer deadline.Stop()
	expired := false
	for _, v := range behind {
	wait:
		for v.waiting() > s.opts.ViewerBuffer {
			if expired {
				s.dropSlow(v)
				break
			}
			select {
			case <-v.drained:
			case <-v.gone:
				break wait
			case <-s.ctx.Done():
				return
			case <-deadline.C:
				expired = true
			}
		}
	}
}

func (s *Stream) dropSlow(v *Viewer) {
	s.mu.Lock()
	delete(s.viewers, v)
	s.mu.Unlock()
	v.drop(ErrSlowViewer)
}

// ErrSlowViewer closes a viewer that could not keep up.
var ErrSlowViewer = errors.New("viewer too slow: disconnected")

// Chunk is output starting at sequence number Seq.
type Chunk struct {
	Seq  uint64
	Data []byte
}

// Viewer is one connection watching (and maybe typing into) a stream. Output waiting for it is
// coalesced: however the program's writes were cut, the viewer takes all that is pending at once.
type Viewer struct {
	s        *Stream
	ReadOnly bool

	mu      sync.Mutex
	pending []byte
	next    uint64 // sequence number of pending[0]
	ready   chan struct{}
	drained chan struct{} // signalled by Take
	events  chan Event
	once    sync.Once
	gone    chan struct{}
	err     error
}

// push queues output for the viewer; false when more than max bytes now wait.
func (v *Viewer) push(seq uint64, p []byte, max int) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.pending) == 0 {
		v.next = seq
	}
	v.pending = append(v.pending, p...)
	select {
	case v.ready <- struct{}{}:
	default:
	}
	return len(v.pending) <= max
}

// waiting is how many bytes wait for the viewer.
func (v *Viewer) waiting() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.pending)
}

// Ready is signalled when output is waiting; Take it.
func (v *Viewer) Ready() <-chan struct{} { return v.ready }

// Take returns all the output waiting for the viewer (empty if none).
func (v *Viewer) Take() Chunk {
	v.mu.Lock()
	defer v.mu.Unlock()
	c := Chunk{Seq: v.next, Data: v.pending}
	v.next += uint64(len(v.pending))
	v.pending = nil
	select {
	case v.drained <- struct{}{}:
	default:
	}
	return c
}

// Attach adds a viewer. since is the sequence number of the first byte it lacks (0 for everything
// kept). It returns the bytes kept from since on (Seq tells where they start; if since is older than
// the ring, the replay starts at the oldest byte kept), then new output arrives on Output.
func (s *Stream) Attach(since uint64, readOnly bool) (*Viewer, Chunk, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, Chunk{}, ErrClosed
	}
	v := &Viewer{s: s, ready: make(chan struct{}, 1), drained: make(chan struct{}, 1), events: make(chan Event, 16), ReadOnly: readOnly, gone: make(chan struct{})}
	oldest := uint64(0)
	if s.end > uint64(len(s.ring)) {
		oldest = s.end - uint64(len(s.ring))
	}
	if since < oldest {
		since = oldest
	}
	if since > s.end {
		since = s.end
	}
	replay := make([]byte, 0, s.end-since)
	for seq := since; seq < s.end; {
		off := int(seq % uint64(len(s.ring)))
		n := len(s.ring) - off
		if rem := int(s.end - seq); n > rem {
			n = rem
		}
		replay = append(replay, s.ring[off:off+n]...)
		seq += uint64(n)
	}
	v.next = s.end
	s.viewers[v] = struct{}{}
	if s.state.Kind != "" {
		v.events <- s.state
	}
	return v, Chunk{Seq: since, Data: replay}, nil
}

// Events delivers stream events.
func (v *Viewer) Events() <-chan Event { return v.events }

// Gone is closed when the viewer was dropped; Err says why.
func (v *Viewer) Gone() <-chan struct{} { return v.gone }

// Err is why the viewer was dropped (nil after Detach).
func (v *Viewer) Err() error {
	select {
	case <-v.gone:
		return v.err
	default:
		return nil
	}
}

func (v *Viewer) sendEvent(e Event) {
	select {
	case v.events <- e:
	default:
	}
}

func (v *Viewer) drop(err error) {
	v.once.Do(func() {
		v.err = err
		close(v.gone)
	})
}

// Detach removes the viewer.
func (v *Viewer) Detach() {
	v.s.mu.Lock()
	delete(v.s.viewers, v)
	v.s.mu.Unlock()
	v.drop(nil)
}

// Write types into the terminal.
func (v *Viewer) Write(p []byte) (int, error) {
	if v.ReadOnly {
		return 0, ErrReadOnly
	}
	return v.s.write(p)
}

// Resize sets the terminal's size (ignored from read-only viewers).
func (v *Viewer) Resize(ctx context.Context, rows, cols uint16) error {
	if v.ReadOnly || rows == 0 || cols == 0 {
		return nil
	}
	return v.s.resize(ctx, rows, cols)
}

func (s *Stream) write(p []byte) (int, error) {
	s.mu.Lock()
	tty := s.tty
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return 0, ErrClosed
	}
	// Typing right after connecting, while the shell is still starting, is kept until it runs.
	for wait := 0; tty == nil; wait++ {
		s.mu.Lock()
		tty, closed = s.tty, s.closed
		down := s.state.Kind == "down"
		s.mu.Unlock()
		switch {
		case closed:
			return 0, ErrClosed
		case tty != nil:
		case down || wait >= 500:
			return 0, errors.New("the terminal is not running")
		default:
			time.Sleep(20 * time.Millisecond)
		}
	}
	// One writer at a time, so that two pastes do not interleave.
	s.inputMu.Lock()
	defer s.inputMu.Unlock()
	return tty.Write(p)
}

func (s *Stream) resize(ctx context.Context, rows, cols uint16) error {
	s.mu.Lock()
	s.rows, s.cols = rows, cols
	tty := s.tty
	s.mu.Unlock()
	if tty == nil {
		return nil
	}
	return tty.Resize(ctx, rows, cols)
}

// Seq is the sequence number of the next byte of output.
func (s *Stream) Seq() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.end
}

// Viewers counts the attached viewers.
func (s *Stream) Viewers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.viewers)
}

// State is the last event.
func (s *Stream) State() Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Close stops the program and drops every viewer.
func (s *Stream) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	tty := s.tty
	for v := range s.viewers {
		delete(s.viewers, v)
		v.drop(ErrClosed)
	}
	s.mu.Unlock()
	s.cancel()
	if tty != nil {
		tty.Close()
	}
	<-s.done
	return nil
}
