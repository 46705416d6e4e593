package classroom

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/sessions"
)

// The instructor shows the class a terminal: the seats' sessions are told what, nobody else is;
// an Extend does not undo it; it stops when asked, when its session ends, and with the class.
func TestBroadcast(t *testing.T) {
	m, fs, _, _ := setup(t, Config{})
	ctx := context.Background()
	c := mustCreate(t, m, 1)
	other := mustCreate(t, m, 1)
	if _, err := m.Fill(ctx); err != nil {
		t.Fatal(err)
	}
	fs.finish(sessions.StateReady)
	if _, err := m.Fill(ctx); err != nil {
		t.Fatal(err)
	}
	_, seat, err := m.Join(ctx, c.Code, "alice", "Alice")
	if err != nil || seat.Session == "" {
		t.Fatalf("join: %+v %v", seat, err)
	}
	_, otherSeat, err := m.Join(ctx, other.Code, "bob", "Bob")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.BroadcastTo(ctx, seat.Session); !errors.Is(err, ErrNoBroadcast) {
		t.Fatalf("before any broadcast: %v", err)
	}
	events, cancel := m.Subscribe(c.ID)
	defer cancel()

	b := Broadcast{Session: "teacher1", Node: "kp-t-control-plane"}
	if _, err := m.StartBroadcast(ctx, c.ID, b); err != nil {
		t.Fatal(err)
	}
	if e := <-events; e.Kind != "broadcast" {
		t.Fatalf("event %+v", e)
	}
	if got, gb, err := m.BroadcastTo(ctx, seat.Session); err != nil || gb != b || got.ID != c.ID {
		t.Fatalf("the seat's student: %+v %+v %v", got, gb, err)
	}
	for _, id := range []string{otherSeat.Session, "teacher1", "nope"} {
		if _, _, err := m.BroadcastTo(ctx, id); !errors.Is(err, ErrNoBroadcast) {
			t.Errorf("session %s outside the class: %v", id, err)
		}
	}
	if _, err := m.Extend(ctx, c.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, gb, _ := m.BroadcastTo(ctx, seat.Session); gb != b {
		t.Fatalf("after an extension: %+v", gb)
	}

	if err := m.StopBroadcast(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.BroadcastTo(ctx, seat.Session); !errors.Is(err, ErrNoBroadcast) {
		t.Fatalf("after stop: %v", err)
	}
	if _, err := m.StartBroadcast(ctx, c.ID, b); err != nil {
		t.Fatal(err)
	}
	m.SessionEnded(ctx, "someone-else")
	if _, gb, _ := m.BroadcastTo(ctx, seat.Session); gb != b {
		t.Fatalf("another session's end stopped it: %+v", gb)
	}
	m.SessionEnded(ctx, "teacher1")
	if got, _ := m.Get(ctx, c.ID); got.Broadcast.On() {
		t.Fatalf("after its session ended: %+v", got.Broadcast)
	}
	if err := m.End(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := m.StartBroadcast(ctx, c.ID, b); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an ended class: %v", err)
	}
}
