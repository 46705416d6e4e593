package server

import (
	"context"
	"net/http"

	"github.com/kubeplay/kubeplay/classroom"
	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/sessions"
	"github.com/kubeplay/kubeplay/terminal"
)

// "Show my terminal to the class": the instructor picks a node of one of their own sessions (the
// sessions of the browser they signed in with), and every seat's student watches it read-only
// beside their own terminals. It is the instructor's stream itself, attached read-only, as
// seatTerminal does the other way round.

// broadcastView is the terminal a class is shown: the node (its name keys the students' tab, its
// host name labels it) and, for the instructor only, the session.
type broadcastView struct {
	Session  string `json:"session,omitempty"`
	Node     string `json:"node"`
	Hostname string `json:"hostname"`
	Role     string `json:"role"`
}

// shown is what b shows while its session lives and has a cluster (paused for idleness included:
// the instructor may talk for a while), with that session; nil when there is nothing to show.
func (p *Playground) shown(ctx context.Context, b classroom.Broadcast) (*broadcastView, *sessions.Session) {
	if !b.On() {
		return nil, nil
	}
	s, err := p.Sessions.Lookup(ctx, b.Session)
	if err != nil || (s.State != sessions.StateReady && s.State != sessions.StatePaused && s.State != sessions.StateResuming) {
		return nil, nil
	}
	for _, n := range p.clusterNodes(ctx, s.ID, s.ClusterID) {
		if n.Name == b.Node {
			return &broadcastView{Session: s.ID, Node: n.Name, Hostname: n.Hostname, Role: n.Role}, s
		}
	}
	return nil, nil
}

// broadcastTo is what the student of session s is shown (nil: nothing), without the instructor's
// session id, which is none of the students' business.
func (p *Playground) broadcastTo(ctx context.Context, s *sessions.Session) *broadcastView {
	if p.Classes == nil || s.Labels[classroom.LabelClass] == "" {
		return nil
	}
	_, b, err := p.Classes.Manager.BroadcastTo(ctx, s.ID)
	if err != nil {
		return nil
	}
	v, _ := p.shown(ctx, b)
	if v != nil {
		v.Session = ""
	}
	return v
}

// broadcastStart shows the class a node of one of the instructor's own ready sessions (a paused
// one is woken); body {"session": ID, "node": NAME}. It answers the class.
func (p *Playground) broadcastStart(w http.ResponseWriter, r *http.Request) {
	if !p.instructor(w, r) {
		return
	}
	var req struct {
		Session string `json:"session"`
		Node    string `json:"node"`
	}
	if !p.decode(w, r, 4<<10, &req) {
		return
	}
	id := r.PathValue("id")
	if _, err := p.Classes.Manager.Get(r.Context(), id); err != nil {
		p.apiError(w, r, err)
		return
	}
	// readyCluster opens only a session of the request's browser: nobody shows another's terminal.
	cl, s, ok := p.readyCluster(w, r, req.Session)
	if !ok {
		return
	}
	node := findNode(cl, req.Node)
	if node == nil {
		p.apiError(w, r, provisioner.ErrNodeNotFound)
		return
	}
	c, err := p.Classes.Manager.StartBroadcast(r.Context(), id, classroom.Broadcast{Session: s.ID, Node: node.Name()})
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	p.Sessions.Touch(s.ID)
	writeJSON(w, http.StatusOK, p.classView(r, c))
}

// broadcastStop shows the class nothing any more.
func (p *Playground) broadcastStop(w http.ResponseWriter, r *http.Request) {
	if !p.instructor(w, r) {
		return
	}
	if err := p.Classes.Manager.StopBroadcast(r.Context(), r.PathValue("id")); err != nil {
		p.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// broadcastTerminal lets the student of session {id}, a seat of a class being shown a terminal,
// watch it: read-only (input from this socket is dropped). The connection ends when the class is
// shown something else or nothing, or ends.
func (p *Playground) broadcastTerminal(w http.ResponseWriter, r *http.Request) {
	if !terminal.CheckOrigin(r, p.AllowedOrigins) {
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	if p.Classes == nil {
		p.apiError(w, r, classroom.ErrNoBroadcast)
		return
	}
	client, err := p.Identity.Client(r)
	if err != nil {
		p.apiError(w, r, sessions.ErrNotFound)
		return
	}
	// Get, not Wake: watching the instructor is no use of the student's own cluster.
	s, err := p.Sessions.Get(r.Context(), client, r.PathValue("id"))
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	class, _, err := p.Classes.Manager.BroadcastTo(r.Context(), s.ID)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	// Listen before the last look, so that a change right after it still ends the connection.
	done, stop := p.untilBroadcastChanges(class.ID)
	defer stop()
	_, b, err := p.Classes.Manager.BroadcastTo(r.Context(), s.ID)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	v, shown := p.shown(r.Context(), b)
	if v == nil {
		p.apiError(w, r, classroom.ErrNoBroadcast)
		return
	}
	cl, err := p.Prov.Get(r.Context(), shown.ClusterID)
	if err != nil {
		p.apiError(w, r, err)
		return
	}
	node := findNode(cl, b.Node)
	if node == nil {
		p.apiError(w, r, classroom.ErrNoBroadcast)
		return
	}
	_ = terminal.Serve(w, r, p.stream(shown.ID, node), terminal.ServeOptions{ReadOnly: true, AllowedOrigins: p.AllowedOrigins, Done: done})
}

// untilBroadcastChanges returns a channel closed when the class is shown something else or
// nothing, or ends; stop stops listening.
func (p *Playground) untilBroadcastChanges(class string) (<-chan struct{}, func()) {
	events, cancel := p.Classes.Manager.Subscribe(class)
	done, quit := make(chan struct{}), make(chan struct{})
	go func() {
		for {
			select {
			case e := <-events:
				if e.Kind == "broadcast" || e.Kind == "ended" {
					close(done)
					return
				}
			case <-quit:
				return
			}
		}
	}()
	return done, func() { close(quit); cancel() }
}
