package store

import (
	"context"
	classstoretest "github.com/kubeplay/kubeplay/classroom/storetest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/labs"
	"github.com/kubeplay/kubeplay/labs/progresstest"
	"github.com/kubeplay/kubeplay/sessions"
	"github.com/kubeplay/kubeplay/sessions/storetest"
)

func open(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSessionStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) sessions.Store {
		return open(t, filepath.Join(t.TempDir(), "state.db")).Sessions()
	})
}

func TestSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "state.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Sessions().Put(ctx, storetest.Sample("s1")); err != nil {
		t.Fatal(err)
	}
	db.Close()
	again := open(t, path) // migrations run again: a no-op
	got, err := again.Sessions().Get(ctx, "s1")
	if err != nil || got.Owner != "client-s1" || got.Progress[0].Message != "노드를 준비하는 중" {
		t.Fatalf("after reopen: %+v %v", got, err)
	}
}

func TestRefusesNewerSchemaAndGarbage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "state.db")
	db := open(t, path)
	if _, err := db.db.ExecContext(ctx, `UPDATE schema_version SET version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("a newer schema: %v", err)
	}
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, junk); err == nil || !strings.Contains(err.Error(), junk) {
		t.Errorf("a file that is not a database: %v", err)
	}
}

func TestProgressStoreContract(t *testing.T) {
	progresstest.Run(t, func(t *testing.T) labs.ProgressStore {
		return open(t, filepath.Join(t.TempDir(), "state.db")).Progress()
	})
}

func TestClassStoreContract(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "state.db"))
	classstoretest.Run(t, db.Classes())
}
