package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kubeplay/kubeplay/classroom"
)

// Classes is the classroom.Store on this database.
func (s *DB) Classes() classroom.Store { return classStore{s} }

type classStore struct{ db *DB }

// PutClass stores the class's record; its broadcast columns keep what SetBroadcast put there.
func (st classStore) PutClass(ctx context.Context, c *classroom.Class) error {
	rec := *c
	rec.Broadcast = classroom.Broadcast{}
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = st.db.db.ExecContext(ctx, `INSERT INTO classes (id, code, data) VALUES (?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET code = excluded.code, data = excluded.data`, c.ID, c.Code, string(data))
	if err != nil {
		return fmt.Errorf("store class %s: %w", c.ID, err)
	}
	return nil
}

func (st classStore) SetBroadcast(ctx context.Context, id string, b classroom.Broadcast) error {
	res, err := st.db.db.ExecContext(ctx, `UPDATE classes SET broadcast_session = ?, broadcast_node = ? WHERE id = ?`, b.Session, b.Node, id)
	if err != nil {
		return fmt.Errorf("store the broadcast of class %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return classroom.ErrNotFound
	}
	return nil
}

// classColumns are what scanClass reads.
const classColumns = `data, broadcast_session, broadcast_node`

type scanner interface{ Scan(dest ...any) error }

func scanClass(row scanner) (*classroom.Class, error) {
	var data string
	var b classroom.Broadcast
	if err := row.Scan(&data, &b.Session, &b.Node); err != nil {
		return nil, err
	}
	var c classroom.Class
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return nil, err
	}
	c.Broadcast = b
	return &c, nil
}

func (st classStore) class(ctx context.Context, query string, arg string) (*classroom.Class, error) {
	c, err := scanClass(st.db.db.QueryRowContext(ctx, query, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, classroom.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read class %s: %w", arg, err)
	}
	return c, nil
}

func (st classStore) GetClass(ctx context.Context, id string) (*classroom.Class, error) {
	return st.class(ctx, `SELECT `+classColumns+` FROM classes WHERE id = ?`, id)
}

func (st classStore) ClassByCode(ctx context.Context, code string) (*classroom.Class, error) {
	return st.class(ctx, `SELECT `+classColumns+` FROM classes WHERE code = ?`, code)
}

func (st classStore) ListClasses(ctx context.Context) ([]*classroom.Class, error) {
	rows, err := st.db.db.QueryContext(ctx, `SELECT `+classColumns+` FROM classes ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list classes: %w", err)
	}
	defer rows.Close()
	var out []*classroom.Class
	for rows.Next() {
		c, err := scanClass(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (st classStore) DeleteClass(ctx context.Context, id string) error {
	if _, err := st.db.db.ExecContext(ctx, `DELETE FROM classes WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete class %s: %w", id, err)
	}
	return nil
}

func (st classStore) PutSeat(ctx context.Context, s *classroom.Seat) error {
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = st.db.db.ExecContext(ctx, `INSERT INTO seats (class_id, n, data) VALUES (?, ?, ?)
		ON CONFLICT(class_id, n) DO UPDATE SET data = excluded.data`, s.Class, s.N, string(data))
	if err != nil {
		return fmt.Errorf("store seat %d of class %s: %w", s.N, s.Class, err)
	}
	return nil
}

func (st classStore) Seats(ctx context.Context, class string) ([]*classroom.Seat, error) {
	rows, err := st.db.db.QueryContext(ctx, `SELECT data FROM seats WHERE class_id = ? ORDER BY n`, class)
	if err != nil {
		return nil, fmt.Errorf("seats of class %s: %w", class, err)
	}
	defer rows.Close()
	var out []*classroom.Seat
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var s classroom.Seat
		if err := json.Unmarshal([]byte(data), &s); err != nil {
			return nil, err
		}
		out = append(out, &s)
	}
	return out, rows.Err()
}
