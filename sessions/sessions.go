// Package sessions keeps the playground's sessions: who owns which cluster, until when. A session is
// made from a warm cluster when the pool has one of its shape (seconds) or by a fresh create (about a
// minute, with progress); it expires at its end time unless extended, up to a cap; the number of live
// sessions is capped per client and in total, and a refusal says when a place frees up. After a
// restart, Adopt matches the stored sessions with the clusters the engine still has.
package sessions

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/provisioner"
)

// State of a session.
type State string

const (
	StateCreating State = "creating"
	StateReady    State = "ready"
	StatePaused   State = "paused"   // idle: the cluster is frozen until the student comes back
	StateResuming State = "resuming" // waking a paused cluster (a few seconds)
	StateFailed   State = "failed"
)

// Shape is the cluster a lab needs.
type Shape struct {
	Mode    provisioner.Mode
	Workers int
}

func (s Shape) String() string { return fmt.Sprintf("%s-%d", s.Mode, s.Workers) }

// ParseShape reads a shape's String form ("kind-1", "kubeadm-0").
func ParseShape(v string) (Shape, error) {
	mode, workers, ok := strings.Cut(v, "-")
	w, err := strconv.Atoi(workers)
	if !ok || err != nil || w < 0 || w > 3 || (mode != string(provisioner.ModeKind) && mode != string(provisioner.ModeKubeadm)) {
		return Shape{}, fmt.Errorf("cluster shape %q: want kind-N or kubeadm-N, N from 0 to 3", v)
	}
	return Shape{Mode: provisioner.Mode(mode), Workers: w}, nil
}

// Session is one student's cluster for a while.
type Session struct {
	ID        string
	Owner     string // the client (signed cookie) that made it
	Lab       string
	Lang      string
	Shape     Shape
	ClusterID string
	State     State
	Error     string // why it failed (internal; users see a localized message)
	Created   time.Time
	Expires   time.Time
	Progress  []provisioner.Stage
	Labels    map[string]string
}

// Store keeps sessions across restarts.
type Store interface {
	Put(ctx context.Context, s *Session) error
	Get(ctx context.Context, id string) (*Session, error) // ErrNotFound
	List(ctx context.Context) ([]*Session, error)
	Delete(ctx context.Context, id string) error
}

// Errors callers tell apart.
var (
	ErrNotFound = errors.New("no such session")
	ErrNotOwner = ErrNotFound // another client's session looks like no session at all
	ErrExtend   = errors.New("the session cannot be extended further")
)

// CapacityError refuses a session for lack of room; RetryAt says when the next place frees up.
type CapacityError struct {
	PerClient bool
	RetryAt   time.Time
}

func (e *CapacityError) Error() string {
	who := "the server"
	if e.PerClient {
		who = "you"
	}
	return fmt.Sprintf("no capacity: %s already have the most sessions allowed; try at %s", who, e.RetryAt.Format("15:04"))
}

// Config of the manager.
type Config struct {
	Image        string             // node image for new clusters
	Limits       provisioner.Limits // per node (zero fields: the provisioner's defaults)
	Length       time.Duration      // a new session's length (default 60 min)
	MaxLength    time.Duration      // the most a session may last, extensions included (default 3 h)
	MaxPerClient int                // live sessions per client (default 2)
	MaxTotal     int                // live sessions in all (default 20)
	// Pool is how many ready clusters of each shape to keep made ahead.
	Pool map[Shape]int
	// PoolRunning keeps pool clusters running; by default they are paused once made (no CPU while
	// they wait) and resumed when taken, which costs about 4 s.
	PoolRunning bool
	// PoolHold delays the pool's refill after a cluster is handed out (default 10 s), so that the
	// refill's create does not slow the resume of the cluster the student is waiting for.
	PoolHold time.Duration
	// IdleAfter pauses a session's cluster when nobody has used it for this long (default 15 min;
	// negative: never). It is resumed when the student comes back.
	IdleAfter time.Duration
	// OnEnd, when set, is called when a session ends (deleted, expired): its terminals close.
	OnEnd func(sessionID string)
	// ServerID names this server among others on the same Docker engine (each with its own data
	// directory). The clusters it makes carry it; at start it adopts or removes only clusters that
	// carry its own ID (or none: clusters made before servers had IDs) and leaves the others' alone.
	ServerID string
	// OnReady, when set, is told each time a new session's cluster becomes usable: how long after
	// the request, and whether it came from the pool (metrics).
	OnReady func(took time.Duration, fromPool bool)
}

