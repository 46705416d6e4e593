package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// dialWS opens a websocket of the server as client c (its cookies); it answers the refusal's status.
func dialWS(t *testing.T, c *client, path string) (*websocket.Conn, int) {
	t.Helper()
	hdr := http.Header{}
	if c.http.Jar != nil {
		for _, ck := range c.http.Jar.Cookies(mustURL(c.base)) {
			hdr.Add("Cookie", ck.Name+"="+ck.Value)
		}
		hdr.Set("Accept-Language", c.lang)
	}
	base := "ws" + strings.TrimPrefix(c.base, "http")
	conn, resp, err := websocket.DefaultDialer.Dial(base+path, hdr)
	if err != nil {
		if resp == nil {
			t.Fatalf("dial %s: %v", path, err)
		}
		return nil, resp.StatusCode
	}
	t.Cleanup(func() { conn.Close() })
	return conn, http.StatusSwitchingProtocols
}

// readControl reads until a text frame containing want comes, and answers the output read meanwhile.
func readControl(t *testing.T, conn *websocket.Conn, want string) []byte {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var out []byte
	for {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("waiting for %s: %v (output %q)", want, err, out)
		}
		if kind == websocket.BinaryMessage {
			out = append(out, data...)
		} else if strings.Contains(string(data), want) {
			return out
		}
	}
}

