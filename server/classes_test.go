package server

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kubeplay/kubeplay/classroom"
	"github.com/kubeplay/kubeplay/provisioner"
)

// classWorld is the lesson world with classes: an instructor and students over HTTP.
func newClassWorld(t testing.TB) (*lessonWorld, *classroom.Manager) {
	w := newLessonWorld(t)
	pg := w.pg
	m := classroom.New(classroom.NewMemStore(), pg.Sessions, w.progress, classroom.Config{Concurrency: 1}, nil, pg.Log)
	pg.Classes = &Classes{Manager: m, Secret: "s3cret"}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go m.Run(ctx, 20*time.Millisecond)
	return w, m
}

// countingProv counts the engine lookups the grid makes.
type countingProv struct {
	provisioner.Provisioner
	gets atomic.Int32
}

func (c *countingProv) Get(ctx context.Context, id string) (*provisioner.Cluster, error) {
	c.gets.Add(1)
	return c.Provisioner.Get(ctx, id)
}

func TestClassAPI(t *testing.T) {
	w, _ := newClassWorld(t)
	prov := &countingProv{Provisioner: w.pg.Prov}
	w.pg.Prov = prov
	teacher := newClient(t, w.srv, "ko")
	student := newClient(t, w.srv, "en")

	// Nothing for someone who is not signed in, in their language.
	if code, m := teacher.do("GET", "/api/classes", nil); code != http.StatusUnauthorized || !strings.Contains(toJSON(m), "강사 로그인") {
		t.Fatalf("classes without sign-in: %d %v", code, m)
	}
	if code, m := teacher.do("POST", "/api/instructor/login", map[string]string{"secret": "guess"}); code != http.StatusUnauthorized || m["error"] != "instructor-secret" {
		t.Fatalf("wrong secret: %d %v", code, m)
	}
	if code, m := teacher.do("POST", "/api/instructor/login", map[string]string{"secret": "s3cret"}); code != 200 {
		t.Fatalf("sign-in: %d %v", code, m)
	}
	if code, m := teacher.do("POST", "/api/classes", map[string]any{"lab": "hello", "seats": 0, "minutes": 60, "lang": "ko"}); code != http.StatusBadRequest || m["error"] != "class-invalid" {
		t.Fatalf("0 seats: %d %v", code, m)
	}
	if code, m := teacher.do("POST", "/api/classes", map[string]any{"lab": "nope", "seats": 2, "minutes": 60, "lang": "ko"}); code != http.StatusBadRequest || m["error"] != "unknown-lab" {
		t.Fatalf("unknown lab: %d %v", code, m)
	}
	code, class := teacher.do("POST", "/api/classes", map[string]any{"title": "3주차", "lab": "hello", "seats": 2, "minutes": 60, "lang": "ko"})
	if code != http.StatusCreated || len(class["code"].(string)) != 6 || !strings.HasSuffix(class["joinUrl"].(string), "/join?code="+class["code"].(string)) {
		t.Fatalf("create: %d %v", code, class)
	}
	id := class["id"].(string)

	// The student cannot see the instructor's pages.
	if code, _ := student.do("GET", "/api/classes/"+id, nil); code != http.StatusUnauthorized {
		t.Fatalf("a student read the grid: %d", code)
	}
	// Events: the grid hears about the seats being made and the student's check.
	req, _ := http.NewRequest("GET", w.srv.URL+"/api/classes/"+id+"/events", nil)
	resp, err := teacher.http.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("events: %v %v", err, resp)
	}
	defer resp.Body.Close()
	events := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "event: ") {
				events <- strings.TrimPrefix(sc.Text(), "event: ")
			}
		}
		close(events)
	}()

	// Both seats get clusters, one after the other, paused until a student takes them.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, grid := teacher.do("GET", "/api/classes/"+id, nil)
		seats := grid["seats"].([]any)
		ready := 0
		for _, s := range seats {
			if s.(map[string]any)["state"] == "paused" {
				ready++
			}
		}
		if ready == 2 {
			if steps := grid["steps"].([]any); len(steps) == 0 {
				t.Fatalf("grid without steps: %v", grid)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("seats not ready: %v", grid)
		}
		time.Sleep(20 * time.Millisecond)
	}

	if code, m := student.do("POST", "/api/join", map[string]string{"code": "ZZZZZZ", "name": "Kim"}); code != http.StatusNotFound || !strings.Contains(m["message"].(string), "join code") {
		t.Fatalf("unknown code: %d %v", code, m)
	}
	code, joined := student.do("POST", "/api/join", map[string]string{"code": strings.ToLower(class["code"].(string)), "name": "Kim"})
	if code != 200 || joined["session"] == "" || joined["seat"].(float64) != 1 {
		t.Fatalf("join: %d %v", code, joined)
	}
	sid := joined["session"].(string)
	// The seat's session is the student's now: the session API opens (and wakes) it for them only.
	if code, m := student.do("GET", "/api/sessions/"+sid, nil); code != 200 {
		t.Fatalf("student's session: %d %v", code, m)
	}
	student.waitReady(sid)
	if code, _ := teacher.do("GET", "/api/sessions/"+sid, nil); code != http.StatusNotFound {
		t.Fatalf("the instructor opened the student's session as their own: %d", code)
	}
	if code, again := student.do("POST", "/api/join", map[string]string{"code": class["code"].(string)}); code != 200 || again["session"] != sid {
		t.Fatalf("joining again: %d %v", code, again)
	}

	// A passing check shows in the grid.
	w.set(0, "ok")
	if code, m := student.do("POST", "/api/sessions/"+sid+"/lesson/steps/1/check", nil); code != 200 || m["state"] != "passed" {
		t.Fatalf("check: %d %v", code, m)
	}
	waitEvent(t, events, "progress")
	_, grid := teacher.do("GET", "/api/classes/"+id, nil)
	seat1 := grid["seats"].([]any)[0].(map[string]any)
	if seat1["state"] != "ready" {
		t.Fatalf("the student's seat is not ready in the grid: %v", seat1)
	}
	if seat1["name"] != "Kim" || !strings.Contains(toJSON(seat1["steps"]), `"done":true`) {
		t.Fatalf("grid after the check: %v", seat1)
	}
	// The grid names the nodes (host names for the watch tabs) and asks the engine once per cluster.
	if nodes, _ := seat1["nodes"].([]any); len(nodes) == 0 || nodes[0].(map[string]any)["hostname"] == "" {
		t.Fatalf("the seat's nodes in the grid: %v", seat1["nodes"])
	}
	gets := prov.gets.Load()
	for i := 0; i < 3; i++ {
		teacher.do("GET", "/api/classes/"+id, nil)
	}
	if n := prov.gets.Load() - gets; n != 0 {
		t.Errorf("3 grid reloads asked the engine for clusters %d times", n)
	}

	// The instructor watches the student's terminal; it is read-only.
	wsURL := "ws" + strings.TrimPrefix(w.srv.URL, "http") + "/api/classes/" + id + "/seats/1/nodes/" + firstNode(t, grid) + "/terminal"
	hdr := http.Header{}
	for _, c := range teacher.http.Jar.Cookies(mustParse(w.srv.URL)) {
		hdr.Add("Cookie", c.Name+"="+c.Value)
	}
	conn, resp2, err := websocket.DefaultDialer.Dial(wsURL, hdr)
	if err != nil {
		body := ""
		if resp2 != nil {
			b, _ := io.ReadAll(resp2.Body)
			body = string(b)
		}
		t.Fatalf("watch: %v %s", err, body)
	}
	conn.Close()
	if _, resp3, err := websocket.DefaultDialer.Dial(wsURL, nil); err == nil || resp3.StatusCode != http.StatusUnauthorized {
		t.Fatalf("watching without sign-in: %v", err)
	}

	// Reset: a new session for the seat, still the student's.
	if code, m := teacher.do("POST", "/api/classes/"+id+"/seats/1/reset", map[string]bool{"keepProgress": true}); code != 200 || m["session"] == sid {
		t.Fatalf("reset: %d %v", code, m)
	}
	if code, _ := student.do("GET", "/api/sessions/"+sid, nil); code != http.StatusNotFound {
		t.Fatalf("the old session after a reset: %d", code)
	}
	if code, again := student.do("POST", "/api/join", map[string]string{"code": class["code"].(string)}); code != 200 || again["session"] == sid || again["seat"].(float64) != 1 {
		t.Fatalf("joining after the reset: %d %v", code, again)
	}

	// CSV, extend, end.
	reqCSV, _ := http.NewRequest("GET", w.srv.URL+"/api/classes/"+id+"/results.csv", nil)
	respCSV, err := teacher.http.Do(reqCSV)
	if err != nil {
		t.Fatal(err)
	}
	csv, _ := io.ReadAll(respCSV.Body)
	respCSV.Body.Close()
	if !strings.Contains(string(csv), "seat,name,joined,step1") || !strings.Contains(string(csv), ",1,Kim,") {
		t.Fatalf("csv:\n%s", csv)
	}
	if code, m := teacher.do("POST", "/api/classes/"+id+"/extend", map[string]int{"minutes": 30}); code != 200 || m["expires"] == class["expires"] {
		t.Fatalf("extend: %d %v", code, m)
	}
	if code, _ := teacher.do("DELETE", "/api/classes/"+id, nil); code != http.StatusNoContent {
		t.Fatalf("end: %d", code)
	}
	waitEvent(t, events, "ended")
	if code, m := student.do("POST", "/api/join", map[string]string{"code": class["code"].(string)}); code != http.StatusNotFound {
		t.Fatalf("join after the end: %d %v", code, m)
	}
	if code, m := teacher.do("GET", "/api/classes/"+id, nil); code != http.StatusNotFound || !strings.Contains(m["message"].(string), "수업") {
		t.Fatalf("grid after the end: %d %v", code, m)
	}
}

func waitEvent(t *testing.T, events <-chan string, kind string) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case e, ok := <-events:
			if !ok {
				t.Fatalf("event stream closed before %q", kind)
			}
			if e == kind {
				return
			}
		case <-timeout:
			t.Fatalf("no %q event", kind)
		}
	}
}

func firstNode(t *testing.T, grid map[string]any) string {
	for _, s := range grid["seats"].([]any) {
		if nodes, ok := s.(map[string]any)["nodes"].([]any); ok && len(nodes) > 0 {
			return nodes[0].(map[string]any)["name"].(string)
		}
	}
	t.Fatalf("no nodes in the grid: %v", grid)
	return ""
}

func mustParse(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
