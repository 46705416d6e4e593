// Package classroom runs classes: an instructor makes a class (a lab, a number of seats, a length),
// the seats' clusters are made ahead at a pace the host can take, students join with a short code
// and get a seat (the same one again from the same browser), and the instructor follows their
// progress live, resets a seat, extends or ends the class.
package classroom

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/labs"
	"github.com/kubeplay/kubeplay/sessions"
)

// Class is one class.
type Class struct {
	ID      string
	Code    string // join code (NewCode)
	Title   string
	Lab     string
	Lang    string // the students' default language
	Shape   sessions.Shape
	Seats   int
	Created time.Time
	Expires time.Time
	// Broadcast is the instructor's terminal the class is shown (zero: none). Only SetBroadcast
	// changes it in a Store: PutClass keeps the stored one.
	Broadcast Broadcast
}

// Broadcast is a terminal an instructor shows the class, read-only: a node of one of the
// instructor's own sessions.
type Broadcast struct {
	Session string // the instructor's session
	Node    string // the node's name in that session's cluster
}

// On says whether a terminal is being shown.
func (b Broadcast) On() bool { return b.Session != "" }

// Seat is one student's place in a class.
type Seat struct {
	Class    string
	N        int    // 1..Seats
	Session  string // the seat's session ("" until made)
	Owner    string // the student's identity; "" while the seat is free
	Name     string // the student's display name
	Joined   time.Time
	Failures int // creates that failed in a row; the pace gives up at maxFailures until a reset
}

const maxFailures = 3

// Store keeps classes and seats across restarts.
type Store interface {
	PutClass(ctx context.Context, c *Class) error // keeps the class's stored Broadcast
	// SetBroadcast sets what the class is shown (Broadcast{}: nothing) and nothing else: a class
	// read before a broadcast started and stored after (Extend) does not stop it. ErrNotFound.
	SetBroadcast(ctx context.Context, class string, b Broadcast) error
	GetClass(ctx context.Context, id string) (*Class, error) // ErrNotFound
	ClassByCode(ctx context.Context, code string) (*Class, error)
	ListClasses(ctx context.Context) ([]*Class, error)
	DeleteClass(ctx context.Context, id string) error // and its seats
	PutSeat(ctx context.Context, s *Seat) error
	Seats(ctx context.Context, class string) ([]*Seat, error) // ordered by N
}

// Sessions is what a class needs of the session manager (sessions.Manager).
type Sessions interface {
	CreateSeat(ctx context.Context, owner, lab, lang string, shape sessions.Shape, expires time.Time, labels map[string]string) (*sessions.Session, error)
	Lookup(ctx context.Context, id string) (*sessions.Session, error)
	SetOwner(ctx context.Context, id, owner string) error
	ExtendTo(ctx context.Context, id string, expires time.Time) error
	End(ctx context.Context, id string) error
	Pause(ctx context.Context, id string) (bool, error)
}

// Errors a student or an instructor is told (the server localizes them).
var (
	ErrNotFound    = errors.New("no such class")
	ErrUnknownCode = errors.New("no class has this code")
	ErrEnded       = errors.New("the class has ended")
	ErrFull        = errors.New("every seat of the class is taken")
	ErrInvalid     = errors.New("invalid class")
	ErrNoSeat      = errors.New("no such seat")
	// ErrNoBroadcast: the session is not a seat of a class that is being shown a terminal.
	ErrNoBroadcast = errors.New("the class is not shown a terminal")
)

// LabelClass is the session label naming a seat's class.
const LabelClass = "kubeplay.class"

// Config of a Manager.
type Config struct {
	// Concurrency is how many seat clusters are made at once (default 1: on a 2-core host two kind
	// creates at once take longer than one after the other, and students' terminals stay responsive).
	Concurrency int
	MaxSeats    int           // default 40
	MaxLength   time.Duration // the longest a class may last, extensions included (default 12 h)
}

// Spec is what an instructor asks for.
type Spec struct {
	Title  string
	Lab    string
	Lang   string
	Shape  sessions.Shape
	Seats  int
	Length time.Duration
}

