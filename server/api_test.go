package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kubeplay/kubeplay/provisioner/fake"
	"github.com/kubeplay/kubeplay/sessions"
)

func newPlayground(t *testing.T, cfg sessions.Config) *httptest.Server {
	srv, _ := newPlaygroundManager(t, cfg)
	return srv
}

func newPlaygroundManager(t *testing.T, cfg sessions.Config) (*httptest.Server, *sessions.Manager) {
	prov := fake.New()
	id, err := LoadIdentity(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Image = "kubeplay/node:test"
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pg := &Playground{Prov: prov, Identity: id, Log: log, Catalog: Playgrounds{}, Metrics: NewMetrics()}
	cfg.OnEnd = pg.CloseStreams
	pg.Sessions = sessions.New(prov, sessions.NewMemStore(), cfg, nil, log)
	mux := http.NewServeMux()
	pg.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, pg.Sessions
}

type client struct {
	t    testing.TB
	http *http.Client
	base string
	lang string
	sid  string // a session of the client's (benchmarks)
}

func newClient(t testing.TB, srv *httptest.Server, lang string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, http: &http.Client{Jar: jar}, base: srv.URL, lang: lang}
}

func (c *client) do(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Accept-Language", c.lang)
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func (c *client) waitReady(id string) map[string]any {
	c.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		code, m := c.do("GET", "/api/sessions/"+id, nil)
		if code != 200 {
			c.t.Fatalf("get: %d %v", code, m)
		}
		if m["state"] == "ready" {
			return m
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.t.Fatal("not ready")
	return nil
}

func TestSessionAPIBelongsToItsBrowser(t *testing.T) {
	srv := newPlayground(t, sessions.Config{})
	alice := newClient(t, srv, "ko-KR,ko;q=0.9")
	code, m := alice.do("POST", "/api/sessions", map[string]any{"lab": "playground-kind-1"})
	if code != http.StatusAccepted {
		t.Fatalf("create: %d %v", code, m)
	}
	id := m["id"].(string)
	ready := alice.waitReady(id)
	if nodes, _ := ready["nodes"].([]any); len(nodes) != 2 || ready["lang"] != "ko" {
		t.Fatalf("ready session: %v", ready)
	}
	mallory := newClient(t, srv, "en")
	code, m = mallory.do("GET", "/api/sessions/"+id, nil)
	if code != http.StatusNotFound || !strings.Contains(m["message"].(string), "Session not found") {
		t.Errorf("another browser: %d %v", code, m)
	}
	if code, _ := mallory.do("DELETE", "/api/sessions/"+id, nil); code != http.StatusNotFound {
		t.Errorf("another browser deleting: %d", code)
	}
	// A forged cookie is a stranger too.
	req, _ := http.NewRequest("GET", srv.URL+"/api/sessions/"+id, nil)
	req.AddCookie(&http.Cookie{Name: clientCookie, Value: "abc.forged"})
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("forged cookie: %v %v", resp.StatusCode, err)
	}
	if code, m := alice.do("POST", "/api/sessions/"+id+"/extend", nil); code != 200 {
		t.Errorf("extend: %d %v", code, m)
	}
	if code, _ := alice.do("DELETE", "/api/sessions/"+id, nil); code != http.StatusNoContent {
		t.Errorf("delete: %d", code)
	}
	if code, _ := alice.do("GET", "/api/sessions/"+id, nil); code != http.StatusNotFound {
		t.Errorf("after delete: %d", code)
	}
}

func TestCapacityAndBadInputAreLocalized(t *testing.T) {
	srv := newPlayground(t, sessions.Config{MaxPerClient: 1})
	ko := newClient(t, srv, "ko")
	if code, _ := ko.do("POST", "/api/sessions", map[string]any{"lab": "playground-kind-1"}); code != http.StatusAccepted {
		t.Fatal(code)
	}
	code, m := ko.do("POST", "/api/sessions", map[string]any{"lab": "playground-kind-1"})
	if code != http.StatusTooManyRequests || !strings.Contains(m["message"].(string), "이후에 다시 시도") {
		t.Errorf("capacity: %d %v", code, m)
	}
	en := newClient(t, srv, "en")
	code, m = en.do("POST", "/api/sessions", map[string]any{"lab": "nope"})
	if code != http.StatusBadRequest || !strings.Contains(m["message"].(string), "no such lab") {
		t.Errorf("unknown lab: %d %v", code, m)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/api/sessions", strings.NewReader("{not json"))
	resp, _ := http.DefaultClient.Do(req)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad json: %d", resp.StatusCode)
	}
}

func TestTerminalOfTheOwnerOnly(t *testing.T) {
	srv := newPlayground(t, sessions.Config{})
	alice := newClient(t, srv, "en")
	_, m := alice.do("POST", "/api/sessions", map[string]any{"lab": "playground-kubeadm"})
	id := m["id"].(string)
	alice.waitReady(id)
	u := "ws" + strings.TrimPrefix(srv.URL, "http") + "/api/sessions/" + id + "/nodes/node1/terminal"
	hdr := http.Header{}
	for _, c := range alice.http.Jar.Cookies(mustURL(srv.URL)) {
		hdr.Add("Cookie", c.Name+"="+c.Value)
	}
	conn, _, err := websocket.DefaultDialer.Dial(u, hdr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.WriteMessage(websocket.BinaryMessage, []byte("echo 안녕하세요\n"))
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var out []byte
	for !bytes.Contains(out, []byte("안녕하세요\r\n$ ")) {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("read: %v (so far %q)", err, out)
		}
		if kind == websocket.BinaryMessage {
			out = append(out, data...)
		}
	}
	if _, resp, err := websocket.DefaultDialer.Dial(u, nil); err == nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("a stranger opened the terminal: %v", err)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestLabsAndMySessionsInMyLanguage(t *testing.T) {
	srv := newPlayground(t, sessions.Config{})
	ko := newClient(t, srv, "ko-KR")
	code, m := ko.do("GET", "/api/labs", nil)
	labs, _ := m["labs"].([]any)
	if code != 200 || len(labs) < 3 {
		t.Fatalf("labs: %d %v", code, m)
	}
	first := labs[0].(map[string]any)
	if !strings.Contains(first["title"].(string), "자유 실습") || first["cluster"].(map[string]any)["mode"] != "kind" {
		t.Errorf("Korean lab list: %v", first)
	}
	en := newClient(t, srv, "en-US")
	_, m = en.do("GET", "/api/labs", nil)
	if title := m["labs"].([]any)[0].(map[string]any)["title"].(string); !strings.HasPrefix(title, "Free playground") {
		t.Errorf("English lab list: %v", title)
	}
	_, s := ko.do("POST", "/api/sessions", map[string]any{"lab": "playground-kind-2"})
	_, m = ko.do("GET", "/api/sessions", nil)
	if list := m["sessions"].([]any); len(list) != 1 || list[0].(map[string]any)["id"] != s["id"] || list[0].(map[string]any)["title"] != "자유 실습: 클러스터 (워커 2대)" {
		t.Errorf("my sessions: %v", m)
	}
	_, m = en.do("GET", "/api/sessions", nil)
	if list := m["sessions"].([]any); len(list) != 0 {
		t.Errorf("another browser sees %v", list)
	}
}

func TestIdleSessionWakesWhenItsTerminalOpens(t *testing.T) {
	srv, m := newPlaygroundManager(t, sessions.Config{IdleAfter: time.Nanosecond})
	alice := newClient(t, srv, "en")
	_, s := alice.do("POST", "/api/sessions", map[string]any{"lab": "playground-kubeadm"})
	id := s["id"].(string)
	alice.waitReady(id)
	time.Sleep(time.Millisecond)
	if n, err := m.PauseIdle(context.Background()); err != nil || n != 1 {
		t.Fatalf("pause idle: %d %v", n, err)
	}
	got, _ := m.Get(context.Background(), clientOf(t, alice, srv), id)
	if got.State != sessions.StatePaused {
		t.Fatalf("state %s, want paused", got.State)
	}
	conn := dialTerminal(t, srv, alice, id, "node1")
	defer conn.Close()
	_ = conn.WriteMessage(websocket.BinaryMessage, []byte("hostname\n"))
	readUntil(t, conn, "node1\r\n")
	// Paused again with the terminal open but idle, typing wakes it.
	time.Sleep(time.Millisecond)
	if n, _ := m.PauseIdle(context.Background()); n != 1 {
		t.Fatal("an idle session with an open terminal was not paused")
	}
	_ = conn.WriteMessage(websocket.BinaryMessage, []byte("echo back\n"))
	readUntil(t, conn, "back\r\n")
	alice.waitReady(id)
}

func clientOf(t *testing.T, c *client, srv *httptest.Server) string {
	for _, ck := range c.http.Jar.Cookies(mustURL(srv.URL)) {
		if ck.Name == clientCookie {
			return strings.SplitN(ck.Value, ".", 2)[0]
		}
	}
	t.Fatal("no client cookie")
	return ""
}

func dialTerminal(t *testing.T, srv *httptest.Server, c *client, id, node string) *websocket.Conn {
	t.Helper()
	u := "ws" + strings.TrimPrefix(srv.URL, "http") + "/api/sessions/" + id + "/nodes/" + node + "/terminal"
	hdr := http.Header{}
	for _, ck := range c.http.Jar.Cookies(mustURL(srv.URL)) {
		hdr.Add("Cookie", ck.Name+"="+ck.Value)
	}
	conn, resp, err := websocket.DefaultDialer.Dial(u, hdr)
	if err != nil {
		t.Fatalf("dial: %v %v", err, resp)
	}
	return conn
}

// readUntil reads a terminal's output until want, and returns all of it.
func readUntil(t *testing.T, conn *websocket.Conn, want string) []byte {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var out []byte
	for !bytes.Contains(out, []byte(want)) {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("read: %v (so far %q)", err, out)
		}
		if kind == websocket.BinaryMessage {
			out = append(out, data...)
		}
	}
	return out
}
