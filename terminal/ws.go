package terminal

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// The websocket protocol of a terminal:
//
//	client -> server  binary frames: keystrokes and pastes, as bytes
//	                  text frames:   {"type":"resize","rows":R,"cols":C} | {"type":"ping"}
//	server -> client  text first:    {"type":"hello","seq":S,"readOnly":B,"stream":ID} — the replay
//	                                 starts at S; ID names the stream (a reconnect sends it back as
//	                                 ?stream=; if the server has another stream by then, e.g. after a
//	                                 restart, it replays that one from its start and the client resets)
//	                  binary frames: output, in order; the client adds their lengths to S to know
//	                                 the sequence number to send back as ?since= when it reconnects
//	                  text frames:   {"type":"status","state":"started|exited|down"} | {"type":"pong"}
//	                                 | {"type":"error","code":"read-only"}
//	                  close frame:   a reason ("slow", "closed", "ended") when the server ends the connection

// ServeOptions configure one websocket connection.
type ServeOptions struct {
	ReadOnly bool
	// AllowedOrigins lists origins (scheme://host[:port]) besides the request's own host.
	AllowedOrigins []string
	// MaxInput caps one input message (default 4 MiB: a 1 MiB paste fits with room).
	MaxInput int64
	// OnInput, when set, is told how many bytes were typed (metrics).
	OnInput func(n int)
	// OnOutput, when set, is told how many bytes were sent (metrics).
	OnOutput func(n int)
	// Done, when set, ends the connection once it is closed: the viewer may no longer watch (a
	// class's broadcast stopped). The close frame's reason is "ended".
	Done <-chan struct{}
}

// CheckOrigin accepts a request whose Origin is its own host or one of allowed. Browsers always send
// Origin on websocket requests; a request without one is not from a page and is accepted.
func CheckOrigin(r *http.Request, allowed []string) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, a := range allowed {
		if strings.EqualFold(strings.TrimRight(a, "/"), origin) {
			return true
		}
	}
	return false
}

type controlMsg struct {
	Type     string `json:"type"`
	Rows     uint16 `json:"rows,omitempty"`
	Cols     uint16 `json:"cols,omitempty"`
	Seq      uint64 `json:"seq"`
	ReadOnly bool   `json:"readOnly,omitempty"`
	State    string `json:"state,omitempty"`
	Stream   string `json:"stream,omitempty"`
	Code     string `json:"code,omitempty"`
}

// Serve upgrades the request and runs the terminal protocol until either side ends it. ?since=N asks
// for the output from sequence number N (a reconnect); without it the whole kept buffer is replayed.
func Serve(w http.ResponseWriter, r *http.Request, s *Stream, opts ServeOptions) error {
	up := websocket.Upgrader{
		ReadBufferSize:  32 << 10,
		WriteBufferSize: 32 << 10,
		CheckOrigin:     func(r *http.Request) bool { return CheckOrigin(r, opts.AllowedOrigins) },
	}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return err // the upgrader has answered the request
	}
	defer conn.Close()
	if opts.MaxInput <= 0 {
		opts.MaxInput = 4 << 20
	}
	conn.SetReadLimit(opts.MaxInput)
	since, _ := strconv.ParseUint(r.URL.Query().Get("since"), 10, 64)
	if id := r.URL.Query().Get("stream"); id != "" && id != s.ID() {
		since = 0 // a sequence number of another stream (the server restarted): start over
	}
	v, replay, err := s.Attach(since, opts.ReadOnly)
	if err != nil {
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "closed"), time.Now().Add(time.Second))
		return err
	}
	defer v.Detach()

	var wmu sync.Mutex
	write := func(kind int, data []byte) error {
		wmu.Lock()
		defer wmu.Unlock()
		_ = conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		return conn.WriteMessage(kind, data)
	}
	writeJSON := func(m controlMsg) error {
		b, _ := json.Marshal(m)
		return write(websocket.TextMessage, b)
	}
	if err := writeJSON(controlMsg{Type: "hello", Seq: replay.Seq, ReadOnly: opts.ReadOnly, Stream: s.ID()}); err != nil {
		return err
	}
	if len(replay.Data) > 0 {
		if err := write(websocket.BinaryMessage, replay.Data); err != nil {
			return err
		}
	}

	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	readErr := make(chan error, 1)
	go func() { readErr <- readLoop(ctx, conn, v, opts, writeJSON) }()

	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-v.Ready():
			c := v.Take()
			if len(c.Data) == 0 {
				continue
			}
			if err := write(websocket.BinaryMessage, c.Data); err != nil {
				return err
			}
			if opts.OnOutput != nil {
				opts.OnOutput(len(c.Data))
			}
		case e := <-v.Events():
			if err := writeJSON(controlMsg{Type: "status", State: e.Kind}); err != nil {
				return err
			}
		case <-v.Gone():
			reason := "closed"
			if errors.Is(v.Err(), ErrSlowViewer) {
				reason = "slow"
			}
			wmu.Lock()
			_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, reason), time.Now().Add(time.Second))
			wmu.Unlock()
			return v.Err()
		case <-opts.Done:
			wmu.Lock()
			_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "ended"), time.Now().Add(time.Second))
			wmu.Unlock()
			return nil
		case <-ping.C:
			wmu.Lock()
			err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second))
			wmu.Unlock()
			if err != nil {
				return err
			}
		case err := <-readErr:
			return err
		}
	}
}

func readLoop(ctx context.Context, conn *websocket.Conn, v *Viewer, opts ServeOptions, writeJSON func(controlMsg) error) error {
	warned := false
	for {
		_ = conn.SetReadDeadline(time.Now().Add(60 * time.Second))
		conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(60 * time.Second)) })
		kind, data, err := conn.ReadMessage()
		if err != nil {
			return err
		}
		switch kind {
		case websocket.BinaryMessage:
			if v.ReadOnly {
				if !warned {
					warned = true
					_ = writeJSON(controlMsg{Type: "error", Code: "read-only"})
				}
				continue
			}
			if _, err := v.Write(data); err != nil {
				_ = writeJSON(controlMsg{Type: "error", Code: "not-running"})
				continue
			}
			if opts.OnInput != nil {
				opts.OnInput(len(data))
			}
		case websocket.TextMessage:
			var m controlMsg
			if json.Unmarshal(data, &m) != nil {
				continue
			}
			switch m.Type {
			case "resize":
				rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				_ = v.Resize(rctx, m.Rows, m.Cols)
				cancel()
			case "ping":
				_ = writeJSON(controlMsg{Type: "pong"})
			}
		}
	}
}
