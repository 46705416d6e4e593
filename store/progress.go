package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kubeplay/kubeplay/labs"
)

// Progress is the labs.ProgressStore on this database.
func (s *DB) Progress() labs.ProgressStore { return progressStore{s} }

type progressStore struct{ db *DB }

func (p progressStore) SaveCheck(ctx context.Context, session string, st labs.StepStatus) error {
	var passedAt any
	if st.State == labs.Passed || st.Done {
		passedAt = st.At.UnixMilli()
	}
	_, err := p.db.db.ExecContext(ctx, `INSERT INTO progress (session_id, step, state, message, lang, checked_at, passed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(session_id, step) DO UPDATE SET state = excluded.state, message = excluded.message, lang = excluded.lang,
			checked_at = excluded.checked_at, passed_at = COALESCE(progress.passed_at, excluded.passed_at)`,
		session, st.Step, st.State, st.Message, st.Lang, st.At.UnixMilli(), passedAt)
	if err != nil {
		return fmt.Errorf("store check of session %s step %d: %w", session, st.Step, err)
	}
	return nil
}

func (p progressStore) Progress(ctx context.Context, session string) (map[int]labs.StepStatus, error) {
	rows, err := p.db.db.QueryContext(ctx, `SELECT step, state, message, lang, checked_at, passed_at FROM progress WHERE session_id = ?`, session)
	if err != nil {
		return nil, fmt.Errorf("read progress of session %s: %w", session, err)
	}
	defer rows.Close()
	out := map[int]labs.StepStatus{}
	for rows.Next() {
		var st labs.StepStatus
		var at int64
		var passed sql.NullInt64
		if err := rows.Scan(&st.Step, &st.State, &st.Message, &st.Lang, &at, &passed); err != nil {
			return nil, err
		}
		st.At, st.Done = time.UnixMilli(at), passed.Valid
		out[st.Step] = st
	}
	return out, rows.Err()
}

func (p progressStore) Enter(ctx context.Context, session string, page int) (bool, error) {
	res, err := p.db.db.ExecContext(ctx, `INSERT INTO pages_entered (session_id, page, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		session, page, time.Now().UnixMilli())
	if err != nil {
		return false, fmt.Errorf("record page %d of session %s: %w", page, session, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (p progressStore) Forget(ctx context.Context, session string) error {
	return p.db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM progress WHERE session_id = ?`, session); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM pages_entered WHERE session_id = ?`, session)
		return err
	})
}
