package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/classroom"
	"github.com/kubeplay/kubeplay/i18n"
	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/sessions"
	"github.com/kubeplay/kubeplay/terminal"
)

// Classes serves the instructor's pages' API and the students' join. The instructor signs in once
// with the secret the server was started with; the browser keeps a signed cookie.
type Classes struct {
	Manager *classroom.Manager
	Secret  string
}

const instructorCookie = "kubeplay_instructor"

var (
	errNotInstructor = errors.New("instructor sign-in needed")
	errBadSecret     = errors.New("wrong instructor secret")
)

// instructorToken is what the instructor's cookie holds: it changes when the secret does.
func (p *Playground) instructorToken() string {
	h := sha256.Sum256([]byte("kubeplay instructor\x00" + p.Classes.Secret))
	return p.Identity.sign("instructor-" + hex.EncodeToString(h[:8]))
}

func (p *Playground) isInstructor(r *http.Request) bool {
	if p.Classes == nil || p.Classes.Secret == "" {
		return false
	}
	c, err := r.Cookie(instructorCookie)
	return err == nil && hmac.Equal([]byte(c.Value), []byte(p.instructorToken()))
}

// instructor answers 401 unless the request is the instructor's.
func (p *Playground) instructor(w http.ResponseWriter, r *http.Request) bool {
	if p.Classes == nil {
		p.apiError(w, r, errNotFoundRoute)
		return false
	}
	if !p.isInstructor(r) {
		p.apiError(w, r, errNotInstructor)
		return false
	}
	return true
}

var errNotFoundRoute = errors.New("no such route")

func (p *Playground) registerClasses(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/instructor", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]bool{"instructor": p.isInstructor(r), "classes": p.Classes != nil})
	})
	mux.HandleFunc("POST /api/instructor/login", p.login)
	mux.HandleFunc("POST /api/instructor/logout", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: instructorCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /api/classes", p.classList)
	mux.HandleFunc("POST /api/classes", p.classCreate)
	mux.HandleFunc("GET /api/classes/{id}", p.classGrid)
	mux.HandleFunc("GET /api/classes/{id}/events", p.classEvents)
	mux.HandleFunc("POST /api/classes/{id}/extend", p.classExtend)
	mux.HandleFunc("DELETE /api/classes/{id}", p.classEnd)
	mux.HandleFunc("POST /api/classes/{id}/seats/{n}/reset", p.seatReset)
	mux.HandleFunc("GET /api/classes/{id}/results.csv", p.classCSV)
	mux.HandleFunc("GET /api/classes/{id}/seats/{n}/nodes/{node}/terminal", p.seatTerminal)
	mux.HandleFunc("PUT /api/classes/{id}/broadcast", p.broadcastStart)
	mux.HandleFunc("DELETE /api/classes/{id}/broadcast", p.broadcastStop)
	mux.HandleFunc("GET /api/sessions/{id}/broadcast/terminal", p.broadcastTerminal)
	mux.HandleFunc("POST /api/join", p.join)
}

func (p *Playground) login(w http.ResponseWriter, r *http.Request) {
	if p.Classes == nil || p.Classes.Secret == "" {
		p.apiError(w, r, errNotFoundRoute)
		return
	}
	var req struct {
		Secret string `json:"secret"`
	}
	if !p.decode(w, r, 4<<10, &req) {
		return
	}
	if !hmac.Equal([]byte(strings.TrimSpace(req.Secret)), []byte(p.Classes.Secret)) {
		time.Sleep(500 * time.Millisecond) // guessing stays slow
		p.apiError(w, r, errBadSecret)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: instructorCookie, Value: p.instructorToken(), Path: "/", HttpOnly: true,
		Secure: p.Identity.secure, SameSite: http.SameSiteStrictMode, Expires: time.Now().Add(30 * 24 * time.Hour)})
	writeJSON(w, http.StatusOK, map[string]bool{"instructor": true})
}

type classView struct {
	ID       string    `json:"id"`
	Code     string    `json:"code"`
	Title    string    `json:"title"`
	Lab      string    `json:"lab"`
	LabTitle string    `json:"labTitle"`
	Lang     string    `json:"lang"`
	Shape    string    `json:"shape"`
	Seats    int       `json:"seats"`
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires"`
	JoinURL  string    `json:"joinUrl"`
	// Broadcast is the instructor's terminal the class is shown (none: omitted).
	Broadcast *broadcastView `json:"broadcast,omitempty"`
}

func (p *Playground) classView(r *http.Request, c *classroom.Class) classView {
	v := classView{ID: c.ID, Code: c.Code, Title: c.Title, Lab: c.Lab, LabTitle: c.Lab, Lang: c.Lang, Shape: c.Shape.String(),
		Seats: c.Seats, Created: c.Created, Expires: c.Expires, JoinURL: requestBase(r) + "/join?code=" + c.Code}
	if p.Catalog != nil {
		if l, ok := p.Catalog.Lab(i18n.FromRequest(r), c.Lab); ok {
			v.LabTitle = l.Title
		}
	}
	v.Broadcast, _ = p.shown(r.Context(), c.Broadcast)
	return v
}