// Manager makes, finds, extends and ends sessions.
type Manager struct {
	prov  provisioner.Provisioner
	store Store
	cfg   Config
	now   func() time.Time
	log   *slog.Logger

	mu        sync.Mutex
	pool      map[Shape][]string // ready cluster ids, oldest first
	creating  map[Shape]int      // pool creates under way
	kick      chan struct{}
	holdUntil time.Time                // the pool does not start a create before this (real time)
	seen      map[string]time.Time     // session -> last use
	waking    map[string]chan struct{} // session -> closed when its resume ends
	pausing   map[string]chan struct{} // session -> closed when its pause ends
	paused    map[string]bool          // sessions whose cluster is paused (or being paused)
}

// New returns a manager; now may be nil (time.Now).
func New(prov provisioner.Provisioner, store Store, cfg Config, now func() time.Time, log *slog.Logger) *Manager {
	if cfg.Length == 0 {
		cfg.Length = 60 * time.Minute
	}
	if cfg.MaxLength == 0 {
		cfg.MaxLength = 3 * time.Hour
	}
	if cfg.MaxPerClient == 0 {
		cfg.MaxPerClient = 2
	}
	if cfg.MaxTotal == 0 {
		cfg.MaxTotal = 20
	}
	if cfg.IdleAfter == 0 {
		cfg.IdleAfter = 15 * time.Minute
	}
	if cfg.PoolHold == 0 {
		cfg.PoolHold = 10 * time.Second
	}
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Manager{prov: prov, store: store, cfg: cfg, now: now, log: log,
		pool: map[Shape][]string{}, creating: map[Shape]int{}, kick: make(chan struct{}, 1),
		seen: map[string]time.Time{}, waking: map[string]chan struct{}{}, pausing: map[string]chan struct{}{}, paused: map[string]bool{}}
}

