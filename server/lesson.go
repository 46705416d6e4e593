package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/i18n"
	"github.com/kubeplay/kubeplay/labs"
	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/sessions"
)

// Lessons serves the guided lesson beside a session's terminals.
type Lessons struct {
	Labs     *labs.Catalog
	Progress labs.ProgressStore
	Runner   labs.Runner

	mu       sync.Mutex
	checking map[string]*sync.Mutex // one check at a time per session
}

var (
	errNoLesson = errors.New("the session has no lesson")
	errNoStep   = errors.New("no such step")
	// errCheckNotRun: the check could not be started on the node (it is down, or the engine failed).
	errCheckNotRun = errors.New("the check could not run")
)

type pageView struct {
	Title string `json:"title"`
	HTML  string `json:"html"`
}

type stepView struct {
	Index    int        `json:"index"`
	Title    string     `json:"title"`
	HTML     string     `json:"html"`
	Hint     string     `json:"hint"`
	Solution string     `json:"solution"`
	Check    bool       `json:"check"`
	Status   statusView `json:"status"`
}

type statusView struct {
	State     string     `json:"state"` // none, passed, failed (a timed-out or flooding check is failed with its message)
	Message   string     `json:"message"`
	CheckedAt *time.Time `json:"checkedAt,omitempty"`
	Done      bool       `json:"done"`
}

type lessonView struct {
	Lab     string     `json:"lab"`
	Title   string     `json:"title"`
	Intro   pageView   `json:"intro"`
	Steps   []stepView `json:"steps"`
	Finish  pageView   `json:"finish"`
	Current int        `json:"current"`
}

// lessonOf finds the session's lab and cluster.
func (p *Playground) lessonOf(w http.ResponseWriter, r *http.Request) (*sessions.Session, *labs.Lab, bool) {
	s, ok := p.session(w, r)
	if !ok {
		return nil, nil, false
	}
	if p.Lessons == nil || p.Lessons.Labs == nil {
		p.apiError(w, r, errNoLesson)
		return nil, nil, false
	}
	l, ok := p.Lessons.Labs.Lab(s.Lab)
	if !ok {
		p.apiError(w, r, errNoLesson)
		return nil, nil, false
	}
	return s, l, true
}

var nodeAttrRE = regexp.MustCompile(`data-kp-node="([^"]*)"`)

// html renders a page for the session: marker node names become the session's node names (the keys
// the page's terminals go by).
func (p *Playground) html(l *labs.Lab, c *provisioner.Cluster, page int, kind string, lang i18n.Lang) string {
	h, err := p.Lessons.Labs.HTML(l, page, kind, string(lang))
	if err != nil {
		p.Log.Error("render lab page", "lab", l.ID, "page", page, "err", err)
		return ""
	}
	if c == nil {
		return h
	}
	return nodeAttrRE.ReplaceAllStringFunc(h, func(m string) string {
		name := nodeAttrRE.FindStringSubmatch(m)[1]
		if n := l.Node(c, name); n != nil {
			return `data-kp-node="` + n.Name() + `"`
		}
		return m
	})
}

func (p *Playground) lesson(w http.ResponseWriter, r *http.Request) {
	s, l, ok := p.lessonOf(w, r)
	if !ok {
		return
	}
	lang := i18n.FromRequest(r)
	var c *provisioner.Cluster
	if s.State == sessions.StateReady {
		c, _ = p.Prov.Get(r.Context(), s.ClusterID)
	}
	prog, err := p.Lessons.Progress.Progress(r.Context(), s.ID)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	v := lessonView{Lab: l.ID, Title: l.Title.In(string(lang)), Current: l.Current(prog),
		Intro:  pageView{Title: l.Intro.Title.In(string(lang)), HTML: p.html(l, c, 0, "text", lang)},
		Finish: pageView{Title: l.Finish.Title.In(string(lang)), HTML: p.html(l, c, len(l.Steps)+1, "text", lang)}}
	for i, st := range l.Steps {
		n := i + 1
		v.Steps = append(v.Steps, stepView{Index: n, Title: st.Title.In(string(lang)), HTML: p.html(l, c, n, "text", lang),
			Hint: p.html(l, c, n, "hint", lang), Solution: p.html(l, c, n, "solution", lang), Check: st.Verify != "",
			Status: p.statusView(lang, prog[n])})
	}
	writeJSON(w, http.StatusOK, v)
}