// requestBase is the scheme and host the request came to (what students type or scan).
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (p *Playground) classList(w http.ResponseWriter, r *http.Request) {
	if !p.instructor(w, r) {
		return
	}
	cs, err := p.Classes.Manager.List(r.Context())
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	out := make([]classView, 0, len(cs))
	for _, c := range cs {
		out = append(out, p.classView(r, c))
	}
	writeJSON(w, http.StatusOK, out)
}

func (p *Playground) classCreate(w http.ResponseWriter, r *http.Request) {
	if !p.instructor(w, r) {
		return
	}
	var req struct {
		Title   string `json:"title"`
		Lab     string `json:"lab"`
		Lang    string `json:"lang"`
		Seats   int    `json:"seats"`
		Minutes int    `json:"minutes"`
	}
	if !p.decode(w, r, 16<<10, &req) {
		return
	}
	lab, lang, ok := p.requestedLab(w, r, req.Lab, req.Lang)
	if !ok {
		return
	}
	c, err := p.Classes.Manager.Create(r.Context(), classroom.Spec{Title: strings.TrimSpace(req.Title), Lab: lab.ID, Lang: string(lang),
		Shape: lab.Shape, Seats: req.Seats, Length: time.Duration(req.Minutes) * time.Minute})
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	go func() { _, _ = p.Classes.Manager.Fill(context.Background()) }()
	writeJSON(w, http.StatusCreated, p.classView(r, c))
}

type classStep struct {
	N     int    `json:"n"`
	Title string `json:"title"`
}

type nodeRef struct {
	Name     string `json:"name"`
	Hostname string `json:"hostname"`
	Role     string `json:"role"`
}

// clusterNodes are a ready cluster's nodes for the grid, asked of the engine once per cluster: a
// grid of 30 seats reloaded every few seconds would otherwise cost a Docker call per seat each time.
// The entry goes with the session (CloseStreams); a session's cluster never changes.
func (p *Playground) clusterNodes(ctx context.Context, sessionID, clusterID string) []nodeRef {
	if v, ok := p.nodeRefs.Load(sessionID); ok {
		return v.([]nodeRef)
	}
	cl, err := p.Prov.Get(ctx, clusterID)
	if err != nil || len(cl.Nodes) == 0 {
		return nil
	}
	refs := make([]nodeRef, 0, len(cl.Nodes))
	for _, n := range cl.Nodes {
		refs = append(refs, nodeRef{Name: n.Name(), Hostname: n.Hostname(), Role: string(n.Role())})
	}
	p.nodeRefs.Store(sessionID, refs)
	return refs
}

type gridSeat struct {
	classroom.SeatView
	Nodes []nodeRef `json:"nodes,omitempty"`
}

func (p *Playground) classGrid(w http.ResponseWriter, r *http.Request) {
	if !p.instructor(w, r) {
		return
	}
	c, seats, err := p.Classes.Manager.Grid(r.Context(), r.PathValue("id"))
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	steps := p.classSteps(r, c)
	out := make([]gridSeat, 0, len(seats))
	for _, s := range seats {
		g := gridSeat{SeatView: s}
		if s.State == string(sessions.StateReady) {
			if ss, err := p.Sessions.Lookup(r.Context(), s.Session); err == nil {
				g.Nodes = p.clusterNodes(r.Context(), ss.ID, ss.ClusterID)
			}
		}
		out = append(out, g)
	}
	writeJSON(w, http.StatusOK, map[string]any{"class": p.classView(r, c), "steps": steps, "seats": out, "now": time.Now()})
}

// classSteps are the lab's steps in the instructor's language (none for a free playground).
func (p *Playground) classSteps(r *http.Request, c *classroom.Class) []classStep {
	steps := []classStep{}
	if p.Lessons == nil || p.Lessons.Labs == nil {
		return steps
	}
	lab, ok := p.Lessons.Labs.Lab(c.Lab)
	if !ok {
		return steps
	}
	lang := string(i18n.FromRequest(r))
	for i, s := range lab.Steps {
		steps = append(steps, classStep{N: i + 1, Title: s.Title.In(lang)})
	}
	return steps
}

// classEvents streams a class's changes as server-sent events; the page reloads the grid on each.
func (p *Playground) classEvents(w http.ResponseWriter, r *http.Request) {
	if !p.instructor(w, r) {
		return
	}
	id := r.PathValue("id")
	if _, err := p.Classes.Manager.Get(r.Context(), id); err != nil {
		p.apiError(w, r, err)
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		p.apiError(w, r, errors.New("streaming unsupported"))
		return
	}
	events, cancel := p.Classes.Manager.Subscribe(id)
	defer cancel()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	fl.Flush()
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
		case e := <-events:
			b, _ := json.Marshal(e)
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Kind, b)
		}
		fl.Flush()
	}
}

