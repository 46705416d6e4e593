// Package storetest is the contract every sessions.Store meets; the in-memory store and the SQLite
// store both run it, so they cannot drift apart.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/sessions"
)

// Sample returns a session with every field set.
func Sample(id string) *sessions.Session {
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 123456789, time.UTC)
	return &sessions.Session{
		ID: id, Owner: "client-" + id, Lab: "pods", Lang: "ko",
		Shape:     sessions.Shape{Mode: provisioner.ModeKind, Workers: 2},
		ClusterID: "c" + id, State: sessions.StateReady, Error: "",
		Created: t0, Expires: t0.Add(time.Hour),
		Progress: []provisioner.Stage{{Name: "nodes", Message: "노드를 준비하는 중", At: t0.Add(time.Second)}, {Name: "ready", At: t0.Add(40 * time.Second)}},
		Labels:   map[string]string{"class": "k8s-101"},
	}
}

// Run runs the contract on stores made by open.
func Run(t *testing.T, open func(t *testing.T) sessions.Store) {
	ctx := context.Background()
	t.Run("round trip", func(t *testing.T) {
		st := open(t)
		want := Sample("s1")
		if err := st.Put(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, err := st.Get(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if !equal(got, want) {
			t.Errorf("got  %+v\nwant %+v", got, want)
		}
		// The caller's copy is its own.
		got.Progress[0].Name, got.Labels["class"] = "changed", "changed"
		again, _ := st.Get(ctx, "s1")
		if again.Progress[0].Name != "nodes" || again.Labels["class"] != "k8s-101" {
			t.Error("changing a returned session changed the stored one")
		}
	})
	t.Run("unknown", func(t *testing.T) {
		st := open(t)
		if _, err := st.Get(ctx, "nothere"); !errors.Is(err, sessions.ErrNotFound) {
			t.Errorf("want ErrNotFound, got %v", err)
		}
		if err := st.Delete(ctx, "nothere"); err != nil {
			t.Errorf("deleting an unknown session: %v", err)
		}
	})
	t.Run("overwrite, list, delete", func(t *testing.T) {
		st := open(t)
		for _, id := range []string{"a", "b", "c"} {
			if err := st.Put(ctx, Sample(id)); err != nil {
				t.Fatal(err)
			}
		}
		b := Sample("b")
		b.State, b.Error, b.Expires = sessions.StateFailed, "boom", b.Expires.Add(time.Hour)
		if err := st.Put(ctx, b); err != nil {
			t.Fatal(err)
		}
		if err := st.Delete(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		list, err := st.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]*sessions.Session{}
		for _, s := range list {
			ids[s.ID] = s
		}
		if len(list) != 2 || ids["b"] == nil || ids["c"] == nil {
			t.Fatalf("list: %v", ids)
		}
		if !equal(ids["b"], b) {
			t.Errorf("overwritten: %+v", ids["b"])
		}
	})
	t.Run("concurrent writers", func(t *testing.T) {
		st := open(t)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- st.Put(ctx, Sample(fmt.Sprintf("w%02d", i)))
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if list, _ := st.List(ctx); len(list) != 40 {
			t.Errorf("%d sessions after 40 concurrent puts", len(list))
		}
	})
}

func equal(a, b *sessions.Session) bool {
	x, y := *a, *b
	if !x.Created.Equal(y.Created) || !x.Expires.Equal(y.Expires) || len(x.Progress) != len(y.Progress) {
		return false
	}
	for i := range x.Progress {
		if !x.Progress[i].At.Equal(y.Progress[i].At) || x.Progress[i].Name != y.Progress[i].Name || x.Progress[i].Message != y.Progress[i].Message {
			return false
		}
	}
	x.Created, x.Expires, x.Progress = y.Created, y.Expires, y.Progress
	return reflect.DeepEqual(x, y)
}
