// Package store keeps kubeplay's state in SQLite (modernc.org/sqlite: pure Go, no cgo) under the data
// directory: what the container engine cannot tell after a restart — sessions, their owners and end
// times, lesson progress. Docker labels stay the truth about the infrastructure. Each write is one transaction, so a
// crash leaves the previous record or the new one, never half of either.
//
// The package implements the storage interfaces that the domain packages define (sessions.Store);
// it imports them, they do not import it.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// DB is an open state database.
type DB struct {
	db   *sql.DB
	path string
}

// migrations, applied in order once each; never edit one that has shipped, add a new one.
var migrations = []string{
	`CREATE TABLE sessions (
		id         TEXT PRIMARY KEY,
		owner      TEXT NOT NULL,
		cluster_id TEXT NOT NULL,
		state      TEXT NOT NULL,
		expires    INTEGER NOT NULL, -- unix seconds
		data       TEXT NOT NULL     -- the whole record, JSON
	);
	CREATE INDEX sessions_owner ON sessions(owner);`,
	`CREATE TABLE progress (
		session_id TEXT NOT NULL,
		step       INTEGER NOT NULL,
		state      TEXT NOT NULL,    -- the last check's outcome
		message    TEXT NOT NULL,
		lang       TEXT NOT NULL,
		checked_at INTEGER NOT NULL, -- unix milliseconds
		passed_at  INTEGER,          -- the first passing check (the step is done)
		PRIMARY KEY (session_id, step)
	);
	CREATE TABLE pages_entered (
		session_id TEXT NOT NULL,
		page       INTEGER NOT NULL,
		at         INTEGER NOT NULL,
		PRIMARY KEY (session_id, page)
	);`,
	`CREATE TABLE classes (
		id   TEXT PRIMARY KEY,
		code TEXT NOT NULL UNIQUE,
		data TEXT NOT NULL -- the whole record, JSON
	);
	CREATE TABLE seats (
		class_id TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
		n        INTEGER NOT NULL,
		data     TEXT NOT NULL,
		PRIMARY KEY (class_id, n)
	);`,
	// The terminal an instructor shows the class, in columns of its own: it is set apart from the
	// class's record (classroom.Store.SetBroadcast), so that storing the record cannot undo it.
	`ALTER TABLE classes ADD COLUMN broadcast_session TEXT NOT NULL DEFAULT '';
	ALTER TABLE classes ADD COLUMN broadcast_node TEXT NOT NULL DEFAULT '';`,
}

// Open opens (creating if needed) the database file at path and brings its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(5000)", "journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// One connection: writes are few and small, and one writer never waits on a lock.
	db.SetMaxOpenConns(1)
	s := &DB{db: db, path: path}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("state database %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *DB) Close() error { return s.db.Close() }

// Path is the database file.
func (s *DB) Path() string { return s.path }

func (s *DB) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	switch {
	case err == sql.ErrNoRows:
		if _, err := s.db.ExecContext(ctx, `INSERT INTO schema_version VALUES (0)`); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this kubeplay knows (%d): was it made by a later version?", v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		if err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
				return fmt.Errorf("migration %d: %w", i+1, err)
			}
			_, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, i+1)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

func (s *DB) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
