package classroom

import (
	"context"
	"errors"

	"github.com/kubeplay/kubeplay/sessions"
)

// The instructor shows the class one of their own terminals: every seat's student can watch it,
// read-only. The class keeps which one (a session and a node) so that a restart of the server
// does not stop it; the server checks that the session is the instructor's and serves the stream.

// StartBroadcast shows the class b, in place of what it was shown before.
func (m *Manager) StartBroadcast(ctx context.Context, class string, b Broadcast) (*Class, error) {
	c, err := m.store.GetClass(ctx, class)
	if err != nil {
		return nil, err
	}
	if !m.now().Before(c.Expires) {
		return nil, ErrEnded
	}
	if c.Broadcast == b {
		return c, nil
	}
	if err := m.store.SetBroadcast(ctx, class, b); err != nil {
		return nil, err
	}
	c.Broadcast = b
	m.log.Info("class shown a terminal", "class", class, "session", b.Session, "node", b.Node)
	m.publish(Event{Class: class, Kind: "broadcast"})
	return c, nil
}

// StopBroadcast shows the class nothing any more.
func (m *Manager) StopBroadcast(ctx context.Context, class string) error {
	c, err := m.store.GetClass(ctx, class)
	if err != nil {
		return err
	}
	if !c.Broadcast.On() {
		return nil
	}
	return m.stopBroadcast(ctx, c)
}

func (m *Manager) stopBroadcast(ctx context.Context, c *Class) error {
	if err := m.store.SetBroadcast(ctx, c.ID, Broadcast{}); err != nil {
		return err
	}
	m.log.Info("class no longer shown a terminal", "class", c.ID, "session", c.Broadcast.Session)
	m.publish(Event{Class: c.ID, Kind: "broadcast"})
	return nil
}

// SessionEnded stops the broadcasts of a session that ended (wired to the session manager's
// OnEnd). It takes no lock of the manager's: a seat's reset ends a session with m.mu held.
func (m *Manager) SessionEnded(ctx context.Context, sessionID string) {
	cs, err := m.store.ListClasses(ctx)
	if err != nil {
		m.log.Error("classes shown an ended session", "session", sessionID, "err", err)
		return
	}
	for _, c := range cs {
		if c.Broadcast.Session != sessionID {
			continue
		}
		if err := m.stopBroadcast(ctx, c); err != nil && !errors.Is(err, ErrNotFound) {
			m.log.Error("stopping the broadcast of an ended session", "class", c.ID, "session", sessionID, "err", err)
		}
	}
}

// BroadcastTo is what the student of the seat whose session is sessionID is shown, and the
// class; ErrNoBroadcast when that session is no seat of a class, or its class shows nothing.
func (m *Manager) BroadcastTo(ctx context.Context, sessionID string) (*Class, Broadcast, error) {
	c, _, err := m.SeatOf(ctx, sessionID)
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrNoSeat), errors.Is(err, sessions.ErrNotFound):
		return nil, Broadcast{}, ErrNoBroadcast
	case err != nil:
		return nil, Broadcast{}, err
	case !c.Broadcast.On() || !m.now().Before(c.Expires):
		return nil, Broadcast{}, ErrNoBroadcast
	}
	return c, c.Broadcast, nil
}
