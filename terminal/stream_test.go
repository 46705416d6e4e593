package terminal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// fakeTTY plays back scripted output in reads of a chosen size and records input.
type fakeTTY struct {
	mu     sync.Mutex
	out    []byte
	step   int
	in     bytes.Buffer
	closed chan struct{}
	once   sync.Once
	rows   uint16
	cols   uint16
	hold   bool // keep the program "running" after its output
	pace   time.Duration
}

func newFake(out []byte, step int, hold bool) *fakeTTY {
	return &fakeTTY{out: out, step: step, hold: hold, closed: make(chan struct{})}
}

func (f *fakeTTY) Read(p []byte) (int, error) {
	f.mu.Lock()
	if len(f.out) == 0 {
		f.mu.Unlock()
		if f.hold {
			<-f.closed
		}
		return 0, io.EOF
	}
	n := f.step
	if n > len(f.out) {
		n = len(f.out)
	}
	if n > len(p) {
		n = len(p)
	}
	copy(p, f.out[:n])
	f.out = f.out[n:]
	f.mu.Unlock()
	if f.pace > 0 {
		time.Sleep(f.pace)
	}
	return n, nil
}

func (f *fakeTTY) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.in.Write(p)
}

func (f *fakeTTY) Close() error { f.once.Do(func() { close(f.closed) }); return nil }
func (f *fakeTTY) Resize(ctx context.Context, rows, cols uint16) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rows, f.cols = rows, cols
	return nil
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// read reads a viewer's output until it holds n bytes.
func read(v *Viewer, first Chunk, n int) ([]byte, error) {
	got := append([]byte(nil), first.Data...)
	next := first.Seq + uint64(len(first.Data))
	deadline := time.After(10 * time.Second)
	for len(got) < n {
		select {
		case <-v.Ready():
			c := v.Take()
			if len(c.Data) == 0 {
				continue
			}
			if c.Seq != next {
				return got, fmt.Errorf("chunk at %d, expected %d (gap or duplicate)", c.Seq, next)
			}
			got = append(got, c.Data...)
			next += uint64(len(c.Data))
		case <-v.Gone():
			return got, fmt.Errorf("viewer dropped: %v", v.Err())
		case <-deadline:
			return got, fmt.Errorf("got %d of %d bytes", len(got), n)
		}
	}
	return got, nil
}

func collect(t *testing.T, v *Viewer, first Chunk, n int) []byte {
	t.Helper()
	got, err := read(v, first, n)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestUTF8SurvivesOneByteReads(t *testing.T) {
	text := []byte(strings.Repeat("안녕하세요, 쿠버네티스! ", 200))
	f := newFake(text, 1, true)
	s := New(func(context.Context, uint16, uint16) (TTY, error) { return f, nil }, Options{NoRestart: true})
	defer s.Close()
	v, first, err := s.Attach(0, false)
	if err != nil {
		t.Fatal(err)
	}
	got := collect(t, v, first, len(text))
	if !bytes.Equal(got, text) || !utf8.Valid(got) {
		t.Fatalf("bytes differ or invalid UTF-8")
	}
}

func TestReconnectReplaysExactlyWhatWasMissed(t *testing.T) {
	var all bytes.Buffer
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&all, "line %d 한글\n", i)
	}
	f := newFake(append([]byte(nil), all.Bytes()...), 777, true)
	gate := make(chan struct{})
	s := New(func(context.Context, uint16, uint16) (TTY, error) { <-gate; return f, nil }, Options{NoRestart: true})
	defer s.Close()
	// A viewer that stays, and one that leaves halfway and comes back.
	stay, first, _ := s.Attach(0, true)
	leave, lfirst, _ := s.Attach(0, false)
	close(gate)
	half := collect(t, leave, lfirst, all.Len()/2)
	seq := lfirst.Seq + uint64(len(half))
	leave.Detach()
	waitFor(t, "all output", func() bool { return s.Seq() == uint64(all.Len()) })
	back, bfirst, err := s.Attach(seq, false)
	if err != nil {
		t.Fatal(err)
	}
	if bfirst.Seq != seq {
		t.Fatalf("replay starts at %d, asked %d", bfirst.Seq, seq)
	}
	rest := append([]byte(nil), bfirst.Data...)
	if got := append(half, rest...); !bytes.Equal(got, all.Bytes()) {
		t.Fatalf("reconnected viewer: %d bytes, want %d (gap or duplicate)", len(got), all.Len())
	}
	if got := collect(t, stay, first, all.Len()); !bytes.Equal(got, all.Bytes()) {
		t.Fatal("the staying viewer's output differs")
	}
	back.Detach()
}