func newID(prefix string) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// live returns the sessions that hold (or are making) a cluster.
func (m *Manager) live(ctx context.Context) ([]*Session, error) {
	all, err := m.store.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []*Session
	for _, s := range all {
		if s.State != StateFailed && m.now().Before(s.Expires) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Create starts a session for owner. It returns at once with the session in state creating (or
// ready, when the pool had a cluster); progress goes to the session record.
func (m *Manager) Create(ctx context.Context, owner, lab, lang string, shape Shape) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	live, err := m.live(ctx)
	if err != nil {
		return nil, err
	}
	var mine []*Session
	for _, s := range live {
		if s.Owner == owner {
			mine = append(mine, s)
		}
	}
	if len(mine) >= m.cfg.MaxPerClient {
		return nil, &CapacityError{PerClient: true, RetryAt: earliest(mine)}
	}
	if len(live) >= m.cfg.MaxTotal {
		return nil, &CapacityError{RetryAt: earliest(live)}
	}
	return m.create(ctx, owner, lab, lang, shape, m.now().Add(m.cfg.Length), nil)
}

// create starts a session (m.mu held): from the pool when it has a cluster of the shape.
func (m *Manager) create(ctx context.Context, owner, lab, lang string, shape Shape, expires time.Time, labels map[string]string) (*Session, error) {
	now := m.now()
	s := &Session{ID: newID("s"), Owner: owner, Lab: lab, Lang: lang, Shape: shape, State: StateCreating,
		Created: now, Expires: expires, Labels: labels}
	m.seen[s.ID] = now
	if ids := m.pool[shape]; len(ids) > 0 {
		s.ClusterID, m.pool[shape] = ids[0], ids[1:]
		s.State = StateResuming
		s.Progress = []provisioner.Stage{{Name: "pool", Message: "a cluster made ahead", At: now}}
		m.holdUntil = time.Now().Add(m.cfg.PoolHold)
		time.AfterFunc(m.cfg.PoolHold, func() { m.mu.Lock(); m.refill(); m.mu.Unlock() })
		if err := m.store.Put(ctx, s); err != nil {
			return nil, err
		}
		m.log.Info("session from the pool", "session", s.ID, "cluster", s.ClusterID, "lab", lab)
		m.startWake(s.ID, s.ClusterID)
		return s, nil
	}
	s.ClusterID = "c" + s.ID[1:]
	if err := m.store.Put(ctx, s); err != nil {
		return nil, err
	}
	go m.build(s.ID, s.ClusterID, shape)
	m.refill()
	return s, nil
}

func earliest(ss []*Session) time.Time {
	t := ss[0].Expires
	for _, s := range ss[1:] {
		if s.Expires.Before(t) {
			t = s.Expires
		}
	}
	return t
}

// build creates a session's cluster and records its progress.
func (m *Manager) build(sessionID, clusterID string, shape Shape) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	var err error
	// A create that fails (kubeadm init timing out on a host under load is the usual cause) is tried
	// once more from scratch before the student is told.
	for attempt := 1; attempt <= 2; attempt++ {
		_, err = m.prov.Create(ctx, provisioner.Spec{ID: clusterID, Mode: shape.Mode, Workers: shape.Workers, Image: m.cfg.Image, Limits: m.cfg.Limits,
			Labels: m.labels(sessionLabel, sessionID)}, func(st provisioner.Stage) {
			m.update(ctx, sessionID, func(s *Session) { s.Progress = append(s.Progress, st) })
		})
		if err == nil || attempt == 2 || ctx.Err() != nil || errors.Is(err, provisioner.ErrInvalidSpec) || errors.Is(err, provisioner.ErrEngineDown) {
			break
		}
		if _, gone := m.store.Get(ctx, sessionID); gone != nil {
			break // the session ended meanwhile
		}
		m.log.Warn("session cluster failed, trying again", "session", sessionID, "err", err)
		if derr := m.prov.Delete(ctx, clusterID); derr != nil && !errors.Is(derr, provisioner.ErrNotFound) {
			m.log.Warn("clean up the failed create", "session", sessionID, "err", derr)
		}
		m.update(ctx, sessionID, func(s *Session) {
			s.Progress = append(s.Progress, provisioner.Stage{Name: "retry", Message: "the first try failed; trying again", At: m.now()})
		})
	}
	var created time.Time
	m.update(ctx, sessionID, func(s *Session) {
		created = s.Created
		if err != nil {
			s.State, s.Error = StateFailed, err.Error()
			return
		}
		s.State = StateReady
	})
	if err == nil && m.cfg.OnReady != nil && !created.IsZero() {
		m.cfg.OnReady(m.now().Sub(created), false)
	}
	if err != nil {
		m.log.Error("session cluster failed", "session", sessionID, "err", err)
	}
}

func (m *Manager) update(ctx context.Context, id string, f func(*Session)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, err := m.store.Get(ctx, id)
	if err != nil {
		return
	}
	f(s)
	if err := m.store.Put(ctx, s); err != nil {
		m.log.Error("store", "session", id, "err", err)
	}
}

// Get returns owner's session; another client's session is reported as not found.
func (m *Manager) Get(ctx context.Context, owner, id string) (*Session, error) {
	s, err := m.store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.Owner != owner || !m.now().Before(s.Expires) {
		return nil, ErrNotFound
	}
	return s, nil
}

// Extend moves a session's end by d, but never past Created + MaxLength.
func (m *Manager) Extend(ctx context.Context, owner, id string, d time.Duration) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, err := m.store.Get(ctx, id)
	if err != nil || s.Owner != owner || !m.now().Before(s.Expires) {
		return nil, ErrNotFound
	}
	limit := s.Created.Add(m.cfg.MaxLength)
	if !s.Expires.Before(limit) {
		return nil, ErrExtend
	}
	s.Expires = s.Expires.Add(d)
	if s.Expires.After(limit) {
		s.Expires = limit
	}
	return s, m.store.Put(ctx, s)
}

// Delete ends a session and removes its cluster.
func (m *Manager) Delete(ctx context.Context, owner, id string) error {
	s, err := m.Get(ctx, owner, id)
	if err != nil {
		return err
	}
	return m.end(ctx, s)
}

func (m *Manager) end(ctx context.Context, s *Session) error {
	// The record goes first, so that nothing (a terminal reconnecting) finds the session while its
	// cluster is being removed; a cluster whose removal fails is an orphan that the next start
	// removes.
	m.mu.Lock()
	delete(m.seen, s.ID)
	delete(m.paused, s.ID)
	err := m.store.Delete(ctx, s.ID)
	m.mu.Unlock()
	if err != nil {
		return err
	}
	if m.cfg.OnEnd != nil {
		m.cfg.OnEnd(s.ID)
	}
	return m.prov.Delete(ctx, s.ClusterID)
}

