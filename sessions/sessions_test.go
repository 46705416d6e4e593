package sessions

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/provisioner/fake"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var kind1 = Shape{Mode: provisioner.ModeKind, Workers: 1}

func setup(cfg Config) (*Manager, *fake.Provisioner, *MemStore, *clock) {
	p := fake.New()
	st := NewMemStore()
	c := &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	p.Now = c.Now
	cfg.Image = "kubeplay/node:test"
	return New(p, st, cfg, c.Now, nil), p, st, c
}

func waitReady(t *testing.T, m *Manager, owner, id string) *Session {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		s, err := m.Get(context.Background(), owner, id)
		if err != nil {
			t.Fatal(err)
		}
		if s.State != StateCreating && s.State != StateResuming {
			return s
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("session still creating")
	return nil
}

func TestCreateRecordsProgressAndOnlyTheOwnerSeesIt(t *testing.T) {
	m, p, _, _ := setup(Config{})
	ctx := context.Background()
	s, err := m.Create(ctx, "alice", "pods", "ko", kind1)
	if err != nil {
		t.Fatal(err)
	}
	s = waitReady(t, m, "alice", s.ID)
	if s.State != StateReady || len(s.Progress) == 0 || s.Progress[len(s.Progress)-1].Name != "ready" {
		t.Fatalf("session %+v", s)
	}
	if _, err := p.Get(ctx, s.ClusterID); err != nil {
		t.Fatalf("no cluster behind the session: %v", err)
	}
	if _, err := m.Get(ctx, "mallory", s.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("another client sees the session: %v", err)
	}
	if err := m.Delete(ctx, "mallory", s.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("another client deletes the session: %v", err)
	}
	if err := m.Delete(ctx, "alice", s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Get(ctx, s.ClusterID); !errors.Is(err, provisioner.ErrNotFound) {
		t.Errorf("cluster left after delete: %v", err)
	}
}

func TestExpiryAndExtendWithAnInjectedClock(t *testing.T) {
	m, p, _, c := setup(Config{Length: time.Hour, MaxLength: 90 * time.Minute})
	ctx := context.Background()
	s, _ := m.Create(ctx, "alice", "pods", "en", kind1)
	waitReady(t, m, "alice", s.ID)
	c.Add(50 * time.Minute)
	s2, err := m.Extend(ctx, "alice", s.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := s.Created.Add(90 * time.Minute); !s2.Expires.Equal(want) {
		t.Errorf("extended to %s, want the cap %s", s2.Expires, want)
	}
	if _, err := m.Extend(ctx, "alice", s.ID, time.Minute); !errors.Is(err, ErrExtend) {
		t.Errorf("extend past the cap: %v", err)
	}
	c.Add(39 * time.Minute)
	if n, _ := m.Reap(ctx); n != 0 {
		t.Fatalf("reaped %d before the end", n)
	}
	c.Add(2 * time.Minute)
	if n, err := m.Reap(ctx); n != 1 || err != nil {
		t.Fatalf("reaped %d, %v", n, err)
	}
	if _, err := p.Get(ctx, s.ClusterID); !errors.Is(err, provisioner.ErrNotFound) {
		t.Error("an expired session's cluster is still there")
	}
	if _, err := m.Get(ctx, "alice", s.ID); !errors.Is(err, ErrNotFound) {
		t.Error("an expired session is still found")
	}
}

func TestCapsSayWhenToComeBack(t *testing.T) {
	m, _, _, c := setup(Config{MaxPerClient: 1, MaxTotal: 2, Length: time.Hour})
	ctx := context.Background()
	a, _ := m.Create(ctx, "alice", "pods", "ko", kind1)
	_, err := m.Create(ctx, "alice", "pods", "ko", kind1)
	var ce *CapacityError
	if !errors.As(err, &ce) || !ce.PerClient || !ce.RetryAt.Equal(a.Expires) {
		t.Fatalf("per-client cap: %v", err)
	}
	c.Add(10 * time.Minute)
	if _, err := m.Create(ctx, "bob", "pods", "ko", kind1); err != nil {
		t.Fatal(err)
	}
	_, err = m.Create(ctx, "carol", "pods", "ko", kind1)
	if !errors.As(err, &ce) || ce.PerClient || !ce.RetryAt.Equal(a.Expires) {
		t.Fatalf("total cap: %v", err)
	}
	if ce.Error() == "" || ce.RetryAt.Format("15:04") != "10:00" {
		t.Errorf("message %q", ce.Error())
	}
}

func TestPoolGivesReadyClustersAndRefills(t *testing.T) {
	m, p, _, _ := setup(Config{Pool: map[Shape]int{kind1: 2}, PoolHold: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.RunPool(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for m.PoolSize(kind1) < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if m.PoolSize(kind1) != 2 {
		t.Fatalf("pool has %d", m.PoolSize(kind1))
	}
	for _, c := range mustList(t, p) {
		if !c.Paused {
			t.Errorf("pool cluster %s waits unpaused", c.ID)
		}
	}
	s, err := m.Create(context.Background(), "alice", "pods", "ko", kind1)
	if err != nil || s.State != StateResuming {
		t.Fatalf("from the pool: %+v %v", s, err)
	}
	if s = waitReady(t, m, "alice", s.ID); s.State != StateReady {
		t.Fatalf("a pool cluster was not resumed: %+v", s)
	}
	if c, _ := p.Get(context.Background(), s.ClusterID); c.Paused {
		t.Error("the session's cluster is still paused")
	}
	for m.PoolSize(kind1) < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if m.PoolSize(kind1) != 2 {
		t.Errorf("pool not refilled: %d", m.PoolSize(kind1))
	}
	list, _ := p.List(context.Background())
	if len(list) != 3 {
		t.Errorf("%d clusters, want 3", len(list))
	}
}

func TestAdoptAfterRestart(t *testing.T) {
	m, p, st, c := setup(Config{Length: time.Hour})
	ctx := context.Background()
	s, _ := m.Create(ctx, "alice", "pods", "ko", kind1)
	waitReady(t, m, "alice", s.ID)
	old, _ := m.Create(ctx, "bob", "pods", "ko", kind1)
	waitReady(t, m, "bob", old.ID)
	// An orphan (no session), a pool cluster, and a session whose cluster vanished.
	_, _ = p.Create(ctx, provisioner.Spec{ID: "orphan", Mode: provisioner.ModeKind, Image: "x", Labels: map[string]string{sessionLabel: "sgone"}}, nil)
	_, _ = p.Create(ctx, provisioner.Spec{ID: "byhand", Mode: provisioner.ModeKind, Image: "x"}, nil)
	_, _ = p.Create(ctx, provisioner.Spec{ID: "pooled", Mode: provisioner.ModeKind, Workers: 1, Image: "x", Labels: map[string]string{poolLabel: kind1.String()}}, nil)
	lost, _ := m.Create(ctx, "carol", "pods", "ko", kind1)
	waitReady(t, m, "carol", lost.ID)
	_ = p.Delete(ctx, lost.ClusterID)
	_ = p.Pause(ctx, old.ClusterID) // bob's session was idle: its cluster is paused
	c.Add(30 * time.Minute)

	m2 := New(p, st, Config{Image: "x", Length: time.Hour}, c.Now, nil) // the restarted server
	if err := m2.Adopt(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := m2.Get(ctx, "alice", s.ID); err != nil || got.State != StateReady {
		t.Errorf("alice's session after restart: %+v %v", got, err)
	}
	if got, err := m2.Get(ctx, "bob", old.ID); err != nil || got.State != StatePaused {
		t.Errorf("bob's session, paused before the restart: %+v %v", got, err)
	}
	if got, err := m2.Wake(ctx, "bob", old.ID); err != nil || got.State != StateReady {
		t.Errorf("bob's session woken after the restart: %+v %v", got, err)
	}
	if _, err := p.Get(ctx, "orphan"); !errors.Is(err, provisioner.ErrNotFound) {
		t.Error("the orphan cluster was kept")
	}
	if _, err := p.Get(ctx, "byhand"); err != nil {
		t.Error("a cluster made by hand (not for a session) was removed")
	}
	if m2.PoolSize(kind1) != 1 {
		t.Errorf("pool after adopt: %d", m2.PoolSize(kind1))
	}
	if got, _ := m2.Get(ctx, "carol", lost.ID); got == nil || got.State != StateFailed {
		t.Errorf("a session without cluster: %+v", got)
	}
}

func mustList(t *testing.T, p provisioner.Provisioner) []*provisioner.Cluster {
	t.Helper()
	l, err := p.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestIdleSessionsPauseAndWake(t *testing.T) {
	m, p, _, c := setup(Config{IdleAfter: 15 * time.Minute})
	ctx := context.Background()
	a, _ := m.Create(ctx, "alice", "pods", "ko", kind1)
	waitReady(t, m, "alice", a.ID)
	b, _ := m.Create(ctx, "bob", "pods", "ko", kind1)
	waitReady(t, m, "bob", b.ID)

	c.Add(10 * time.Minute)
	m.Touch(b.ID) // bob types
	for i := 0; i < 5; i++ {
		_, _ = m.Poke(ctx, "alice", a.ID) // alice's page polls: looking is not using
	}
	if n, err := m.PauseIdle(ctx); err != nil || n != 0 {
		t.Fatalf("after 10 min: paused %d, %v", n, err)
	}
	c.Add(6 * time.Minute)
	if n, err := m.PauseIdle(ctx); err != nil || n != 1 {
		t.Fatalf("after 16 min: paused %d, %v (want alice's only)", n, err)
	}
	got, _ := m.Get(ctx, "alice", a.ID)
	if cl, _ := p.Get(ctx, a.ClusterID); got.State != StatePaused || !cl.Paused {
		t.Fatalf("alice: state %s, cluster paused %v", got.State, cl.Paused)
	}
	if got, _ := m.Get(ctx, "bob", b.ID); got.State != StateReady {
		t.Errorf("bob, who typed 6 minutes ago, was paused: %s", got.State)
	}
	// A paused node refuses commands until the session wakes.
	cl, _ := p.Get(ctx, a.ClusterID)
	if _, err := cl.Nodes[0].Exec(ctx, []string{"true"}, provisioner.ExecOptions{}); !errors.Is(err, provisioner.ErrPaused) {
		t.Errorf("exec in a paused session: %v", err)
	}
	// Another client cannot wake it.
	if _, err := m.Wake(ctx, "mallory", a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("mallory woke alice's session: %v", err)
	}
	// Poke starts the resume and answers at once; Wake waits for it.
	if got, err := m.Poke(ctx, "alice", a.ID); err != nil || (got.State != StateResuming && got.State != StateReady) {
		t.Fatalf("poke: %+v %v", got, err)
	}
	got, err := m.Wake(ctx, "alice", a.ID)
	if err != nil || got.State != StateReady {
		t.Fatalf("wake: %+v %v", got, err)
	}
	if _, err := cl.Nodes[0].Exec(ctx, []string{"true"}, provisioner.ExecOptions{}); err != nil {
		t.Errorf("exec after wake: %v", err)
	}
	// Woken a moment ago: not paused again at the next pass.
	if n, _ := m.PauseIdle(ctx); n != 0 {
		t.Errorf("a session woken a moment ago was paused again")
	}
	// Typing into a paused session's terminal wakes it too.
	c.Add(20 * time.Minute)
	if n, _ := m.PauseIdle(ctx); n != 2 {
		t.Fatalf("after 20 idle minutes both sessions should pause")
	}
	m.Touch(b.ID)
	if got := waitReady(t, m, "bob", b.ID); got.State != StateReady {
		t.Errorf("bob typed into his paused session: %s", got.State)
	}
}

// An Extend that races a wake is never undone by it.
func TestPokeDoesNotUndoAnExtend(t *testing.T) {
	m, _, _, c := setup(Config{IdleAfter: time.Minute})
	ctx := context.Background()
	a, _ := m.Create(ctx, "alice", "pods", "ko", kind1)
	waitReady(t, m, "alice", a.ID)
	c.Add(2 * time.Minute)
	if n, _ := m.PauseIdle(ctx); n != 1 {
		t.Fatal("not paused")
	}
	var wg sync.WaitGroup
	var extended time.Time
	for i := 0; i < 20; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); _, _ = m.Poke(ctx, "alice", a.ID) }()
		go func() {
			defer wg.Done()
			if s, err := m.Extend(ctx, "alice", a.ID, time.Minute); err == nil && s.Expires.After(extended) {
				extended = s.Expires
			}
		}()
		wg.Wait()
	}
	got := waitReady(t, m, "alice", a.ID)
	if !got.Expires.Equal(extended) {
		t.Errorf("expires %s, but an extend returned %s", got.Expires, extended)
	}
}

// A cluster from the pool that does not resume is removed and replaced by a fresh one.
func TestAPoolClusterThatDoesNotResumeIsReplaced(t *testing.T) {
	m, p, _, _ := setup(Config{Pool: map[Shape]int{kind1: 1}, PoolHold: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.RunPool(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for m.PoolSize(kind1) < 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel() // no refill: the only clusters are the pool's and the replacement
	pooled := mustList(t, p)[0].ID
	p.ResumeErr = errors.New("the engine could not unpause")
	s, err := m.Create(context.Background(), "alice", "pods", "ko", kind1)
	if err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if got, _ := m.Get(context.Background(), "alice", s.ID); got.State == StateReady {
			if got.ClusterID == pooled {
				t.Fatal("the session kept the cluster that did not resume")
			}
			if _, err := p.Get(context.Background(), pooled); !errors.Is(err, provisioner.ErrNotFound) {
				t.Errorf("the cluster that did not resume is still there: %v", err)
			}
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	got, _ := m.Get(context.Background(), "alice", s.ID)
	t.Fatalf("no replacement cluster: %+v", got)
}

func TestAFailedCreateIsTriedOnceMore(t *testing.T) {
	m, p, _, _ := setup(Config{})
	ctx := context.Background()
	var mu sync.Mutex
	tries := 0
	failFirst := 1
	p.CreateHook = func(ctx context.Context, spec provisioner.Spec) error {
		mu.Lock()
		defer mu.Unlock()
		tries++
		if tries <= failFirst {
			return errors.New("kubeadm init: timed out waiting for the condition")
		}
		return nil
	}
	s, _ := m.Create(ctx, "alice", "pods", "ko", kind1)
	s = waitReady(t, m, "alice", s.ID)
	if s.State != StateReady || tries != 2 {
		t.Fatalf("after one failure: %s after %d tries", s.State, tries)
	}
	retried := false
	for _, st := range s.Progress {
		retried = retried || st.Name == "retry"
	}
	if !retried {
		t.Errorf("the progress does not say the create was tried again: %+v", s.Progress)
	}

	mu.Lock()
	tries, failFirst = 0, 5
	mu.Unlock()
	s, _ = m.Create(ctx, "alice", "pods", "ko", kind1)
	s = waitReady(t, m, "alice", s.ID)
	if s.State != StateFailed || tries != 2 {
		t.Errorf("failing every time: %s after %d tries (want failed after 2)", s.State, tries)
	}
	if _, err := p.Get(ctx, s.ClusterID); !errors.Is(err, provisioner.ErrNotFound) {
		t.Errorf("a failed session's cluster is left: %v", err)
	}
}

// Two servers with data directories of their own share one Docker engine: neither removes the
// other's clusters at start, and each still cleans up its own orphans.
func TestAdoptLeavesAnotherServersClusters(t *testing.T) {
	p := fake.New()
	ctx := context.Background()
	a := New(p, NewMemStore(), Config{Image: "x", ServerID: "aaaa"}, nil, nil)
	s, err := a.Create(ctx, "alice", "pods", "ko", kind1)
	if err != nil {
		t.Fatal(err)
	}
	waitReady(t, a, "alice", s.ID)
	if got := mustGet(t, p, s.ClusterID).Labels[serverLabel]; got != "aaaa" {
		t.Fatalf("a session cluster's server label: %q", got)
	}
	_, _ = p.Create(ctx, provisioner.Spec{ID: "a-pooled", Mode: provisioner.ModeKind, Workers: 1, Image: "x",
		Labels: map[string]string{poolLabel: kind1.String(), serverLabel: "aaaa"}}, nil)
	_, _ = p.Create(ctx, provisioner.Spec{ID: "b-orphan", Mode: provisioner.ModeKind, Image: "x",
		Labels: map[string]string{sessionLabel: "sgone", serverLabel: "bbbb"}}, nil)

	b := New(p, NewMemStore(), Config{Image: "x", ServerID: "bbbb"}, nil, nil) // a second server starts
	if err := b.Adopt(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Get(ctx, s.ClusterID); err != nil {
		t.Errorf("the second server removed the first one's session cluster: %v", err)
	}
	if _, err := p.Get(ctx, "a-pooled"); err != nil {
		t.Errorf("the second server removed the first one's pool cluster: %v", err)
	}
	if b.PoolSize(kind1) != 0 {
		t.Errorf("the second server took the first one's pool cluster: pool %d", b.PoolSize(kind1))
	}
	if _, err := p.Get(ctx, "b-orphan"); !errors.Is(err, provisioner.ErrNotFound) {
		t.Error("the second server kept an orphan of its own")
	}
}

func mustGet(t *testing.T, p provisioner.Provisioner, id string) *provisioner.Cluster {
	t.Helper()
	c, err := p.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