// statusView shows a stored check result; outcomes the engine decided (a timeout, a flood) are
// said in the student's language now.
func (p *Playground) statusView(lang i18n.Lang, st labs.StepStatus) statusView {
	if st.State == "" {
		return statusView{State: "none"}
	}
	at := st.At
	v := statusView{State: labs.Failed, Message: st.Message, CheckedAt: &at, Done: st.Done}
	switch st.State {
	case labs.Passed:
		v.State = labs.Passed
		if v.Message == "" {
			v.Message = i18n.T(lang, "lesson.check.passed")
		}
	case labs.TimedOut:
		v.Message = i18n.T(lang, "lesson.check.timeout", int(p.Lessons.timeout().Seconds()))
	case labs.TooMuch:
		v.Message = i18n.T(lang, "lesson.check.toomuch", labs.MaxCheckOutput>>10)
	default:
		if v.Message == "" {
			v.Message = i18n.T(lang, "lesson.check.failed")
		}
	}
	return v
}

func (ls *Lessons) timeout() time.Duration {
	if ls.Runner.Timeout > 0 {
		return ls.Runner.Timeout
	}
	return labs.DefaultCheckTimeout
}

func stepNumber(r *http.Request, l *labs.Lab, max int) (int, error) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n > max {
		return 0, fmt.Errorf("%w: step %q of lab %s", errNoStep, r.PathValue("n"), l.ID)
	}
	return n, nil
}

func (p *Playground) check(w http.ResponseWriter, r *http.Request) {
	s, l, ok := p.lessonOf(w, r)
	if !ok {
		return
	}
	n, err := stepNumber(r, l, len(l.Steps))
	if err == nil && (n == 0 || l.Steps[n-1].Verify == "") {
		err = fmt.Errorf("%w: step %d of lab %s has no check", errNoStep, n, l.ID)
	}
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	c, _, ok := p.readyCluster(w, r, s.ID)
	if !ok {
		return
	}
	cp, err := labs.ControlPlane(c)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	lang := i18n.FromRequest(r)
	lock := p.Lessons.lock(s.ID)
	lock.Lock()
	res := p.Lessons.Runner.Check(r.Context(), cp, l.Steps[n-1].Verify, string(lang))
	lock.Unlock()
	if p.Metrics != nil {
		p.Metrics.Checks.WithLabelValues(res.State).Inc()
		p.Metrics.CheckSeconds.Observe(res.Duration.Seconds())
	}
	if res.State == labs.NotRun {
		p.Log.Warn("check could not run", "session", s.ID, "lab", l.ID, "step", n, "err", res.Err)
		err := res.Err
		if !errors.Is(err, provisioner.ErrPaused) && !errors.Is(err, provisioner.ErrEngineDown) {
			err = fmt.Errorf("%w: %v", errCheckNotRun, err)
		}
		p.apiError(w, r, err)
		return
	}
	st := labs.StepStatus{Step: n, State: res.State, Message: res.Message, Lang: string(lang), At: time.Now()}
	if err := p.Lessons.Progress.SaveCheck(r.Context(), s.ID, st); err != nil {
		p.apiError(w, r, err)
		return
	}
	if p.Classes != nil {
		p.Classes.Manager.Checked(r.Context(), s.ID)
	}
	prog, err := p.Lessons.Progress.Progress(r.Context(), s.ID)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	p.Log.Info("check", "session", s.ID, "lab", l.ID, "step", n, "state", res.State, "took", res.Duration.Round(time.Millisecond))
	v := p.statusView(lang, prog[n])
	writeJSON(w, http.StatusOK, struct {
		statusView
		Current int `json:"current"`
	}{v, l.Current(prog)})
}

func (ls *Lessons) lock(session string) *sync.Mutex {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.checking == nil {
		ls.checking = map[string]*sync.Mutex{}
	}
	m, ok := ls.checking[session]
	if !ok {
		m = &sync.Mutex{}
		ls.checking[session] = m
	}
	return m
}

// Forget drops a session's lesson state (wired to the session's end).
func (ls *Lessons) Forget(ctx context.Context, session string) error {
	ls.mu.Lock()
	delete(ls.checking, session)
	ls.mu.Unlock()
	return ls.Progress.Forget(ctx, session)
}

// enter runs a page's set-up the first time the session opens it.
func (p *Playground) enter(w http.ResponseWriter, r *http.Request) {
	s, l, ok := p.lessonOf(w, r)
	if !ok {
		return
	}
	n, err := stepNumber(r, l, len(l.Steps)+1)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	c, _, ok := p.readyCluster(w, r, s.ID)
	if !ok {
		return
	}
	if n == 0 {
		if first, err := p.Lessons.Progress.Enter(r.Context(), s.ID, -1); err != nil {
			p.apiError(w, r, err)
			return
		} else if first {
			if err := l.Setup(r.Context(), c); err != nil {
				p.apiError(w, r, err)
				return
			}
		}
	}
	first, err := p.Lessons.Progress.Enter(r.Context(), s.ID, n)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	fg := ""
	if first {
		if fg, err = l.Enter(r.Context(), c, n, string(i18n.FromRequest(r))); err != nil {
			p.apiError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"foreground": fg})
}
