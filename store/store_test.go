package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/classroom"
	classstoretest "github.com/kubeplay/kubeplay/classroom/storetest"
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

// A class's broadcast survives a restart, and a database made before broadcasts existed (schema 3)
// is brought up to date with its classes shown nothing.
func TestClassBroadcastAcrossRestartAndMigration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := filepath.Join(dir, "v3.db")
	raw, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append([]string{`CREATE TABLE schema_version (version INTEGER NOT NULL)`, `INSERT INTO schema_version VALUES (3)`}, migrations[:3]...) {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := raw.ExecContext(ctx, `INSERT INTO classes (id, code, data) VALUES ('k1', 'ABCDEF', '{"ID":"k1","Code":"ABCDEF","Lab":"pods","Seats":2}')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db, err := Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.Classes().GetClass(ctx, "k1")
	if err != nil || c.Lab != "pods" || c.Broadcast.On() {
		t.Fatalf("a class of schema 3: %+v %v", c, err)
	}
	b := classroom.Broadcast{Session: "s1", Node: "kp-s1-control-plane"}
	if err := db.Classes().SetBroadcast(ctx, "k1", b); err != nil {
		t.Fatal(err)
	}
	db.Close()
	again := open(t, old)
	if c, err := again.Classes().GetClass(ctx, "k1"); err != nil || c.Broadcast != b {
		t.Fatalf("after a restart: %+v %v", c, err)
	}
}
