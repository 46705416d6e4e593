package classroom

import (
	"context"
	"sort"
	"sync"
)

// MemStore keeps classes in memory (tests, and a server without a database).
type MemStore struct {
	mu      sync.Mutex
	classes map[string]Class
	seats   map[string]map[int]Seat
}

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{classes: map[string]Class{}, seats: map[string]map[int]Seat{}}
}

func (s *MemStore) PutClass(_ context.Context, c *Class) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	put := *c
	put.Broadcast = s.classes[c.ID].Broadcast
	s.classes[c.ID] = put
	return nil
}

func (s *MemStore) SetBroadcast(_ context.Context, id string, b Broadcast) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.classes[id]
	if !ok {
		return ErrNotFound
	}
	c.Broadcast = b
	s.classes[id] = c
	return nil
}

func (s *MemStore) GetClass(_ context.Context, id string) (*Class, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.classes[id]
	if !ok {
		return nil, ErrNotFound
	}
	return &c, nil
}

func (s *MemStore) ClassByCode(_ context.Context, code string) (*Class, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.classes {
		if c.Code == code {
			c := c
			return &c, nil
		}
	}
	return nil, ErrNotFound
}

func (s *MemStore) ListClasses(context.Context) ([]*Class, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Class, 0, len(s.classes))
	for _, c := range s.classes {
		c := c
		out = append(out, &c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *MemStore) DeleteClass(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.classes, id)
	delete(s.seats, id)
	return nil
}

func (s *MemStore) PutSeat(_ context.Context, seat *Seat) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seats[seat.Class] == nil {
		s.seats[seat.Class] = map[int]Seat{}
	}
	s.seats[seat.Class][seat.N] = *seat
	return nil
}

func (s *MemStore) Seats(_ context.Context, class string) ([]*Seat, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Seat, 0, len(s.seats[class]))
	for _, x := range s.seats[class] {
		x := x
		out = append(out, &x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].N < out[j].N })
	return out, nil
}
