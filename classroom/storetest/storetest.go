// Package storetest is the contract every classroom.Store passes.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/classroom"
	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/sessions"
)

// Run checks a store: classes by id and code, seats in order, updates, deletes, copies, the
// terminal a class is shown.
func Run(t *testing.T, s classroom.Store) {
	ctx := context.Background()
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	c := &classroom.Class{ID: "k1", Code: "ABCDEF", Title: "쿠버네티스 3주차", Lab: "pods", Lang: "ko",
		Shape: sessions.Shape{Mode: provisioner.ModeKind, Workers: 2}, Seats: 2, Created: at, Expires: at.Add(2 * time.Hour)}
	if err := s.PutClass(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.PutClass(ctx, &classroom.Class{ID: "k2", Code: "GHJKMN", Lab: "rbac", Lang: "en", Seats: 1, Created: at.Add(time.Minute), Expires: at.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetClass(ctx, "k1")
	if err != nil || got.Code != c.Code || got.Title != c.Title || got.Shape != c.Shape || !got.Created.Equal(at) || !got.Expires.Equal(c.Expires) || got.Seats != 2 {
		t.Fatalf("GetClass: %+v %v", got, err)
	}
	got.Title = "changed by the caller"
	if again, _ := s.GetClass(ctx, "k1"); again.Title != c.Title {
		t.Error("the store shares its class with the caller")
	}
	if byCode, err := s.ClassByCode(ctx, "GHJKMN"); err != nil || byCode.ID != "k2" {
		t.Fatalf("ClassByCode: %+v %v", byCode, err)
	}
	if _, err := s.ClassByCode(ctx, "ZZZZZZ"); !errors.Is(err, classroom.ErrNotFound) {
		t.Fatalf("ClassByCode of an unknown code: %v", err)
	}
	if _, err := s.GetClass(ctx, "nope"); !errors.Is(err, classroom.ErrNotFound) {
		t.Fatalf("GetClass of an unknown class: %v", err)
	}
	if list, err := s.ListClasses(ctx); err != nil || len(list) != 2 {
		t.Fatalf("ListClasses: %d %v", len(list), err)
	}
	broadcast(t, s, c)
	for _, seat := range []*classroom.Seat{{Class: "k1", N: 2}, {Class: "k1", N: 1, Session: "s1", Owner: "alice", Name: "앨리스", Joined: at.Add(time.Minute), Failures: 1}, {Class: "k2", N: 1}} {
		if err := s.PutSeat(ctx, seat); err != nil {
			t.Fatal(err)
		}
	}
	seats, err := s.Seats(ctx, "k1")
	if err != nil || len(seats) != 2 || seats[0].N != 1 || seats[1].N != 2 {
		t.Fatalf("Seats: %+v %v", seats, err)
	}
	if a := seats[0]; a.Session != "s1" || a.Owner != "alice" || a.Name != "앨리스" || !a.Joined.Equal(at.Add(time.Minute)) || a.Failures != 1 {
		t.Fatalf("seat 1: %+v", a)
	}
	seats[1].Owner = "bob"
	if err := s.PutSeat(ctx, seats[1]); err != nil {
		t.Fatal(err)
	}
	if seats, _ = s.Seats(ctx, "k1"); seats[1].Owner != "bob" || !seats[1].Joined.IsZero() {
		t.Fatalf("updated seat: %+v", seats[1])
	}
	if err := s.DeleteClass(ctx, "k1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetClass(ctx, "k1"); !errors.Is(err, classroom.ErrNotFound) {
		t.Fatalf("deleted class: %v", err)
	}
	if seats, _ := s.Seats(ctx, "k1"); len(seats) != 0 {
		t.Fatalf("seats of a deleted class: %+v", seats)
	}
	if err := s.PutClass(ctx, c); err != nil { // the same id again: nothing left of the old one
		t.Fatal(err)
	}
	if got, err := s.GetClass(ctx, "k1"); err != nil || got.Broadcast.On() {
		t.Fatalf("a class made again after its deletion: %+v %v", got, err)
	}
	if err := s.DeleteClass(ctx, "k1"); err != nil {
		t.Fatal(err)
	}
	if seats, _ := s.Seats(ctx, "k2"); len(seats) != 1 {
		t.Fatalf("another class's seats went too: %+v", seats)
	}
}

// broadcast checks the terminal a class is shown: read back by every lookup, kept by PutClass (a
// class read before it started and stored after does not undo it), cleared, per class.
func broadcast(t *testing.T, s classroom.Store, c *classroom.Class) {
	t.Helper()
	ctx := context.Background()
	b := classroom.Broadcast{Session: "s9", Node: "kp-s9-control-plane"}
	if got, _ := s.GetClass(ctx, c.ID); got.Broadcast.On() {
		t.Fatalf("a new class is shown %+v", got.Broadcast)
	}
	stale, _ := s.GetClass(ctx, c.ID)
	if err := s.SetBroadcast(ctx, c.ID, b); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetClass(ctx, c.ID); err != nil || got.Broadcast != b {
		t.Fatalf("GetClass after SetBroadcast: %+v %v", got, err)
	}
	if got, err := s.ClassByCode(ctx, c.Code); err != nil || got.Broadcast != b {
		t.Fatalf("ClassByCode after SetBroadcast: %+v %v", got, err)
	}
	list, _ := s.ListClasses(ctx)
	for _, x := range list {
		if on := x.Broadcast == b; on != (x.ID == c.ID) {
			t.Fatalf("ListClasses: class %s is shown %+v", x.ID, x.Broadcast)
		}
	}
	stale.Title = c.Title + " (extended)"
	if err := s.PutClass(ctx, stale); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetClass(ctx, c.ID); got.Broadcast != b || got.Title != stale.Title {
		t.Fatalf("PutClass of a class read before the broadcast: %+v", got)
	}
	if err := s.SetBroadcast(ctx, "nope", b); !errors.Is(err, classroom.ErrNotFound) {
		t.Fatalf("SetBroadcast of an unknown class: %v", err)
	}
	if err := s.SetBroadcast(ctx, c.ID, classroom.Broadcast{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetClass(ctx, c.ID); got.Broadcast.On() {
		t.Fatalf("a stopped broadcast: %+v", got.Broadcast)
	}
	if err := s.SetBroadcast(ctx, c.ID, b); err != nil { // on again: DeleteClass takes it along
		t.Fatal(err)
	}
	stale.Title = c.Title
	if err := s.PutClass(ctx, stale); err != nil {
		t.Fatal(err)
	}
}