// Reap ends every session past its end time (and failed ones after their end time too).
func (m *Manager) Reap(ctx context.Context) (int, error) {
	all, err := m.store.List(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range all {
		if m.now().Before(s.Expires) {
			continue
		}
		if err := m.end(ctx, s); err != nil {
			m.log.Error("reap", "session", s.ID, "err", err)
			continue
		}
		m.log.Info("session expired", "session", s.ID)
		n++
	}
	return n, nil
}

// Adopt runs once at start: sessions whose cluster still exists carry on, pool clusters go back
// to the pool, and clusters that belong to no live session are removed.
func (m *Manager) Adopt(ctx context.Context) error {
	clusters, err := m.prov.List(ctx)
	if err != nil {
		return err
	}
	sessions, err := m.store.List(ctx)
	if err != nil {
		return err
	}
	byCluster := map[string]*Session{}
	for _, s := range sessions {
		byCluster[s.ClusterID] = s
	}
	have := map[string]bool{}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range clusters {
		have[c.ID] = true
		s := byCluster[c.ID]
		if s == nil && c.Labels[sessionLabel] == "" && c.Labels[poolLabel] == "" {
			continue // not made for a session (e.g. by `kubeplay cluster create`): not ours to remove
		}
		if id := c.Labels[serverLabel]; s == nil && id != "" && id != m.cfg.ServerID {
			continue // another server's (its own data directory, the same engine): not ours either
		}
		switch {
		case s != nil && m.now().Before(s.Expires):
			m.seen[s.ID] = m.now()
			switch {
			case s.State == StateCreating:
				// The server stopped during the create: the cluster may be half made.
				s.State, s.Error = StateFailed, "the server restarted while the cluster was being made"
			case s.State == StateFailed:
			case c.Paused || s.State == StatePaused || s.State == StateResuming:
				s.State = StatePaused // resumed (Resume is idempotent) when the student comes back
				m.paused[s.ID] = true
			default:
				s.State = StateReady
			}
			_ = m.store.Put(ctx, s)
		case s == nil && c.Labels[poolLabel] != "" && poolShapeOK(c):
			shape, _ := ParseShape(c.Labels[poolLabel])
			m.pool[shape] = append(m.pool[shape], c.ID)
		default:
			m.log.Info("removing an orphan cluster", "cluster", c.ID)
			if err := m.prov.Delete(ctx, c.ID); err != nil {
				m.log.Error("orphan", "cluster", c.ID, "err", err)
			}
			if s != nil {
				_ = m.store.Delete(ctx, s.ID)
			}
		}
	}
	for _, s := range sessions {
		if !have[s.ClusterID] && s.State != StateFailed {
			s.State, s.Error = StateFailed, "the cluster is gone"
			_ = m.store.Put(ctx, s)
		}
	}
	return nil
}

// poolShapeOK tells whether a pool cluster found at start is whole: its label names a shape and it
// has that shape's nodes (one that a crash interrupted may have fewer; it is removed).
func poolShapeOK(c *provisioner.Cluster) bool {
	shape, err := ParseShape(c.Labels[poolLabel])
	return err == nil && shape.Mode == c.Mode && len(c.Nodes) == shape.Workers+1
}

// Labels on the clusters the manager makes.
const (
	poolLabel    = "kubeplay.pool"
	sessionLabel = "kubeplay.session"
	serverLabel  = "kubeplay.server"
)

// labels are a new cluster's: its role (session or pool) and, when set, the server's ID.
func (m *Manager) labels(key, value string) map[string]string {
	l := map[string]string{key: value}
	if m.cfg.ServerID != "" {
		l[serverLabel] = m.cfg.ServerID
	}
	return l
}

// refill asks the pool keeper to make clusters if any shape is short (m.mu held).
func (m *Manager) refill() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// PoolSize is how many ready clusters of a shape wait.
func (m *Manager) PoolSize(shape Shape) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.pool[shape])
}

// RunPool keeps the pool filled until ctx ends: one create at a time, so that a 2-core host making
// clusters ahead leaves room for the students already working.
func (m *Manager) RunPool(ctx context.Context) {
	tick := time.NewTicker(30 * time.Second)
	defer tick.Stop()
	for {
		m.mu.Lock()
		hold := time.Until(m.holdUntil)
		m.mu.Unlock()
		if hold > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(hold):
			}
		}
		shape, ok := m.short()
		if ok {
			id := newID("p")
			m.mu.Lock()
			m.creating[shape]++
			m.mu.Unlock()
			_, err := m.prov.Create(ctx, provisioner.Spec{ID: id, Mode: shape.Mode, Workers: shape.Workers, Image: m.cfg.Image, Limits: m.cfg.Limits,
				Labels: m.labels(poolLabel, shape.String())}, nil)
			if err == nil && !m.cfg.PoolRunning {
				if perr := m.prov.Pause(ctx, id); perr != nil {
					m.log.Warn("pool cluster left running", "cluster", id, "err", perr)
				}
			}
			m.mu.Lock()
			m.creating[shape]--
			if err == nil {
				m.pool[shape] = append(m.pool[shape], id)
			}
			m.mu.Unlock()
			if err != nil {
				m.log.Error("pool create", "shape", shape.String(), "err", err)
				if ctx.Err() != nil {
					return
				}
				select {
				case <-ctx.Done():
					return
				case <-time.After(30 * time.Second):
				}
			}
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-m.kick:
		case <-tick.C:
		}
	}
}

