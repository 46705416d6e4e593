package server

import (
	"bufio"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// BenchmarkClass30Students: a class of 30 seats on the fake provisioner; 30 simulated students join,
// each with a terminal open that runs a command, and the instructor's grid listens to the events.
// Reports the server's heap with all of them connected, and the time from a student's passing
// check to the instructor's event (grid-ms: the latency of the live grid, minus the page's fetch).
//
//	go test -run '^$' -bench Class30Students -benchtime 1x ./server
func BenchmarkClass30Students(b *testing.B) {
	for i := 0; i < b.N; i++ {
		benchClass(b, 30)
	}
}

func benchClass(b *testing.B, seats int) {
	w, _ := newClassWorld(b)
	teacher := newClient(b, w.srv, "ko")
	teacher.do("POST", "/api/instructor/login", map[string]string{"secret": "s3cret"})
	_, class := teacher.do("POST", "/api/classes", map[string]any{"lab": "hello", "seats": seats, "minutes": 60, "lang": "ko"})
	id, code := class["id"].(string), class["code"].(string)

	req, _ := http.NewRequest("GET", w.srv.URL+"/api/classes/"+id+"/events", nil)
	resp, err := teacher.http.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	progress := make(chan time.Time, 1000)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if sc.Text() == "event: progress" {
				progress <- time.Now()
			}
		}
	}()

	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var conns []*websocket.Conn
	var students []*client
	for n := 0; n < seats; n++ {
		st := newClient(b, w.srv, "ko")
		var sid string
		deadline := time.Now().Add(30 * time.Second)
		for sid == "" {
			_, j := st.do("POST", "/api/join", map[string]string{"code": code, "name": fmt.Sprintf("학생 %d", n+1)})
			sid, _ = j["session"].(string)
			if sid != "" {
				if _, s := st.do("GET", "/api/sessions/"+sid, nil); s["state"] != "ready" {
					sid = ""
				}
			}
			if time.Now().After(deadline) {
				b.Fatalf("student %d has no ready seat: %v", n+1, j)
			}
			if sid == "" {
				time.Sleep(5 * time.Millisecond)
			}
		}
		_, s := st.do("GET", "/api/sessions/"+sid, nil)
		node := s["nodes"].([]any)[0].(map[string]any)["name"].(string)
		hdr := http.Header{}
		for _, c := range st.http.Jar.Cookies(mustParse(w.srv.URL)) {
			hdr.Add("Cookie", c.Name+"="+c.Value)
		}
		conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(w.srv.URL, "http")+"/api/sessions/"+sid+"/nodes/"+node+"/terminal", hdr)
		if err != nil {
			b.Fatal(err)
		}
		if err := conn.WriteMessage(websocket.BinaryMessage, []byte("echo hi\n")); err != nil {
			b.Fatal(err)
		}
		go func() {
			for {
				if _, _, err := conn.ReadMessage(); err != nil {
					return
				}
			}
		}()
		conns = append(conns, conn)
		students = append(students, st)
		st.sid = sid
	}
	time.Sleep(200 * time.Millisecond)
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(int64(after.HeapInuse)-int64(before.HeapInuse))/(1<<10)/float64(seats), "KiB/student")

	// Grid latency: each student's passing check, to the instructor's event.
	w.set(0, "ok")
	var total time.Duration
	for _, st := range students {
		for len(progress) > 0 {
			<-progress
		}
		start := time.Now()
		if code, m := st.do("POST", "/api/sessions/"+st.sid+"/lesson/steps/1/check", nil); code != 200 {
			b.Fatalf("check: %d %v", code, m)
		}
		select {
		case at := <-progress:
			total += at.Sub(start)
		case <-time.After(5 * time.Second):
			b.Fatal("no progress event")
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(len(students)), "check-to-event-ms")
	for _, c := range conns {
		c.Close()
	}
}
