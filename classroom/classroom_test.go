package classroom

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/labs"
	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/sessions"
)

// fakeSessions is a session manager whose clusters are made when the test says so.
type fakeSessions struct {
	mu       sync.Mutex
	n        int
	sessions map[string]*sessions.Session
	ended    []string
	paused   int
	now      func() time.Time
}

func newFakeSessions(now func() time.Time) *fakeSessions {
	return &fakeSessions{sessions: map[string]*sessions.Session{}, now: now}
}

func (f *fakeSessions) CreateSeat(_ context.Context, owner, lab, lang string, shape sessions.Shape, expires time.Time, labels map[string]string) (*sessions.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	s := &sessions.Session{ID: fmt.Sprintf("s%d", f.n), Owner: owner, Lab: lab, Lang: lang, Shape: shape, State: sessions.StateCreating,
		Created: f.now(), Expires: expires, Labels: labels}
	f.sessions[s.ID] = s
	c := *s
	return &c, nil
}

func (f *fakeSessions) Lookup(_ context.Context, id string) (*sessions.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.sessions[id]
	if !ok || !f.now().Before(s.Expires) {
		return nil, sessions.ErrNotFound
	}
	c := *s
	return &c, nil
}

func (f *fakeSessions) SetOwner(_ context.Context, id, owner string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.sessions[id]
	if !ok {
		return sessions.ErrNotFound
	}
	s.Owner = owner
	return nil
}

func (f *fakeSessions) ExtendTo(_ context.Context, id string, t time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.sessions[id]
	if !ok {
		return sessions.ErrNotFound
	}
	s.Expires = t
	return nil
}

func (f *fakeSessions) End(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.sessions, id)
	f.ended = append(f.ended, id)
	return nil
}

func (f *fakeSessions) Pause(_ context.Context, id string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.sessions[id]
	if !ok || s.State != sessions.StateReady {
		return false, nil
	}
	s.State = sessions.StatePaused
	f.paused++
	return true, nil
}

// finish sets the state of every session in state creating.
func (f *fakeSessions) finish(state sessions.State) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, s := range f.sessions {
		if s.State == sessions.StateCreating {
			s.State = state
			n++
		}
	}
	return n
}