func (p *Playground) classExtend(w http.ResponseWriter, r *http.Request) {
	if !p.instructor(w, r) {
		return
	}
	var req struct {
		Minutes int `json:"minutes"`
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Minutes <= 0 || req.Minutes > 24*60 {
		p.apiError(w, r, fmt.Errorf("%w: minutes from 1 to 1440", errBadRequest))
		return
	}
	c, err := p.Classes.Manager.Extend(r.Context(), r.PathValue("id"), time.Duration(req.Minutes)*time.Minute)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p.classView(r, c))
}

func (p *Playground) classEnd(w http.ResponseWriter, r *http.Request) {
	if !p.instructor(w, r) {
		return
	}
	id := r.PathValue("id")
	if _, err := p.Classes.Manager.Get(r.Context(), id); err != nil {
		p.apiError(w, r, err)
		return
	}
	if err := p.Classes.Manager.End(r.Context(), id); err != nil {
		p.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (p *Playground) seatReset(w http.ResponseWriter, r *http.Request) {
	if !p.instructor(w, r) {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		p.apiError(w, r, classroom.ErrNoSeat)
		return
	}
	var req struct {
		KeepProgress bool `json:"keepProgress"`
	}
	if !p.decode(w, r, 4<<10, &req) {
		return
	}
	old := ""
	if seats, err := p.Classes.Manager.Seats(r.Context(), r.PathValue("id")); err == nil {
		for _, s := range seats {
			if s.N == n {
				old = s.Session
			}
		}
	}
	seat, err := p.Classes.Manager.Reset(r.Context(), r.PathValue("id"), n, req.KeepProgress)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	if old != "" && p.Lessons != nil && !req.KeepProgress {
		_ = p.Lessons.Forget(r.Context(), old)
	}
	writeJSON(w, http.StatusOK, map[string]any{"seat": seat.N, "session": seat.Session})
}

func (p *Playground) classCSV(w http.ResponseWriter, r *http.Request) {
	if !p.instructor(w, r) {
		return
	}
	c, err := p.Classes.Manager.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "kubeplay-"+c.Code+".csv"))
	_, _ = w.Write([]byte("\ufeff")) // spreadsheets read Korean names right with a BOM
	if err := p.Classes.Manager.WriteCSV(r.Context(), c.ID, len(p.classSteps(r, c)), w); err != nil {
		p.Log.Error("class csv", "class", c.ID, "err", err)
	}
}

// seatTerminal lets the instructor watch a student's terminal: the same stream the student types
// into, read-only (input from this socket is dropped).
func (p *Playground) seatTerminal(w http.ResponseWriter, r *http.Request) {
	if !terminal.CheckOrigin(r, p.AllowedOrigins) {
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	if !p.instructor(w, r) {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		p.apiError(w, r, classroom.ErrNoSeat)
		return
	}
	seats, err := p.Classes.Manager.Seats(r.Context(), r.PathValue("id"))
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	var seat *classroom.Seat
	for _, s := range seats {
		if s.N == n {
			seat = s
		}
	}
	if seat == nil || seat.Session == "" {
		p.apiError(w, r, classroom.ErrNoSeat)
		return
	}
	ss, err := p.Sessions.Lookup(r.Context(), seat.Session)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	if ss.State != sessions.StateReady {
		p.apiError(w, r, errSessionNotReady)
		return
	}
	c, err := p.Prov.Get(r.Context(), ss.ClusterID)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	node := findNode(c, r.PathValue("node"))
	if node == nil {
		p.apiError(w, r, provisioner.ErrNodeNotFound)
		return
	}
	st := p.stream(ss.ID, node)
	_ = terminal.Serve(w, r, st, terminal.ServeOptions{ReadOnly: true, AllowedOrigins: p.AllowedOrigins})
}

// join gives the student a seat of the class with the code and answers its session.
func (p *Playground) join(w http.ResponseWriter, r *http.Request) {
	if p.Classes == nil {
		p.apiError(w, r, classroom.ErrUnknownCode)
		return
	}
	client := p.Identity.Ensure(w, r)
	var req struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	if !p.decode(w, r, 4<<10, &req) {
		return
	}
	name := strings.TrimSpace(req.Name)
	if len([]rune(name)) > 40 {
		name = string([]rune(name)[:40])
	}
	c, seat, err := p.Classes.Manager.Join(r.Context(), req.Code, client, name)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"class": c.ID, "title": c.Title, "seat": seat.N, "session": seat.Session, "lang": c.Lang})
}