func TestReplayStartsAtTheOldestByteKept(t *testing.T) {
	out := bytes.Repeat([]byte("0123456789"), 1000) // 10000 bytes, ring of 4096
	f := newFake(out, 100, true)
	s := New(func(context.Context, uint16, uint16) (TTY, error) { return f, nil }, Options{Buffer: 4096, NoRestart: true})
	defer s.Close()
	waitFor(t, "output", func() bool { return s.Seq() == 10000 })
	_, first, _ := s.Attach(0, false)
	if first.Seq != 10000-4096 || !bytes.Equal(first.Data, out[10000-4096:]) {
		t.Fatalf("replay from %d with %d bytes", first.Seq, len(first.Data))
	}
}

func TestSlowViewerIsDroppedAndNeverBlocksTheTTY(t *testing.T) {
	out := bytes.Repeat([]byte("x"), 2<<20)
	f := newFake(out, 4096, true)
	f.pace = time.Millisecond // about 4 MB/s: a busy terminal, which a live viewer keeps up with
	gate := make(chan struct{})
	s := New(func(context.Context, uint16, uint16) (TTY, error) { <-gate; return f, nil }, Options{ViewerBuffer: 512 << 10, NoRestart: true})
	defer s.Close()
	slow, _, _ := s.Attach(0, true)
	fast, ffirst, _ := s.Attach(0, true)
	done := make(chan []byte)
	go func() {
		got, err := read(fast, ffirst, len(out))
		if err != nil {
			t.Error(err)
		}
		done <- got
	}()
	close(gate)
	select {
	case <-slow.Gone():
		if !errors.Is(slow.Err(), ErrSlowViewer) {
			t.Errorf("slow viewer dropped with %v", slow.Err())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the slow viewer was not dropped")
	}
	if got := <-done; len(got) != len(out) {
		t.Fatalf("fast viewer got %d bytes", len(got))
	}
	waitFor(t, "all output read from the TTY", func() bool { return s.Seq() == uint64(len(out)) })
}

func TestReadOnlyViewerCannotType(t *testing.T) {
	f := newFake(nil, 1, true)
	s := New(func(context.Context, uint16, uint16) (TTY, error) { return f, nil }, Options{NoRestart: true})
	defer s.Close()
	waitFor(t, "start", func() bool { return s.State().Kind == "started" })
	ro, _, _ := s.Attach(0, true)
	if _, err := ro.Write([]byte("rm -rf /\n")); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("read-only write: %v", err)
	}
	_ = ro.Resize(context.Background(), 10, 10)
	rw, _, _ := s.Attach(0, false)
	if _, err := rw.Write([]byte("ls\n")); err != nil {
		t.Fatal(err)
	}
	_ = rw.Resize(context.Background(), 50, 132)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.in.String() != "ls\n" || f.rows != 50 || f.cols != 132 {
		t.Fatalf("tty got input %q, size %dx%d", f.in.String(), f.rows, f.cols)
	}
}

func TestShellRestartsAndDeadNodeIsReported(t *testing.T) {
	var mu sync.Mutex
	starts := 0
	down := false
	s := New(func(context.Context, uint16, uint16) (TTY, error) {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return nil, errors.New("node is not running")
		}
		starts++
		return newFake([]byte(fmt.Sprintf("shell %d\n", starts)), 100, false), nil
	}, Options{RestartDelay: 10 * time.Millisecond})
	defer s.Close()
	waitFor(t, "two shells", func() bool { mu.Lock(); defer mu.Unlock(); return starts >= 2 })
	mu.Lock()
	down = true
	mu.Unlock()
	waitFor(t, "down", func() bool { return s.State().Kind == "down" })
	v, first, _ := s.Attach(0, false)
	if !bytes.Contains(first.Data, []byte("shell 1\n")) || !bytes.Contains(first.Data, []byte("shell 2\n")) {
		t.Errorf("output of both shells kept in order: %q", first.Data)
	}
	select {
	case e := <-v.Events():
		if e.Kind != "down" {
			t.Errorf("a new viewer learns %q, want down", e.Kind)
		}
	case <-time.After(time.Second):
		t.Error("a new viewer is not told the node is down")
	}
}