// short returns a shape whose pool (with creates under way) is below its target.
func (m *Manager) short() (Shape, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	shapes := make([]Shape, 0, len(m.cfg.Pool))
	for s := range m.cfg.Pool {
		shapes = append(shapes, s)
	}
	sort.Slice(shapes, func(i, j int) bool { return shapes[i].String() < shapes[j].String() })
	for _, s := range shapes {
		if len(m.pool[s])+m.creating[s] < m.cfg.Pool[s] {
			return s, true
		}
	}
	return Shape{}, false
}

// Touch records that a session was used now (terminal input or output, an action of its owner);
// a paused session starts waking up. The caller has checked that the session is the client's.
func (m *Manager) Touch(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seen[id] = m.now()
	if !m.paused[id] {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := m.store.Get(ctx, id)
	if err != nil || s.State != StatePaused {
		return
	}
	s.State = StateResuming
	if err := m.store.Put(ctx, s); err == nil {
		m.startWake(s.ID, s.ClusterID)
	}
}

// startWake resumes a session's cluster in the background (once at a time per session).
func (m *Manager) startWake(sessionID, clusterID string) chan struct{} {
	if ch, ok := m.waking[sessionID]; ok {
		return ch
	}
	ch := make(chan struct{})
	m.waking[sessionID] = ch
	pausing := m.pausing[sessionID]
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		if pausing != nil {
			<-pausing // a pause under way finishes first
		}
		start := m.now()
		err := m.prov.Resume(ctx, clusterID)
		fromPool := false
		var created time.Time
		var shape Shape
		m.update(ctx, sessionID, func(s *Session) {
			fromPool = len(s.Progress) > 0 && s.Progress[0].Name == "pool" && len(s.Progress) == 1
			created, shape = s.Created, s.Shape
			switch {
			case err != nil && fromPool:
				// A broken cluster from the pool: make a fresh one instead (progress shown as usual).
				s.State, s.ClusterID = StateCreating, "c"+s.ID[1:]
				s.Progress = append(s.Progress, provisioner.Stage{Name: "pool", Message: "the cluster made ahead did not resume; making a new one", At: m.now()})
			case err != nil:
				s.State, s.Error = StateFailed, "resume: "+err.Error()
			default:
				s.State = StateReady
				s.Progress = append(s.Progress, provisioner.Stage{Name: "ready", Message: "resumed", At: m.now()})
			}
		})
		if err != nil {
			// A cluster that does not resume is of no use to anyone: remove it now rather than at
			// the session's end.
			if derr := m.prov.Delete(ctx, clusterID); derr != nil {
				m.log.Error("removing a cluster that did not resume", "cluster", clusterID, "err", derr)
			}
			if fromPool {
				go m.build(sessionID, "c"+sessionID[1:], shape)
			}
		}
		if err == nil && fromPool && m.cfg.OnReady != nil {
			m.cfg.OnReady(m.now().Sub(created), true)
		}
		if err != nil {
			m.log.Error("resume failed", "session", sessionID, "cluster", clusterID, "err", err)
		} else {
			m.log.Info("session resumed", "session", sessionID, "took", m.now().Sub(start).Round(time.Millisecond))
		}
		m.mu.Lock()
		delete(m.waking, sessionID)
		delete(m.paused, sessionID)
		m.mu.Unlock()
		close(ch)
	}()
	return ch
}

// Poke returns owner's session; a paused session starts resuming in the background (its state says
// resuming until it is ready). Looking at a session is not using it: Poke does not keep a session
// from being paused for idleness (Touch does).
func (m *Manager) Poke(ctx context.Context, owner, id string) (*Session, error) {
	s, _, err := m.poke(ctx, owner, id)
	return s, err
}