// Event tells subscribers that something of a class changed.
type Event struct {
	Class string `json:"class"`
	Seat  int    `json:"seat,omitempty"` // 0: the class itself
	Kind  string `json:"kind"`           // seat, progress, class, broadcast, ended
}

// Manager runs the classes.
type Manager struct {
	store    Store
	sess     Sessions
	progress labs.ProgressStore
	cfg      Config
	now      func() time.Time
	log      *slog.Logger

	mu       sync.Mutex                // seats' changes (join, reset, fill) one at a time
	states   map[string]sessions.State // seat session -> the state Fill last saw (m.mu)
	removing sync.WaitGroup            // ended classes' clusters being removed
	subs     sync.Map                  // class id -> *subscribers
}

type subscribers struct {
	mu  sync.Mutex
	chs map[chan Event]struct{}
}

// New returns a manager; now and log may be nil.
func New(store Store, sess Sessions, progress labs.ProgressStore, cfg Config, now func() time.Time, log *slog.Logger) *Manager {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 1
	}
	if cfg.MaxSeats <= 0 {
		cfg.MaxSeats = 40
	}
	if cfg.MaxLength <= 0 {
		cfg.MaxLength = 12 * time.Hour
	}
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Manager{store: store, sess: sess, progress: progress, cfg: cfg, now: now, log: log, states: map[string]sessions.State{}}
}

// classOwner owns a seat's session while no student has the seat: nobody's browser.
func classOwner(class string, n int) string { return fmt.Sprintf("class:%s:%d", class, n) }

// Create makes a class; its seats' clusters follow (Fill).
func (m *Manager) Create(ctx context.Context, spec Spec) (*Class, error) {
	switch {
	case spec.Lab == "":
		return nil, fmt.Errorf("%w: no lab", ErrInvalid)
	case spec.Seats < 1 || spec.Seats > m.cfg.MaxSeats:
		return nil, fmt.Errorf("%w: seats must be 1 to %d", ErrInvalid, m.cfg.MaxSeats)
	case spec.Length < 10*time.Minute || spec.Length > m.cfg.MaxLength:
		return nil, fmt.Errorf("%w: length must be 10 minutes to %s", ErrInvalid, m.cfg.MaxLength)
	case spec.Lang != "ko" && spec.Lang != "en":
		return nil, fmt.Errorf("%w: language must be ko or en", ErrInvalid)
	}
	now := m.now()
	c := &Class{ID: newID(), Title: spec.Title, Lab: spec.Lab, Lang: spec.Lang, Shape: spec.Shape, Seats: spec.Seats,
		Created: now, Expires: now.Add(spec.Length)}
	if c.Title == "" {
		c.Title = spec.Lab
	}
	for i := 0; ; i++ {
		c.Code = NewCode()
		if _, err := m.store.ClassByCode(ctx, c.Code); errors.Is(err, ErrNotFound) {
			break
		} else if err != nil {
			return nil, err
		}
		if i > 20 {
			return nil, errors.New("no free join code")
		}
	}
	if err := m.store.PutClass(ctx, c); err != nil {
		return nil, err
	}
	for n := 1; n <= c.Seats; n++ {
		if err := m.store.PutSeat(ctx, &Seat{Class: c.ID, N: n}); err != nil {
			return nil, err
		}
	}
	m.log.Info("class created", "class", c.ID, "code", c.Code, "lab", c.Lab, "seats", c.Seats)
	return c, nil
}

// Get returns a class.
func (m *Manager) Get(ctx context.Context, id string) (*Class, error) {
	return m.store.GetClass(ctx, id)
}

// List returns the classes, newest first.
func (m *Manager) List(ctx context.Context) ([]*Class, error) {
	cs, err := m.store.ListClasses(ctx)
	sort.Slice(cs, func(i, j int) bool { return cs[i].Created.After(cs[j].Created) })
	return cs, err
}

// Seats returns a class's seats.
func (m *Manager) Seats(ctx context.Context, class string) ([]*Seat, error) {
	return m.store.Seats(ctx, class)
}

