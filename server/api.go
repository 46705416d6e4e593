package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/classroom"
	"github.com/kubeplay/kubeplay/i18n"
	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/sessions"
	"github.com/kubeplay/kubeplay/terminal"
)

// Playground serves the session API and the node terminals.
type Playground struct {
	Sessions *sessions.Manager
	Prov     provisioner.Provisioner
	Identity *Identity
	Log      *slog.Logger
	// AllowedOrigins for terminal websockets, besides the server's own.
	AllowedOrigins []string
	Catalog        Catalog
	Metrics        *Metrics // optional
	Lessons        *Lessons // optional: sessions of labs with a lesson
	Classes        *Classes // optional: classes run by an instructor

	mu      sync.Mutex
	streams map[string]*terminal.Stream // session/node -> stream

	nodeRefs sync.Map // session ID -> its cluster's []nodeRef, for the class grid
}

// apiError is the one place errors become HTTP statuses and localized text.
func (p *Playground) apiError(w http.ResponseWriter, r *http.Request, err error) {
	lang := i18n.FromRequest(r)
	status, code, msg := http.StatusInternalServerError, "internal", i18n.T(lang, "error.internal")
	var ce *sessions.CapacityError
	switch {
	case errors.As(err, &ce):
		status, code = http.StatusTooManyRequests, "capacity"
		key := "error.capacity.server"
		if ce.PerClient {
			key = "error.capacity.client"
		}
		msg = i18n.T(lang, key, ce.RetryAt.Local().Format("15:04"))
		w.Header().Set("Retry-After", fmt.Sprint(int(time.Until(ce.RetryAt).Seconds())+1))
	case errors.Is(err, sessions.ErrNotFound), errors.Is(err, provisioner.ErrNotFound), errors.Is(err, provisioner.ErrNodeNotFound):
		status, code, msg = http.StatusNotFound, "not-found", i18n.T(lang, "error.session.notfound")
	case errors.Is(err, sessions.ErrExtend):
		status, code, msg = http.StatusConflict, "extend-limit", i18n.T(lang, "error.session.extend")
	case errors.Is(err, provisioner.ErrEngineDown):
		status, code, msg = http.StatusServiceUnavailable, "engine-down", i18n.T(lang, "error.engine.down")
	case errors.Is(err, errUnknownLab):
		status, code, msg = http.StatusBadRequest, "unknown-lab", i18n.T(lang, "error.lab.unknown")
	case errors.Is(err, errSessionNotReady):
		status, code, msg = http.StatusConflict, "session-not-ready", i18n.T(lang, "error.session.notready")
	case errors.Is(err, errNotStarted):
		status, code, msg = http.StatusServiceUnavailable, "not-started", i18n.T(lang, "error.notstarted")
	case errors.Is(err, errNotReady):
		status, code, msg = http.StatusServiceUnavailable, "not-ready", i18n.T(lang, "error.notready")
	case errors.Is(err, provisioner.ErrPaused), errors.Is(err, context.DeadlineExceeded):
		status, code, msg = http.StatusServiceUnavailable, "resuming", i18n.T(lang, "error.session.resuming")
	case errors.Is(err, errNoLesson):
		status, code, msg = http.StatusNotFound, "lesson-none", i18n.T(lang, "error.lesson.none")
	case errors.Is(err, errNoStep):
		status, code, msg = http.StatusNotFound, "no-step", i18n.T(lang, "error.lesson.nostep")
	case errors.Is(err, errCheckNotRun):
		status, code, msg = http.StatusServiceUnavailable, "check-not-run", i18n.T(lang, "error.lesson.checknotrun")
	case errors.Is(err, classroom.ErrNotFound):
		status, code, msg = http.StatusNotFound, "class-not-found", i18n.T(lang, "error.class.notfound")
	case errors.Is(err, classroom.ErrUnknownCode):
		status, code, msg = http.StatusNotFound, "class-code", i18n.T(lang, "error.class.code")
	case errors.Is(err, classroom.ErrEnded):
		status, code, msg = http.StatusGone, "class-ended", i18n.T(lang, "error.class.ended")
	case errors.Is(err, classroom.ErrFull):
		status, code, msg = http.StatusConflict, "class-full", i18n.T(lang, "error.class.full")
	case errors.Is(err, classroom.ErrInvalid):
		status, code, msg = http.StatusBadRequest, "class-invalid", i18n.T(lang, "error.class.invalid", strings.TrimPrefix(err.Error(), classroom.ErrInvalid.Error()+": "))
	case errors.Is(err, classroom.ErrNoBroadcast):
		status, code, msg = http.StatusNotFound, "broadcast-none", i18n.T(lang, "error.broadcast.none")
	case errors.Is(err, classroom.ErrNoSeat):
		status, code, msg = http.StatusNotFound, "no-seat", i18n.T(lang, "error.class.noseat")
	case errors.Is(err, errNotInstructor):
		status, code, msg = http.StatusUnauthorized, "instructor", i18n.T(lang, "error.instructor")
	case errors.Is(err, errBadSecret):
		status, code, msg = http.StatusUnauthorized, "instructor-secret", i18n.T(lang, "error.instructor.secret")
	case errors.Is(err, errNotFoundRoute):
		status, code, msg = http.StatusNotFound, "no-route", i18n.T(lang, "error.route")
	case errors.Is(err, errBadRequest):
		status, code, msg = http.StatusBadRequest, "bad-request", i18n.T(lang, "error.badrequest", err.Error())
	}
	if status == http.StatusInternalServerError || status == http.StatusServiceUnavailable {
		p.Log.Error("request failed", "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, map[string]string{"error": code, "message": msg})
}

var (
	errBadRequest = errors.New("bad request")
	errUnknownLab = errors.New("unknown lab")
	errNotReady   = errors.New("the node images are not ready")
	errNotStarted = errors.New("the playground did not start")
	// errSessionNotReady: a terminal asked of a session still being made (or failed).
	errSessionNotReady = errors.New("the session's cluster is not ready")
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type sessionView struct {
	ID         string              `json:"id"`
	Lab        string              `json:"lab"`
	Title      string              `json:"title"`
	Lang       string              `json:"lang"`
	State      string              `json:"state"`
	Expires    time.Time           `json:"expires"`
	MaxExpires time.Time           `json:"maxExpires"`
	Progress   []provisioner.Stage `json:"progress"`
	Nodes      []nodeView          `json:"nodes,omitempty"`
	Message    string              `json:"message,omitempty"`
	// Broadcast is the terminal the instructor shows the class, when the session is a seat of one.
	Broadcast *broadcastView `json:"broadcast,omitempty"`
}

type nodeView struct {
	Name     string `json:"name"`
	Hostname string `json:"hostname"`
	Role     string `json:"role"`
}

func (p *Playground) view(ctx context.Context, lang i18n.Lang, s *sessions.Session) sessionView {
	v := sessionView{ID: s.ID, Lab: s.Lab, Title: s.Lab, Lang: s.Lang, State: string(s.State), Expires: s.Expires,
		MaxExpires: p.Sessions.MaxExpires(s), Progress: s.Progress}
	if p.Catalog != nil {
		if l, ok := p.Catalog.Lab(lang, s.Lab); ok {
			v.Title = l.Title
		}
	}
	if s.State == sessions.StateFailed {
		v.Message = i18n.T(lang, "session.failed")
	}
	if s.State == sessions.StateReady {
		if c, err := p.Prov.Get(ctx, s.ClusterID); err == nil {
			for _, n := range c.Nodes {
				v.Nodes = append(v.Nodes, nodeView{Name: n.Name(), Hostname: n.Hostname(), Role: string(n.Role())})
			}
		}
	}
	v.Broadcast = p.broadcastTo(ctx, s)
	return v
}

// Register adds the playground's routes.
func (p *Playground) Register(mux *http.ServeMux) {
	if p.streams == nil {
		p.streams = map[string]*terminal.Stream{}
	}
	mux.HandleFunc("GET /api/labs", p.labs)
	mux.HandleFunc("GET /api/sessions", p.mine)
	mux.HandleFunc("POST /api/sessions", p.create)
	mux.HandleFunc("GET /api/sessions/{id}", p.get)
	mux.HandleFunc("POST /api/sessions/{id}/extend", p.extend)
	mux.HandleFunc("DELETE /api/sessions/{id}", p.delete)
	mux.HandleFunc("GET /api/sessions/{id}/nodes/{node}/terminal", p.terminal)
	mux.HandleFunc("GET /api/sessions/{id}/lesson", p.lesson)
	mux.HandleFunc("POST /api/sessions/{id}/lesson/steps/{n}/check", p.check)
	mux.HandleFunc("POST /api/sessions/{id}/lesson/steps/{n}/enter", p.enter)
	p.registerClasses(mux)
}

func (p *Playground) labs(w http.ResponseWriter, r *http.Request) {
	labs := []Lab{}
	if p.Catalog != nil {
		labs = append(labs, p.Catalog.Labs(i18n.FromRequest(r))...)
	}
	writeJSON(w, http.StatusOK, map[string]any{"labs": labs})
}

func (p *Playground) mine(w http.ResponseWriter, r *http.Request) {
	views := []sessionView{}
	if client, err := p.Identity.Client(r); err == nil {
		list, err := p.Sessions.Mine(r.Context(), client)
		if err != nil {
			p.apiError(w, r, err)
			return
		}
		for _, s := range list {
			views = append(views, p.view(r.Context(), i18n.FromRequest(r), s))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessions": views})
}

func (p *Playground) create(w http.ResponseWriter, r *http.Request) {
	client := p.Identity.Ensure(w, r)
	var req struct {
		Lab  string `json:"lab"`
		Lang string `json:"lang"`
	}
	if !p.decode(w, r, 64<<10, &req) {
		return
	}
	lab, lang, ok := p.requestedLab(w, r, req.Lab, req.Lang)
	if !ok {
		return
	}
	s, err := p.Sessions.Create(r.Context(), client, lab.ID, string(lang), lab.Shape)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, p.view(r.Context(), lang, s))
}

func (p *Playground) session(w http.ResponseWriter, r *http.Request) (*sessions.Session, bool) {
	client, err := p.Identity.Client(r)
	if err != nil {
		p.apiError(w, r, sessions.ErrNotFound)
		return nil, false
	}
	s, err := p.Sessions.Poke(r.Context(), client, r.PathValue("id"))
	if err != nil {
		p.apiError(w, r, err)
		return nil, false
	}
	return s, true
}

func (p *Playground) get(w http.ResponseWriter, r *http.Request) {
	if s, ok := p.session(w, r); ok {
		writeJSON(w, http.StatusOK, p.view(r.Context(), i18n.FromRequest(r), s))
	}
}

func (p *Playground) extend(w http.ResponseWriter, r *http.Request) {
	client, err := p.Identity.Client(r)
	if err != nil {
		p.apiError(w, r, sessions.ErrNotFound)
		return
	}
	s, err := p.Sessions.Extend(r.Context(), client, r.PathValue("id"), 30*time.Minute)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p.view(r.Context(), i18n.FromRequest(r), s))
}

func (p *Playground) delete(w http.ResponseWriter, r *http.Request) {
	client, err := p.Identity.Client(r)
	if err != nil {
		p.apiError(w, r, sessions.ErrNotFound)
		return
	}
	// Sessions.Delete ends the session's terminals (OnEnd) and removes its cluster, paused or not.
	if err := p.Sessions.Delete(r.Context(), client, r.PathValue("id")); err != nil {
		p.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// CloseStreams ends a session's terminals (wired to sessions.Config.OnEnd), and the classes'
// broadcasts of them.
func (p *Playground) CloseStreams(sessionID string) {
	p.nodeRefs.Delete(sessionID)
	if p.Classes != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		p.Classes.Manager.SessionEnded(ctx, sessionID)
		cancel()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, st := range p.streams {
		if len(k) > len(sessionID) && k[:len(sessionID)+1] == sessionID+"/" {
			go st.Close()
			delete(p.streams, k)
		}
	}
}

// terminal connects a websocket to the node's shell; every connection of the session's owner
// shares one stream per node, so a reload finds its scrollback.
func (p *Playground) terminal(w http.ResponseWriter, r *http.Request) {
	if !terminal.CheckOrigin(r, p.AllowedOrigins) { // before anything wakes a cluster or starts a shell
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	// A session paused for being idle wakes up here (a few seconds) before its shell is attached.
	c, s, ok := p.readyCluster(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	node := findNode(c, r.PathValue("node"))
	if node == nil {
		p.apiError(w, r, provisioner.ErrNodeNotFound)
		return
	}
	st := p.stream(s.ID, node)
	opts := terminal.ServeOptions{AllowedOrigins: p.AllowedOrigins,
		OnInput: func(n int) { p.Sessions.Touch(s.ID); p.count("in", n) }, OnOutput: func(n int) { p.Sessions.Touch(s.ID); p.count("out", n) }}
	p.Sessions.Touch(s.ID)
	if p.Metrics != nil {
		p.Metrics.TerminalsOpen.Inc()
		defer p.Metrics.TerminalsOpen.Dec()
	}
	_ = terminal.Serve(w, r, st, opts)
}

// requestedLab finds the lab a request names, in the language it asks for (else the request's);
// on failure it has answered.
func (p *Playground) requestedLab(w http.ResponseWriter, r *http.Request, id, language string) (Lab, i18n.Lang, bool) {
	lang := i18n.FromRequest(r)
	if l, ok := i18n.Parse(language); ok {
		lang = l
	}
	if p.Catalog != nil {
		if lab, ok := p.Catalog.Lab(lang, id); ok {
			return lab, lang, true
		}
	}
	p.apiError(w, r, fmt.Errorf("%w: %q", errUnknownLab, id))
	return Lab{}, lang, false
}

// findNode is the cluster's node with this container or host name (nil when there is none).
func findNode(c *provisioner.Cluster, name string) provisioner.Node {
	for _, n := range c.Nodes {
		if n.Name() == name || n.Hostname() == name {
			return n
		}
	}
	return nil
}

// decode reads a JSON request body of at most limit bytes into v; on failure it has answered.
func (p *Playground) decode(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		p.apiError(w, r, fmt.Errorf("%w: %v", errBadRequest, err))
		return false
	}
	return true
}

// stream is a node's terminal stream, shared by its student and its viewers.
func (p *Playground) stream(sessionID string, node provisioner.Node) *terminal.Stream {
	key := sessionID + "/" + node.Name()
	p.mu.Lock()
	defer p.mu.Unlock()
	st, ok := p.streams[key]
	if !ok {
		st = terminal.New(terminal.NodeShell(node), terminal.Options{})
		p.streams[key] = st
	}
	return st
}

// readyCluster wakes the owner's session id (a paused cluster resumes) and returns its cluster; on
// failure it has answered the request.
func (p *Playground) readyCluster(w http.ResponseWriter, r *http.Request, id string) (*provisioner.Cluster, *sessions.Session, bool) {
	client, err := p.Identity.Client(r)
	if err != nil {
		p.apiError(w, r, sessions.ErrNotFound)
		return nil, nil, false
	}
	wake, cancel := context.WithTimeout(r.Context(), 2*time.Minute)
	s, err := p.Sessions.Wake(wake, client, id)
	cancel()
	if err != nil {
		p.apiError(w, r, err)
		return nil, nil, false
	}
	if s.State != sessions.StateReady {
		p.apiError(w, r, errSessionNotReady)
		return nil, nil, false
	}
	c, err := p.Prov.Get(r.Context(), s.ClusterID)
	if err != nil {
		p.apiError(w, r, err)
		return nil, nil, false
	}
	return c, s, true
}

func (p *Playground) count(dir string, n int) {
	if p.Metrics != nil {
		p.Metrics.TerminalBytes.WithLabelValues(dir).Add(float64(n))
	}
}