func (m *Manager) poke(ctx context.Context, owner, id string) (*Session, chan struct{}, error) {
	if _, err := m.Get(ctx, owner, id); err != nil {
		return nil, nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, err := m.store.Get(ctx, id) // again, under the lock: an Extend or a pause may have come between
	if err != nil {
		return nil, nil, err
	}
	if s.State == StatePaused {
		m.seen[id] = m.now() // the student is back
		s.State = StateResuming
		if err := m.store.Put(ctx, s); err != nil {
			return nil, nil, err
		}
	}
	if s.State != StateResuming {
		return s, nil, nil
	}
	return s, m.startWake(s.ID, s.ClusterID), nil
}

// Wake is Poke that waits until a paused session's cluster is usable again (or ctx ends).
func (m *Manager) Wake(ctx context.Context, owner, id string) (*Session, error) {
	s, ch, err := m.poke(ctx, owner, id)
	if err != nil || ch == nil {
		return s, err
	}
	select {
	case <-ch:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return m.Get(ctx, owner, id)
}

// PauseIdle pauses the clusters of ready sessions nobody has used for IdleAfter (no terminal input
// or output, no action of the student); it returns how many it paused.
func (m *Manager) PauseIdle(ctx context.Context) (int, error) {
	if m.cfg.IdleAfter < 0 {
		return 0, nil
	}
	all, err := m.store.List(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range all {
		if s.State != StateReady || !m.now().Before(s.Expires) {
			continue
		}
		if ok, err := m.pauseIfIdle(ctx, s.ID, false); err != nil {
			m.log.Error("pausing an idle session", "session", s.ID, "err", err)
		} else if ok {
			n++
		}
	}
	return n, nil
}

// pauseIfIdle pauses one session. The state turns paused under the manager's lock, so a student
// coming back at that moment (Poke, Wake, Touch) finds a paused session and its resume waits for
// the pause to finish; the engine is not called under the lock.
func (m *Manager) pauseIfIdle(ctx context.Context, id string, now bool) (bool, error) {
	m.mu.Lock()
	s, err := m.store.Get(ctx, id)
	if err != nil || s.State != StateReady {
		m.mu.Unlock()
		return false, nil
	}
	last, ok := m.seen[id]
	if !ok && !now {
		m.seen[id] = m.now() // unknown (e.g. just adopted): count from now
		m.mu.Unlock()
		return false, nil
	}
	if !now && m.now().Sub(last) < m.cfg.IdleAfter {
		m.mu.Unlock()
		return false, nil
	}
	s.State = StatePaused
	if err := m.store.Put(ctx, s); err != nil {
		m.mu.Unlock()
		return false, err
	}
	done := make(chan struct{})
	m.pausing[id], m.paused[id] = done, true
	m.mu.Unlock()

	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	perr := m.prov.Pause(pctx, s.ClusterID)
	cancel()
	m.mu.Lock()
	delete(m.pausing, id)
	close(done)
	m.mu.Unlock()
	if perr == nil {
		m.log.Info("idle session paused", "session", id, "idle", m.now().Sub(last).Round(time.Second))
		return true, nil
	}
	// A half-paused cluster is no use: thaw it and leave the session ready.
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if rerr := m.prov.Resume(rctx, s.ClusterID); rerr != nil {
		m.log.Error("thawing after a failed pause", "session", id, "err", rerr)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.paused, id)
	if cur, err := m.store.Get(ctx, id); err == nil && cur.State == StatePaused {
		cur.State = StateReady
		_ = m.store.Put(ctx, cur)
	}
	return false, perr
}

// Mine lists owner's live sessions, newest first.
func (m *Manager) Mine(ctx context.Context, owner string) ([]*Session, error) {
	all, err := m.store.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []*Session
	for _, s := range all {
		if s.Owner == owner && m.now().Before(s.Expires) {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out, nil
}

// MaxExpires is the latest a session may be extended to.
func (m *Manager) MaxExpires(s *Session) time.Time { return s.Created.Add(m.cfg.MaxLength) }

// Live counts the sessions holding (or making) a cluster, by state.
func (m *Manager) Live(ctx context.Context) (map[State]int, error) {
	live, err := m.live(ctx)
	if err != nil {
		return nil, err
	}
	out := map[State]int{}
	for _, s := range live {
		out[s.State]++
	}
	return out, nil
}

// Run ends expired sessions and pauses idle ones every interval until ctx ends.
func (m *Manager) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := m.Reap(ctx); err != nil && ctx.Err() == nil {
			m.log.Error("reap", "err", err)
		}
		if _, err := m.PauseIdle(ctx); err != nil && ctx.Err() == nil {
			m.log.Error("pause idle sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