// A real pty: a 1 MiB paste reaches the program intact, and output in Korean comes back.
func TestLocalPTYPasteAndKorean(t *testing.T) {
	dir := t.TempDir()
	dst := filepath.Join(dir, "paste")
	script := fmt.Sprintf(`stty raw -echo; printf '안녕하세요\n'; head -c 1048576 > %s; printf 'done\n'; sleep 30`, dst)
	s := New(LocalCommand(nil, "sh", "-c", script), Options{NoRestart: true})
	defer s.Close()
	v, first, _ := s.Attach(0, false)
	greeting := collect(t, v, first, len("안녕하세요\n"))
	if !bytes.HasPrefix(greeting, []byte("안녕하세요")) {
		t.Fatalf("greeting %q", greeting)
	}
	paste := make([]byte, 1<<20)
	for i := range paste {
		paste[i] = "abcdefghij한"[i%10]
	}
	if _, err := v.Write(paste); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the paste to land", func() bool {
		st, err := os.Stat(dst)
		return err == nil && st.Size() == int64(len(paste))
	})
	got, _ := os.ReadFile(dst)
	if !bytes.Equal(got, paste) {
		t.Fatal("the pasted bytes differ")
	}
}

type ctxT = context.Context

func TestInputTypedWhileTheShellStartsIsKept(t *testing.T) {
	f := newFake([]byte("$ "), 100, true)
	gate := make(chan struct{})
	s := New(func(context.Context, uint16, uint16) (TTY, error) { <-gate; return f, nil }, Options{NoRestart: true})
	defer s.Close()
	v, _, _ := s.Attach(0, false)
	defer v.Detach()
	typed := make(chan error, 1)
	go func() { _, err := v.Write([]byte("kubectl get nodes\n")); typed <- err }()
	time.Sleep(100 * time.Millisecond) // the student types before the shell is there
	close(gate)
	if err := <-typed; err != nil {
		t.Fatalf("typing while the shell starts: %v", err)
	}
	f.mu.Lock()
	got := f.in.String()
	f.mu.Unlock()
	if got != "kubectl get nodes\n" {
		t.Errorf("the shell got %q", got)
	}
}

// A program that prints faster than its only viewer takes (cat of a big file) is slowed down to the
// viewer's pace, as a real terminal would, instead of the viewer being dropped.
func TestAFastProducerWaitsForASteadyViewer(t *testing.T) {
	out := bytes.Repeat([]byte("쿠버네티스\n"), (8<<20)/16)
	f := newFake(out, 32<<10, true)
	gate := make(chan struct{})
	s := New(func(context.Context, uint16, uint16) (TTY, error) { <-gate; return f, nil }, Options{ViewerBuffer: 256 << 10, NoRestart: true})
	defer s.Close()
	v, first, _ := s.Attach(0, false)
	close(gate)
	got := append([]byte(nil), first.Data...)
	for len(got) < len(out) {
		select {
		case <-v.Ready():
			time.Sleep(2 * time.Millisecond) // a viewer slower than the producer, but steady
			got = append(got, v.Take().Data...)
		case <-v.Gone():
			t.Fatalf("a steady viewer was dropped after %d of %d bytes: %v", len(got), len(out), v.Err())
		case <-time.After(10 * time.Second):
			t.Fatalf("stalled at %d of %d bytes", len(got), len(out))
		}
	}
	if !bytes.Equal(got, out) {
		t.Fatal("output differs")
	}
}

// Two viewers that stop reading are both dropped after the one grace period, and the fast one
// keeps getting output.
func TestTwoSlowViewersAreBothDropped(t *testing.T) {
	out := bytes.Repeat([]byte("y"), 3<<20)
	f := newFake(out, 32<<10, true)
	gate := make(chan struct{})
	s := New(func(context.Context, uint16, uint16) (TTY, error) { <-gate; return f, nil }, Options{ViewerBuffer: 256 << 10, SlowGrace: 200 * time.Millisecond, NoRestart: true})
	defer s.Close()
	slow1, _, _ := s.Attach(0, true)
	slow2, _, _ := s.Attach(0, true)
	fast, ffirst, _ := s.Attach(0, true)
	done := make(chan error, 1)
	go func() { _, err := read(fast, ffirst, len(out)); done <- err }()
	close(gate)
	for i, v := range []*Viewer{slow1, slow2} {
		select {
		case <-v.Gone():
		case <-time.After(5 * time.Second):
			t.Fatalf("slow viewer %d was not dropped", i+1)
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("the fast viewer: %v", err)
	}
}
