package classroom

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/kubeplay/kubeplay/labs"
	"github.com/kubeplay/kubeplay/sessions"
)

// SeatView is a seat as the instructor's grid shows it.
type SeatView struct {
	N        int                     `json:"n"`
	Name     string                  `json:"name"`
	Taken    bool                    `json:"taken"`
	Joined   time.Time               `json:"joined,omitempty"`
	Session  string                  `json:"session,omitempty"`
	State    string                  `json:"state"` // none, creating, ready, paused, resuming, failed
	Failures int                     `json:"failures,omitempty"`
	Steps    map[int]labs.StepStatus `json:"steps"`
	// LastActivity is the last check or the join, whichever is later (the grid marks students
	// whose last activity is long ago as stuck).
	LastActivity time.Time `json:"lastActivity,omitempty"`
}

// Grid returns a class and its seats with each seat's progress.
func (m *Manager) Grid(ctx context.Context, class string) (*Class, []SeatView, error) {
	c, err := m.store.GetClass(ctx, class)
	if err != nil {
		return nil, nil, err
	}
	seats, err := m.store.Seats(ctx, class)
	if err != nil {
		return nil, nil, err
	}
	out := make([]SeatView, 0, len(seats))
	for _, s := range seats {
		v := SeatView{N: s.N, Name: s.Name, Taken: s.Owner != "", Joined: s.Joined, Session: s.Session, State: "none",
			Failures: s.Failures, Steps: map[int]labs.StepStatus{}, LastActivity: s.Joined}
		if s.Failures >= maxFailures && s.Session == "" {
			v.State = string(sessions.StateFailed)
		}
		if s.Session != "" {
			if ss, err := m.sess.Lookup(ctx, s.Session); err == nil {
				v.State = string(ss.State)
			} else if !errors.Is(err, sessions.ErrNotFound) {
				return nil, nil, err
			}
			if m.progress != nil {
				st, err := m.progress.Progress(ctx, s.Session)
				if err != nil {
					return nil, nil, err
				}
				for k, x := range st {
					x.Message = "" // the grid needs states, not the checks' output
					v.Steps[k] = x
					if x.At.After(v.LastActivity) {
						v.LastActivity = x.At
					}
				}
			}
		}
		out = append(out, v)
	}
	return c, out, nil
}

// WriteCSV writes a class's results: one row per seat, a column per step with the time it was
// done (RFC 3339, empty when not done), and how many steps are done.
func (m *Manager) WriteCSV(ctx context.Context, class string, steps int, w io.Writer) error {
	c, seats, err := m.Grid(ctx, class)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := []string{"class", "code", "lab", "seat", "name", "joined"}
	for i := 1; i <= steps; i++ {
		head = append(head, fmt.Sprintf("step%d", i))
	}
	head = append(head, "done")
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, s := range seats {
		joined := ""
		if !s.Joined.IsZero() {
			joined = s.Joined.UTC().Format(time.RFC3339)
		}
		row := []string{c.Title, c.Code, c.Lab, strconv.Itoa(s.N), csvSafe(s.Name), joined}
		done := 0
		for i := 1; i <= steps; i++ {
			cell := ""
			if st, ok := s.Steps[i]; ok && st.Done {
				cell = st.At.UTC().Format(time.RFC3339)
				done++
			}
			row = append(row, cell)
		}
		row = append(row, strconv.Itoa(done))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a student's name from being read as a formula by a spreadsheet.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}
