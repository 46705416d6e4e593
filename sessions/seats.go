package sessions

import (
	"context"
	"time"
)

// Sessions for classes. A class (package classroom) makes its seats' sessions ahead, owned by the
// class until a student takes the seat; the class, not the per-client and total caps, decides how
// many there are and how long they last.

// CreateSeat starts a session that lasts until expires, outside MaxPerClient and MaxTotal, with
// labels kept on the session (e.g. the class it belongs to).
func (m *Manager) CreateSeat(ctx context.Context, owner, lab, lang string, shape Shape, expires time.Time, labels map[string]string) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.create(ctx, owner, lab, lang, shape, expires, labels)
}

// Lookup returns a live session whoever owns it (for the class's instructor and its own logic).
func (m *Manager) Lookup(ctx context.Context, id string) (*Session, error) {
	s, err := m.store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !m.now().Before(s.Expires) {
		return nil, ErrNotFound
	}
	return s, nil
}

// SetOwner gives a session to another client (a student taking a class seat).
func (m *Manager) SetOwner(ctx context.Context, id, owner string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, err := m.store.Get(ctx, id)
	if err != nil {
		return err
	}
	s.Owner = owner
	return m.store.Put(ctx, s)
}

// ExtendTo sets a live session's end (a class extended or shortened), whatever MaxLength says.
func (m *Manager) ExtendTo(ctx context.Context, id string, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, err := m.store.Get(ctx, id)
	if err != nil {
		return err
	}
	if !m.now().Before(s.Expires) {
		return ErrNotFound
	}
	s.Expires = expires
	return m.store.Put(ctx, s)
}

// End ends a session whoever owns it and removes its cluster. An unknown session is not an error.
func (m *Manager) End(ctx context.Context, id string) error {
	s, err := m.store.Get(ctx, id)
	if err == ErrNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	return m.end(ctx, s)
}

// Pause pauses a ready session's cluster now (a seat nobody has taken yet: it costs no CPU until a
// student joins and the session page wakes it). It reports whether it paused.
func (m *Manager) Pause(ctx context.Context, id string) (bool, error) {
	return m.pauseIfIdle(ctx, id, true)
}