func TestClassBroadcast(t *testing.T) {
	w, m := newClassWorld(t)
	teacher := newClient(t, w.srv, "ko")
	student := newClient(t, w.srv, "en")
	elsewhere := newClient(t, w.srv, "ko") // a student of another class
	stranger := newClient(t, w.srv, "en")  // in no class
	if code, m := teacher.do("POST", "/api/instructor/login", map[string]string{"secret": "s3cret"}); code != 200 {
		t.Fatalf("sign-in: %d %v", code, m)
	}
	_, class := teacher.do("POST", "/api/classes", map[string]any{"lab": "hello", "seats": 1, "minutes": 60, "lang": "ko"})
	_, other := teacher.do("POST", "/api/classes", map[string]any{"lab": "hello", "seats": 1, "minutes": 60, "lang": "ko"})
	id := class["id"].(string)

	// The instructor's own session, in the browser they signed in with; and a stranger's.
	_, mine := teacher.do("POST", "/api/sessions", map[string]string{"lab": "hello", "lang": "ko"})
	mine = teacher.waitReady(mine["id"].(string))
	node := mine["nodes"].([]any)[0].(map[string]any)
	_, theirs := stranger.do("POST", "/api/sessions", map[string]string{"lab": "hello", "lang": "en"})
	stranger.waitReady(theirs["id"].(string))

	events, cancel := m.Subscribe(id)
	defer cancel()
	path := "/api/classes/" + id + "/broadcast"
	if code, _ := student.do("PUT", path, map[string]string{"session": mine["id"].(string), "node": node["name"].(string)}); code != http.StatusUnauthorized {
		t.Fatalf("a student started a broadcast: %d", code)
	}
	if code, r := teacher.do("PUT", path, map[string]string{"session": theirs["id"].(string), "node": node["name"].(string)}); code != http.StatusNotFound || !strings.Contains(r["message"].(string), "세션을 찾을 수 없습니다") {
		t.Fatalf("the instructor showed another browser's session: %d %v", code, r)
	}
	if code, r := teacher.do("PUT", path, map[string]string{"session": mine["id"].(string), "node": "nope"}); code != http.StatusNotFound {
		t.Fatalf("an unknown node: %d %v", code, r)
	}
	code, r := teacher.do("PUT", path, map[string]string{"session": mine["id"].(string), "node": node["hostname"].(string)})
	b, _ := r["broadcast"].(map[string]any)
	if code != 200 || b["session"] != mine["id"] || b["node"] != node["name"] || b["hostname"] != node["hostname"] {
		t.Fatalf("start: %d %v", code, r)
	}
	if e := <-events; e.Kind != "broadcast" {
		t.Fatalf("event %+v", e)
	}
	if _, g := teacher.do("GET", "/api/classes/"+id, nil); g["class"].(map[string]any)["broadcast"] == nil {
		t.Fatalf("the grid does not say what the class is shown: %v", g["class"])
	}

	// The seat's student sees it in their session, without the instructor's session id.
	sid := joinReady(t, w, student, class["code"].(string))
	got := student.waitReady(sid)
	sb, _ := got["broadcast"].(map[string]any)
	if sb == nil || sb["node"] != node["name"] || sb["hostname"] != node["hostname"] || sb["session"] != nil {
		t.Fatalf("the student's session: %v", got)
	}
	otherSid := joinReady(t, w, elsewhere, other["code"].(string))
	if got := elsewhere.waitReady(otherSid); got["broadcast"] != nil {
		t.Fatalf("a student of another class is told: %v", got)
	}

	// Nobody outside the class watches: 404 in their language.
	watch := "/api/sessions/" + sid + "/broadcast/terminal"
	for name, c := range map[string]*client{"the other class's student": elsewhere, "a stranger": stranger, "the instructor": teacher} {
		if _, code := dialWS(t, c, watch); code != http.StatusNotFound {
			t.Errorf("%s watched: %d", name, code)
		}
	}
	if _, code := dialWS(t, elsewhere, "/api/sessions/"+otherSid+"/broadcast/terminal"); code != http.StatusNotFound {
		t.Errorf("the other class's student watched through their own seat: %d", code)
	}
	if _, code := dialWS(t, &client{base: w.srv.URL, http: &http.Client{}}, watch); code != http.StatusNotFound {
		t.Errorf("no cookie at all: %d", code)
	}
	if code, r := elsewhere.do("GET", "/api/sessions/"+otherSid+"/broadcast/terminal", nil); code != http.StatusNotFound || !strings.Contains(r["message"].(string), "강사가 보여 주는 화면이 없습니다") {
		t.Errorf("the other class's student is told: %d %v", code, r)
	}

	// The student sees what the instructor types; what the student types goes nowhere.
	own := dialTerminal(t, w.srv, teacher, mine["id"].(string), node["name"].(string))
	defer own.Close()
	seen, code := dialWS(t, student, watch)
	if code != http.StatusSwitchingProtocols {
		t.Fatalf("the student cannot watch: %d", code)
	}
	if !strings.Contains(string(readControlFrame(t, seen)), `"readOnly":true`) {
		t.Fatal("the student's socket is not read-only")
	}
	_ = own.WriteMessage(websocket.BinaryMessage, []byte("echo 여러분 안녕하세요\n"))
	readUntil(t, seen, "여러분 안녕하세요\r\n$ ")
	_ = seen.WriteMessage(websocket.BinaryMessage, []byte("echo hacked\n"))
	readControl(t, seen, `"read-only"`)
	_ = own.WriteMessage(websocket.BinaryMessage, []byte("echo after\n"))
	if out := readUntil(t, own, "after\r\n$ "); bytes.Contains(out, []byte("hacked")) {
		t.Fatalf("the student's input reached the instructor's terminal: %q", out)
	}

	// Stop: the student's socket ends, their session no longer says, and they cannot watch again.
	if code, _ := teacher.do("DELETE", path, nil); code != http.StatusNoContent {
		t.Fatalf("stop: %d", code)
	}
	waitClosed(t, seen, "ended")
	if got := student.waitReady(sid); got["broadcast"] != nil {
		t.Fatalf("after stop: %v", got["broadcast"])
	}
	if _, code := dialWS(t, student, watch); code != http.StatusNotFound {
		t.Fatalf("watching after stop: %d", code)
	}

	// The instructor's session ends: the broadcast goes with it.
	if code, _ := teacher.do("PUT", path, map[string]string{"session": mine["id"].(string), "node": node["name"].(string)}); code != 200 {
		t.Fatalf("start again: %d", code)
	}
	if code, _ := teacher.do("DELETE", "/api/sessions/"+mine["id"].(string), nil); code != http.StatusNoContent {
		t.Fatalf("end the instructor's session: %d", code)
	}
	if c, _ := m.Get(context.Background(), id); c.Broadcast.On() {
		t.Fatalf("the class is still shown an ended session: %+v", c.Broadcast)
	}
	if got := student.waitReady(sid); got["broadcast"] != nil {
		t.Fatalf("after the instructor's session ended: %v", got["broadcast"])
	}
}

// joinReady joins the class as c once its seat's cluster is made, and answers the seat's session.
func joinReady(t *testing.T, w *lessonWorld, c *client, code string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		status, j := c.do("POST", "/api/join", map[string]string{"code": code, "name": "Kim"})
		if status != 200 {
			t.Fatalf("join: %d %v", status, j)
		}
		if sid, _ := j["session"].(string); sid != "" {
			return sid
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the seat has no session")
	return ""
}

func readControlFrame(t *testing.T, conn *websocket.Conn) []byte {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		if kind == websocket.TextMessage {
			return data
		}
	}
}

func waitClosed(t *testing.T, conn *websocket.Conn, reason string) {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := conn.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Text != reason {
			t.Fatalf("closed with %v, want the reason %q", err, reason)
		}
		return
	}
}
