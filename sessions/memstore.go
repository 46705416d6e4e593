package sessions

import (
	"context"
	"sort"
	"sync"
)

// MemStore keeps sessions in memory (tests, and a server run without a data directory).
type MemStore struct {
	mu sync.Mutex
	m  map[string]Session
}

// NewMemStore returns an empty store.
func NewMemStore() *MemStore { return &MemStore{m: map[string]Session{}} }

func (s *MemStore) Put(ctx context.Context, x *Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[x.ID] = clone(x)
	return nil
}

// clone copies a session deeply enough that neither side sees the other's changes.
func clone(x *Session) Session {
	c := *x
	c.Progress = append(c.Progress[:0:0], x.Progress...)
	if x.Labels != nil {
		c.Labels = make(map[string]string, len(x.Labels))
		for k, v := range x.Labels {
			c.Labels[k] = v
		}
	}
	return c
}

func (s *MemStore) Get(ctx context.Context, id string) (*Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := s.m[id]
	if !ok {
		return nil, ErrNotFound
	}
	c := clone(&x)
	return &c, nil
}

func (s *MemStore) List(ctx context.Context) ([]*Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Session, 0, len(s.m))
	for _, x := range s.m {
		c := clone(&x)
		out = append(out, &c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, nil
}

func (s *MemStore) Delete(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}
