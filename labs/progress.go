package labs

import (
	"context"
	"sync"
	"time"
)

// StepStatus is the stored outcome of a step's checks in one session.
type StepStatus struct {
	Step    int       `json:"step"`
	State   string    `json:"state"`   // the last check: Passed, Failed, TimedOut, TooMuch
	Message string    `json:"message"` // what the last check said
	Lang    string    `json:"lang"`    // the language it said it in
	At      time.Time `json:"checkedAt"`
	Done    bool      `json:"done"` // a check of this step has passed once: the step is done for good
}

// ProgressStore keeps check results and the pages a session entered, across reloads and restarts.
type ProgressStore interface {
	SaveCheck(ctx context.Context, session string, st StepStatus) error
	Progress(ctx context.Context, session string) (map[int]StepStatus, error)
	// Enter records that a session entered a page; first is true only the first time.
	Enter(ctx context.Context, session string, page int) (first bool, err error)
	Forget(ctx context.Context, session string) error
}

// Current is the first step not done (len(l.Steps)+1 when all are). Steps without a check are done
// when the student moves past them, which the page tells by entering the next page.
func (l *Lab) Current(p map[int]StepStatus) int {
	for i, s := range l.Steps {
		if s.Verify != "" && !p[i+1].Done {
			return i + 1
		}
	}
	return len(l.Steps) + 1
}

// MemProgress is a ProgressStore in memory (tests, and a server without a data directory).
type MemProgress struct {
	mu      sync.Mutex
	checks  map[string]map[int]StepStatus
	entered map[string]map[int]bool
}

func (m *MemProgress) SaveCheck(_ context.Context, session string, st StepStatus) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.checks == nil {
		m.checks = map[string]map[int]StepStatus{}
	}
	if m.checks[session] == nil {
		m.checks[session] = map[int]StepStatus{}
	}
	st.Done = st.Done || st.State == Passed || m.checks[session][st.Step].Done
	m.checks[session][st.Step] = st
	return nil
}

func (m *MemProgress) Progress(_ context.Context, session string) (map[int]StepStatus, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[int]StepStatus{}
	for k, v := range m.checks[session] {
		out[k] = v
	}
	return out, nil
}

func (m *MemProgress) Enter(_ context.Context, session string, page int) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entered == nil {
		m.entered = map[string]map[int]bool{}
	}
	if m.entered[session] == nil {
		m.entered[session] = map[int]bool{}
	}
	first := !m.entered[session][page]
	m.entered[session][page] = true
	return first, nil
}

func (m *MemProgress) Forget(_ context.Context, session string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.checks, session)
	delete(m.entered, session)
	return nil
}