func (f *fakeSessions) get(id string) *sessions.Session {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.sessions[id]; ok {
		c := *s
		return &c
	}
	return nil
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func setup(t *testing.T, cfg Config) (*Manager, *fakeSessions, *clock, labs.ProgressStore) {
	clk := &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	fs := newFakeSessions(clk.now)
	prog := &labs.MemProgress{}
	return New(NewMemStore(), fs, prog, cfg, clk.now, nil), fs, clk, prog
}

var kind1 = sessions.Shape{Mode: provisioner.ModeKind, Workers: 1}

func mustCreate(t *testing.T, m *Manager, seats int) *Class {
	t.Helper()
	c, err := m.Create(context.Background(), Spec{Title: "Week 3", Lab: "pods", Lang: "ko", Shape: kind1, Seats: seats, Length: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		c := NewCode()
		if len(c) != CodeLength || strings.ContainsAny(c, "0O1IL") {
			t.Fatalf("code %q: wrong length or a look-alike character", c)
		}
		if NormalizeCode(c) != c {
			t.Fatalf("NormalizeCode(%q) = %q", c, NormalizeCode(c))
		}
		seen[c] = true
	}
	if len(seen) < 1990 {
		t.Errorf("only %d distinct codes of 2000", len(seen))
	}
	for in, want := range map[string]string{"abc-def": "ABCDEF", " xk7 p2q ": "XK7P2Q", "ABCDE": "", "ABCDEFG": "", "ABCDE0": "", "ABCDEO": "", "ABCDE1": "", "가나다라마바": ""} {
		if got := NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCreateValidates(t *testing.T) {
	m, _, _, _ := setup(t, Config{MaxSeats: 30})
	ctx := context.Background()
	for _, spec := range []Spec{
		{Lab: "", Lang: "ko", Shape: kind1, Seats: 2, Length: time.Hour},
		{Lab: "pods", Lang: "ko", Shape: kind1, Seats: 0, Length: time.Hour},
		{Lab: "pods", Lang: "ko", Shape: kind1, Seats: 31, Length: time.Hour},
		{Lab: "pods", Lang: "ko", Shape: kind1, Seats: 2, Length: time.Minute},
		{Lab: "pods", Lang: "fr", Shape: kind1, Seats: 2, Length: time.Hour},
	} {
		if _, err := m.Create(ctx, spec); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: got %v, want ErrInvalid", spec, err)
		}
	}
}

// The pace: at most Concurrency creates at a time over all classes; the next seat starts when one
// finishes; a failed create is retried, up to maxFailures, and then left to the instructor.
func TestFillPaces(t *testing.T) {
	m, fs, _, _ := setup(t, Config{Concurrency: 2})
	ctx := context.Background()
	c := mustCreate(t, m, 5)
	other := mustCreate(t, m, 1)
	fill := func() int {
		n, err := m.Fill(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := fill(); n != 2 {
		t.Fatalf("first fill started %d creates, want 2", n)
	}
	if n := fill(); n != 0 {
		t.Fatalf("a fill while two are creating started %d", n)
	}
	fs.finish(sessions.StateReady)
	if n := fill(); n != 2 {
		t.Fatalf("after two finished: %d started, want 2", n)
	}
	fs.finish(sessions.StateReady)
	fill()
	fs.finish(sessions.StateReady)
	if n := fill(); n != 0 {
		t.Fatalf("everything is made, yet %d started", n)
	}
	for _, id := range []string{c.ID, other.ID} {
		seats, _ := m.Seats(ctx, id)
		for _, s := range seats {
			if ss := fs.get(s.Session); ss == nil || ss.State != sessions.StatePaused || ss.Owner != classOwner(id, s.N) || ss.Labels[LabelClass] != id || !ss.Expires.Equal(c.Expires) {
				t.Errorf("class %s seat %d: session %+v", id, s.N, ss)
			}
		}
	}

	// Failures: a seat whose create fails is tried again, three times in all.
	m2, fs2, _, _ := setup(t, Config{})
	c2 := mustCreate(t, m2, 1)
	for i := 0; i < maxFailures; i++ {
		if n, _ := m2.Fill(ctx); n != 1 {
			t.Fatalf("try %d: %d started", i+1, n)
		}
		fs2.finish(sessions.StateFailed)
	}
	if n, _ := m2.Fill(ctx); n != 0 {
		t.Fatalf("after %d failures the pace tries again (%d)", maxFailures, n)
	}
	_, grid, _ := m2.Grid(ctx, c2.ID)
	if grid[0].State != "failed" || grid[0].Failures != maxFailures {
		t.Errorf("grid of the failed seat: %+v", grid[0])
	}
	if _, err := m2.Reset(ctx, c2.ID, 1, false); err != nil {
		t.Fatal(err)
	}
	if _, grid, _ = m2.Grid(ctx, c2.ID); grid[0].State != "creating" || grid[0].Failures != 0 {
		t.Errorf("grid after a reset: %+v", grid[0])
	}
}

// Seats made ahead are paused while nobody has them; a taken seat is left to its student.
func TestFreeSeatsPause(t *testing.T) {
	m, fs, _, _ := setup(t, Config{Concurrency: 2})
	ctx := context.Background()
	c := mustCreate(t, m, 2)
	m.Fill(ctx)
	_, seat, _ := m.Join(ctx, c.Code, "alice", "Alice")
	fs.finish(sessions.StateReady)
	m.Fill(ctx)
	seats, _ := m.Seats(ctx, c.ID)
	for _, s := range seats {
		want := sessions.StatePaused
		if s.N == seat.N {
			want = sessions.StateReady
		}
		if got := fs.get(s.Session).State; got != want {
			t.Errorf("seat %d (taken: %v): %s, want %s", s.N, s.Owner != "", got, want)
		}
	}
	if fs.paused != 1 {
		t.Errorf("%d pauses, want 1", fs.paused)
	}
}

func TestJoin(t *testing.T) {
	m, fs, clk, _ := setup(t, Config{Concurrency: 3})
	ctx := context.Background()
	c := mustCreate(t, m, 3)
	m.Fill(ctx)
	// Seat 2 is ready first: the first student gets it.
	fs.mu.Lock()
	fs.sessions["s2"].State = sessions.StateReady
	fs.mu.Unlock()
	code := strings.ToLower(c.Code[:3]) + "-" + c.Code[3:]
	_, seat, err := m.Join(ctx, code, "alice", "앨리스")
	if err != nil {
		t.Fatal(err)
	}
	if seat.N != 2 || seat.Name != "앨리스" || fs.get(seat.Session).Owner != "alice" {
		t.Fatalf("alice got %+v (owner %q)", seat, fs.get(seat.Session).Owner)
	}
	// The same browser gets the same seat back.
	_, again, err := m.Join(ctx, c.Code, "alice", "")
	if err != nil || again.N != 2 || again.Name != "앨리스" {
		t.Fatalf("alice again: %+v %v", again, err)
	}
	if _, s, err := m.Join(ctx, c.Code, "bob", "Bob"); err != nil || s.N != 1 {
		t.Fatalf("bob: %+v %v", s, err)
	}
	if _, s, err := m.Join(ctx, c.Code, "carol", "Carol"); err != nil || s.N != 3 {
		t.Fatalf("carol: %+v %v", s, err)
	}
	if _, _, err := m.Join(ctx, c.Code, "dave", "Dave"); !errors.Is(err, ErrFull) {
		t.Fatalf("a fourth student: %v, want ErrFull", err)
	}
	if _, _, err := m.Join(ctx, "ZZZZZZ", "erin", "Erin"); !errors.Is(err, ErrUnknownCode) {
		t.Fatalf("unknown code: %v", err)
	}
	if _, _, err := m.Join(ctx, "nope", "erin", "Erin"); !errors.Is(err, ErrUnknownCode) {
		t.Fatalf("malformed code: %v", err)
	}
	clk.add(3 * time.Hour)
	if _, _, err := m.Join(ctx, c.Code, "alice", ""); !errors.Is(err, ErrEnded) {
		t.Fatalf("after the end: %v", err)
	}
}

// A seat's owner carries over to sessions made after the student joined (a reset, a retry).
func TestResetKeepsOrClearsProgress(t *testing.T) {
	m, fs, _, prog := setup(t, Config{})
	ctx := context.Background()
	c := mustCreate(t, m, 1)
	m.Fill(ctx)
	fs.finish(sessions.StateReady)
	_, seat, _ := m.Join(ctx, c.Code, "alice", "Alice")
	old := seat.Session
	at := time.Date(2026, 11, 26, 9, 10, 0, 0, time.UTC)
	prog.SaveCheck(ctx, old, labs.StepStatus{Step: 1, State: labs.Passed, Done: true, At: at, Lang: "ko"})
	prog.SaveCheck(ctx, old, labs.StepStatus{Step: 2, State: labs.Failed, At: at, Lang: "ko"})

	events, cancel := m.Subscribe(c.ID)
	defer cancel()
	s, err := m.Reset(ctx, c.ID, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	if s.Session == old || fs.get(old) != nil || fs.get(s.Session).Owner != "alice" {
		t.Fatalf("reset: new session %q (old %q still there: %v), owner %q", s.Session, old, fs.get(old) != nil, fs.get(s.Session).Owner)
	}
	got, _ := prog.Progress(ctx, s.Session)
	if len(got) != 1 || !got[1].Done {
		t.Errorf("kept progress: %+v", got)
	}
	select {
	case e := <-events:
		if e.Seat != 1 || e.Kind != "seat" {
			t.Errorf("event %+v", e)
		}
	default:
		t.Error("no event for the reset")
	}
	s, _ = m.Reset(ctx, c.ID, 1, false)
	if got, _ := prog.Progress(ctx, s.Session); len(got) != 0 {
		t.Errorf("cleared progress: %+v", got)
	}
	if _, err := m.Reset(ctx, c.ID, 9, false); !errors.Is(err, ErrNoSeat) {
		t.Errorf("reset of seat 9: %v", err)
	}
}

func TestGridCSVExtendEnd(t *testing.T) {
	m, fs, clk, prog := setup(t, Config{MaxLength: 4 * time.Hour})
	ctx := context.Background()
	c := mustCreate(t, m, 2)
	m.Fill(ctx)
	fs.finish(sessions.StateReady)
	m.Fill(ctx)
	fs.finish(sessions.StateReady)
	_, seat, _ := m.Join(ctx, c.Code, "alice", "=cmd|' /C calc'!A0")
	clk.add(5 * time.Minute)
	at := clk.now()
	prog.SaveCheck(ctx, seat.Session, labs.StepStatus{Step: 1, State: labs.Passed, Done: true, At: at, Lang: "ko", Message: "잘했습니다"})

	events, cancel := m.Subscribe(c.ID)
	defer cancel()
	m.Checked(ctx, seat.Session)
	if e := <-events; e.Kind != "progress" || e.Seat != seat.N {
		t.Errorf("event %+v", e)
	}
	_, grid, err := m.Grid(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Seats made ahead wait paused; a student's page wakes theirs (the session manager's job).
	if len(grid) != 2 || !grid[0].Taken || grid[0].State != "paused" || !grid[0].Steps[1].Done || grid[0].Steps[1].Message != "" || !grid[0].LastActivity.Equal(at) || grid[1].Taken {
		t.Errorf("grid: %+v", grid)
	}
	var buf bytes.Buffer
	if err := m.WriteCSV(ctx, c.ID, 3, &buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || lines[0] != "class,code,lab,seat,name,joined,step1,step2,step3,done" ||
		!strings.Contains(lines[1], "'=cmd") || !strings.HasSuffix(lines[1], at.Format(time.RFC3339)+",,,1") || !strings.HasSuffix(lines[2], ",,,,,0") {
		t.Errorf("csv:\n%s", buf.String())
	}

	// Extend: the class and its sessions, up to MaxLength.
	ext, err := m.Extend(ctx, c.ID, 3*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := c.Created.Add(4 * time.Hour); !ext.Expires.Equal(want) || !fs.get(seat.Session).Expires.Equal(want) {
		t.Errorf("extended to %s (session %s), want %s", ext.Expires, fs.get(seat.Session).Expires, want)
	}
	// End: every seat's session goes, and the class.
	if err := m.End(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if e := <-events; e.Kind != "class" {
		t.Errorf("event after extend: %+v", e)
	}
	if e := <-events; e.Kind != "ended" {
		t.Errorf("event after end: %+v", e)
	}
	_ = m.Settle(ctx) // the clusters go in the background
	fs.mu.Lock()
	left := len(fs.sessions)
	fs.mu.Unlock()
	if left != 0 {
		t.Errorf("sessions left after the end: %v", fs.sessions)
	}
	if _, err := m.Get(ctx, c.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("class after the end: %v", err)
	}
	if _, _, err := m.Join(ctx, c.Code, "bob", "Bob"); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("join after the end: %v", err)
	}
}

func TestReapEndsExpiredClasses(t *testing.T) {
	m, fs, clk, _ := setup(t, Config{})
	ctx := context.Background()
	c := mustCreate(t, m, 1)
	m.Fill(ctx)
	if n, _ := m.Reap(ctx); n != 0 {
		t.Fatal("reaped a live class")
	}
	clk.add(2*time.Hour + time.Second)
	if n, _ := m.Reap(ctx); n != 1 {
		t.Fatal("did not reap the expired class")
	}
	_ = m.Settle(ctx)
	if _, err := m.Get(ctx, c.ID); !errors.Is(err, ErrNotFound) || len(fs.ended) != 1 {
		t.Errorf("after reap: %v, ended %v", err, fs.ended)
	}
}

// The grid hears of a seat's cluster becoming ready (or failing) from Fill, without polling.
func TestSeatStateChangesArePublished(t *testing.T) {
	m, fs, _, _ := setup(t, Config{Concurrency: 2})
	ctx := context.Background()
	c := mustCreate(t, m, 2)
	m.Fill(ctx) // both seats creating
	events, cancel := m.Subscribe(c.ID)
	defer cancel()
	m.Fill(ctx) // nothing changed: no event
	select {
	case e := <-events:
		t.Fatalf("event without a change: %+v", e)
	default:
	}
	if n := fs.finish(sessions.StateReady); n != 2 {
		t.Fatalf("%d seats finished", n)
	}
	m.Fill(ctx)
	got := map[int]bool{}
	for len(got) < 2 {
		select {
		case e := <-events:
			if e.Kind != "seat" {
				t.Fatalf("event %+v", e)
			}
			got[e.Seat] = true
		case <-time.After(time.Second):
			t.Fatalf("seats made ready, events for %v only", got)
		}
	}
}