// Fill makes the seats' clusters that are missing, at most Concurrency at a time over all classes;
// it returns how many creates it started. Run calls it every few seconds.
func (m *Manager) Fill(ctx context.Context) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	classes, err := m.store.ListClasses(ctx)
	if err != nil {
		return 0, err
	}
	sort.Slice(classes, func(i, j int) bool { return classes[i].Created.Before(classes[j].Created) })
	type need struct {
		c *Class
		s *Seat
	}
	busy := 0
	var todo []need
	var toPause []string
	seen := map[string]sessions.State{}
	for _, c := range classes {
		if !m.now().Before(c.Expires) {
			continue
		}
		seats, err := m.store.Seats(ctx, c.ID)
		if err != nil {
			return 0, err
		}
		// Taken seats first: a student is waiting on them.
		sort.SliceStable(seats, func(i, j int) bool { return seats[i].Owner != "" && seats[j].Owner == "" })
		for _, s := range seats {
			if s.Session != "" {
				ss, err := m.sess.Lookup(ctx, s.Session)
				if err == nil {
					// A seat's cluster changed state (made, paused, woken, failed): the grid
					// hears it now rather than at its next poll.
					seen[s.Session] = ss.State
					if old, ok := m.states[s.Session]; ok && old != ss.State {
						m.publish(Event{Class: c.ID, Seat: s.N, Kind: "seat"})
					}
				}
				switch {
				case err == nil && ss.State == sessions.StateCreating:
					busy++
					continue
				case err == nil && ss.State == sessions.StateReady && s.Owner == "":
					// Made ahead and nobody's yet: paused, no CPU until a student takes it.
					toPause = append(toPause, s.Session)
					continue
				case err == nil && ss.State != sessions.StateFailed:
					continue
				case err == nil: // failed: remove it and count the failure
					_ = m.sess.End(ctx, s.Session)
					s.Failures++
				}
				s.Session = ""
				if err := m.store.PutSeat(ctx, s); err != nil {
					return 0, err
				}
				m.publish(Event{Class: c.ID, Seat: s.N, Kind: "seat"})
			}
			if s.Failures < maxFailures {
				todo = append(todo, need{c, s})
			}
		}
	}
	m.states = seen
	for _, id := range toPause {
		if _, err := m.sess.Pause(ctx, id); err != nil {
			m.log.Warn("pausing a free seat's cluster", "session", id, "err", err)
		}
	}
	started := 0
	for _, t := range todo {
		if busy >= m.cfg.Concurrency {
			break
		}
		if err := m.startSeat(ctx, t.c, t.s); err != nil {
			return started, err
		}
		busy++
		started++
	}
	return started, nil
}

// startSeat makes a seat's session (m.mu held).
func (m *Manager) startSeat(ctx context.Context, c *Class, s *Seat) error {
	owner := s.Owner
	if owner == "" {
		owner = classOwner(c.ID, s.N)
	}
	ss, err := m.sess.CreateSeat(ctx, owner, c.Lab, c.Lang, c.Shape, c.Expires, map[string]string{LabelClass: c.ID})
	if err != nil {
		return fmt.Errorf("seat %d of class %s: %w", s.N, c.ID, err)
	}
	s.Session = ss.ID
	if err := m.store.PutSeat(ctx, s); err != nil {
		return err
	}
	m.log.Info("seat cluster", "class", c.ID, "seat", s.N, "session", ss.ID)
	m.publish(Event{Class: c.ID, Seat: s.N, Kind: "seat"})
	return nil
}

