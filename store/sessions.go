package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kubeplay/kubeplay/sessions"
)

// Sessions is the sessions.Store on this database.
func (s *DB) Sessions() sessions.Store { return sessionStore{s} }

type sessionStore struct{ db *DB }

func (st sessionStore) Put(ctx context.Context, x *sessions.Session) error {
	data, err := json.Marshal(x)
	if err != nil {
		return err
	}
	_, err = st.db.db.ExecContext(ctx, `INSERT INTO sessions (id, owner, cluster_id, state, expires, data) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, cluster_id = excluded.cluster_id, state = excluded.state,
			expires = excluded.expires, data = excluded.data`,
		x.ID, x.Owner, x.ClusterID, string(x.State), x.Expires.Unix(), string(data))
	if err != nil {
		return fmt.Errorf("store session %s: %w", x.ID, err)
	}
	return nil
}

func (st sessionStore) Get(ctx context.Context, id string) (*sessions.Session, error) {
	var data string
	err := st.db.db.QueryRowContext(ctx, `SELECT data FROM sessions WHERE id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sessions.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read session %s: %w", id, err)
	}
	return decode(data)
}

func decode(data string) (*sessions.Session, error) {
	var x sessions.Session
	if err := json.Unmarshal([]byte(data), &x); err != nil {
		return nil, fmt.Errorf("a stored session does not decode: %w", err)
	}
	return &x, nil
}

func (st sessionStore) List(ctx context.Context) ([]*sessions.Session, error) {
	rows, err := st.db.db.QueryContext(ctx, `SELECT data FROM sessions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	var out []*sessions.Session
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		x, err := decode(data)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

func (st sessionStore) Delete(ctx context.Context, id string) error {
	if _, err := st.db.db.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete session %s: %w", id, err)
	}
	return nil
}