// Join gives the student (owner, a browser's identity) a seat of the class with this code: the seat
// they had, or the first free one (a seat whose cluster is ready first).
func (m *Manager) Join(ctx context.Context, code, owner, name string) (*Class, *Seat, error) {
	code = NormalizeCode(code)
	if code == "" {
		return nil, nil, ErrUnknownCode
	}
	c, err := m.store.ClassByCode(ctx, code)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrUnknownCode
	}
	if err != nil {
		return nil, nil, err
	}
	if !m.now().Before(c.Expires) {
		return nil, nil, ErrEnded
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	seats, err := m.store.Seats(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range seats {
		if s.Owner == owner {
			if name != "" && name != s.Name {
				s.Name = name
				if err := m.store.PutSeat(ctx, s); err != nil {
					return nil, nil, err
				}
				m.publish(Event{Class: c.ID, Seat: s.N, Kind: "seat"})
			}
			return c, s, nil
		}
	}
	var pick *Seat
	for _, s := range seats {
		if s.Owner != "" {
			continue
		}
		if pick == nil {
			pick = s
		}
		if s.Session != "" {
			if ss, err := m.sess.Lookup(ctx, s.Session); err == nil && ss.State != sessions.StateCreating && ss.State != sessions.StateFailed {
				pick = s
				break
			}
		}
	}
	if pick == nil {
		return nil, nil, ErrFull
	}
	pick.Owner, pick.Name, pick.Joined = owner, name, m.now()
	if pick.Session != "" {
		if err := m.sess.SetOwner(ctx, pick.Session, owner); err != nil && !errors.Is(err, sessions.ErrNotFound) {
			return nil, nil, err
		}
	}
	if err := m.store.PutSeat(ctx, pick); err != nil {
		return nil, nil, err
	}
	m.log.Info("student joined", "class", c.ID, "seat", pick.N)
	m.publish(Event{Class: c.ID, Seat: pick.N, Kind: "seat"})
	return c, pick, nil
}

// Reset gives a seat a fresh cluster at once (ahead of the pace: someone is waiting). With keep,
// the steps the student had passed stay passed.
func (m *Manager) Reset(ctx context.Context, class string, n int, keep bool) (*Seat, error) {
	c, err := m.store.GetClass(ctx, class)
	if err != nil {
		return nil, err
	}
	if !m.now().Before(c.Expires) {
		return nil, ErrEnded
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, err := m.seat(ctx, class, n)
	if err != nil {
		return nil, err
	}
	old := s.Session
	var passed map[int]labs.StepStatus
	if old != "" {
		if keep && m.progress != nil {
			if passed, err = m.progress.Progress(ctx, old); err != nil {
				return nil, err
			}
		}
		if err := m.sess.End(ctx, old); err != nil {
			m.log.Warn("reset: removing the old cluster", "session", old, "err", err)
		}
	}
	s.Session, s.Failures = "", 0
	if err := m.startSeat(ctx, c, s); err != nil {
		return nil, err
	}
	for _, st := range passed {
		if st.Done {
			st.State = labs.Passed
			if err := m.progress.SaveCheck(ctx, s.Session, st); err != nil {
				return nil, err
			}
		}
	}
	m.log.Info("seat reset", "class", class, "seat", n, "kept progress", keep)
	return s, nil
}

func (m *Manager) seat(ctx context.Context, class string, n int) (*Seat, error) {
	seats, err := m.store.Seats(ctx, class)
	if err != nil {
		return nil, err
	}
	for _, s := range seats {
		if s.N == n {
			return s, nil
		}
	}
	return nil, ErrNoSeat
}

// Extend moves the class's end (and its seats' sessions') by d, up to MaxLength after its start.
func (m *Manager) Extend(ctx context.Context, class string, d time.Duration) (*Class, error) {
	c, err := m.store.GetClass(ctx, class)
	if err != nil {
		return nil, err
	}
	if !m.now().Before(c.Expires) {
		return nil, ErrEnded
	}
	c.Expires = c.Expires.Add(d)
	if limit := c.Created.Add(m.cfg.MaxLength); c.Expires.After(limit) {
		c.Expires = limit
	}
	if err := m.store.PutClass(ctx, c); err != nil {
		return nil, err
	}
	seats, err := m.store.Seats(ctx, class)
	if err != nil {
		return nil, err
	}
	for _, s := range seats {
		if s.Session != "" {
			if err := m.sess.ExtendTo(ctx, s.Session, c.Expires); err != nil && !errors.Is(err, sessions.ErrNotFound) {
				return nil, err
			}
		}
	}
	m.publish(Event{Class: class, Kind: "class"})
	return c, nil
}

// End ends a class: the class and its seats are forgotten at once (nobody can join, the grid and
// the students' pages hear "ended"), and every seat's cluster is removed in the background, so that
// ending a class of 30 seats neither keeps the instructor waiting nor holds up the other classes.
// (A cluster whose removal the server's stop interrupts ends with its session's time.)
func (m *Manager) End(ctx context.Context, class string) error {
	m.mu.Lock()
	seats, err := m.store.Seats(ctx, class)
	if err == nil {
		err = m.store.DeleteClass(ctx, class)
	}
	m.mu.Unlock()
	if err != nil {
		return err
	}
	var ids []string
	for _, s := range seats {
		if s.Session != "" {
			ids = append(ids, s.Session)
		}
	}
	m.log.Info("class ended", "class", class, "clusters", len(ids))
	m.publish(Event{Class: class, Kind: "ended"})
	m.removing.Add(1)
	go func() {
		defer m.removing.Done()
		ctx := context.WithoutCancel(ctx)
		start := m.now()
		for _, id := range ids {
			if err := m.sess.End(ctx, id); err != nil && !errors.Is(err, sessions.ErrNotFound) {
				m.log.Error("removing an ended class's cluster", "class", class, "session", id, "err", err)
			}
		}
		m.log.Info("class's clusters removed", "class", class, "clusters", len(ids), "took", m.now().Sub(start).Round(time.Millisecond))
	}()
	return nil
}

// Settle waits until the clusters of the classes ended so far are removed, or ctx ends.
func (m *Manager) Settle(ctx context.Context) error {
	done := make(chan struct{})
	go func() { m.removing.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Reap ends the classes past their end; it returns how many.
func (m *Manager) Reap(ctx context.Context) (int, error) {
	cs, err := m.store.ListClasses(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cs {
		if m.now().Before(c.Expires) {
			continue
		}
		if err := m.End(ctx, c.ID); err != nil {
			m.log.Error("end of class", "class", c.ID, "err", err)
			continue
		}
		n++
	}
	return n, nil
}

// Run fills seats and ends classes until ctx ends.
func (m *Manager) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := m.Fill(ctx); err != nil {
			m.log.Error("class seats", "err", err)
		}
		if _, err := m.Reap(ctx); err != nil {
			m.log.Error("class reap", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SeatOf finds the class and seat a session belongs to (for progress events and access checks).
func (m *Manager) SeatOf(ctx context.Context, sessionID string) (*Class, *Seat, error) {
	ss, err := m.sess.Lookup(ctx, sessionID)
	if err != nil {
		return nil, nil, err
	}
	class := ss.Labels[LabelClass]
	if class == "" {
		return nil, nil, ErrNotFound
	}
	c, err := m.store.GetClass(ctx, class)
	if err != nil {
		return nil, nil, err
	}
	seats, err := m.store.Seats(ctx, class)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range seats {
		if s.Session == sessionID {
			return c, s, nil
		}
	}
	return nil, nil, ErrNoSeat
}

// Checked is called after a lesson check of a session: the class's grid updates.
func (m *Manager) Checked(ctx context.Context, sessionID string) {
	c, s, err := m.SeatOf(ctx, sessionID)
	if err != nil {
		return
	}
	m.publish(Event{Class: c.ID, Seat: s.N, Kind: "progress"})
}

// Subscribe returns a channel of a class's events and a function that ends the subscription. A
// subscriber that does not keep up misses events (it reloads the grid on the next one).
func (m *Manager) Subscribe(class string) (<-chan Event, func()) {
	v, _ := m.subs.LoadOrStore(class, &subscribers{chs: map[chan Event]struct{}{}})
	subs := v.(*subscribers)
	ch := make(chan Event, 16)
	subs.mu.Lock()
	subs.chs[ch] = struct{}{}
	subs.mu.Unlock()
	return ch, func() {
		subs.mu.Lock()
		delete(subs.chs, ch)
		subs.mu.Unlock()
	}
}

func (m *Manager) publish(e Event) {
	v, ok := m.subs.Load(e.Class)
	if !ok {
		return
	}
	subs := v.(*subscribers)
	subs.mu.Lock()
	defer subs.mu.Unlock()
	for ch := range subs.chs {
		select {
		case ch <- e:
		default:
		}
	}
}
