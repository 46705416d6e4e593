package terminal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func serveStream(t *testing.T, s *Stream, opts ServeOptions) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := opts
		o.ReadOnly = o.ReadOnly || r.URL.Query().Get("ro") == "1"
		_ = Serve(w, r, s, o)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func dial(t *testing.T, srv *httptest.Server, query string, origin string) (*websocket.Conn, controlMsg) {
	t.Helper()
	u := "ws" + strings.TrimPrefix(srv.URL, "http") + "/?" + query
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	c, resp, err := websocket.DefaultDialer.Dial(u, h)
	if err != nil {
		code := 0
		if resp != nil {
			code = resp.StatusCode
		}
		t.Fatalf("dial: %v (%d)", err, code)
	}
	t.Cleanup(func() { c.Close() })
	kind, data, err := c.ReadMessage()
	if err != nil || kind != websocket.TextMessage {
		t.Fatalf("hello: %v %d", err, kind)
	}
	var hello controlMsg
	_ = json.Unmarshal(data, &hello)
	if hello.Type != "hello" {
		t.Fatalf("first message %s", data)
	}
	return c, hello
}

// readOutput reads binary frames until want bytes came, skipping control frames.
func readOutput(t *testing.T, c *websocket.Conn, want int) ([]byte, []controlMsg) {
	t.Helper()
	var out []byte
	var ctl []controlMsg
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for len(out) < want {
		kind, data, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("after %d of %d bytes: %v", len(out), want, err)
		}
		if kind == websocket.BinaryMessage {
			out = append(out, data...)
		} else {
			var m controlMsg
			_ = json.Unmarshal(data, &m)
			ctl = append(ctl, m)
		}
	}
	return out, ctl
}

func TestWebsocketReconnectSince(t *testing.T) {
	var all bytes.Buffer
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&all, "줄 %d\n", i)
	}
	f := newFake(append([]byte(nil), all.Bytes()...), 500, true)
	f.pace = 100 * time.Microsecond
	s := New(func(_ ctxT, _, _ uint16) (TTY, error) { return f, nil }, Options{NoRestart: true})
	defer s.Close()
	srv := serveStream(t, s, ServeOptions{})
	c, hello := dial(t, srv, "", "")
	first, _ := readOutput(t, c, 3000)
	c.Close() // the connection drops
	seq := hello.Seq + uint64(len(first))
	waitFor(t, "all output", func() bool { return s.Seq() == uint64(all.Len()) })
	c2, hello2 := dial(t, srv, fmt.Sprintf("since=%d&stream=%s", seq, hello.Stream), "")
	if hello2.Seq != seq || hello2.Stream != hello.Stream || hello.Stream == "" {
		t.Fatalf("replay starts at %d, want %d", hello2.Seq, seq)
	}
	rest, _ := readOutput(t, c2, all.Len()-len(first))
	if got := append(first, rest...); !bytes.Equal(got, all.Bytes()) {
		t.Fatalf("after reconnect: %d bytes, want %d", len(got), all.Len())
	}
	waitFor(t, "the dropped connection to be cleaned up", func() bool { return s.Viewers() == 1 })
	c2.Close()
	waitFor(t, "the closed connection to be cleaned up", func() bool { return s.Viewers() == 0 })

	// After a server restart the stream is another: the old sequence number is ignored and the new
	// stream is replayed from its start.
	f3 := newFake([]byte("새 셸 $ "), 500, true)
	s3 := New(func(_ ctxT, _, _ uint16) (TTY, error) { return f3, nil }, Options{NoRestart: true})
	defer s3.Close()
	waitFor(t, "the new shell's prompt", func() bool { return s3.Seq() == uint64(len("새 셸 $ ")) })
	c3, hello3 := dial(t, serveStream(t, s3, ServeOptions{}), fmt.Sprintf("since=%d&stream=%s", seq, hello.Stream), "")
	if hello3.Stream == hello.Stream || hello3.Seq != 0 {
		t.Fatalf("another stream: hello %+v", hello3)
	}
	if out, _ := readOutput(t, c3, len("새 셸 $ ")); string(out) != "새 셸 $ " {
		t.Errorf("the new stream's replay: %q", out)
	}
}

func TestWebsocketReadOnlyAndOrigin(t *testing.T) {
	f := newFake(nil, 1, true)
	s := New(func(_ ctxT, _, _ uint16) (TTY, error) { return f, nil }, Options{NoRestart: true})
	defer s.Close()
	waitFor(t, "start", func() bool { return s.State().Kind == "started" })
	srv := serveStream(t, s, ServeOptions{AllowedOrigins: []string{"https://class.example"}})

	ro, hello := dial(t, srv, "ro=1", "")
	if !hello.ReadOnly {
		t.Error("hello does not say read-only")
	}
	_ = ro.WriteMessage(websocket.BinaryMessage, []byte("whoami\n"))
	_ = ro.SetReadDeadline(time.Now().Add(5 * time.Second))
	gotErr := false
	for i := 0; i < 5 && !gotErr; i++ {
		_, data, err := ro.ReadMessage()
		if err != nil {
			break
		}
		gotErr = strings.Contains(string(data), `"read-only"`)
	}
	if !gotErr {
		t.Error("a read-only viewer typing is not told it cannot")
	}
	rw, _ := dial(t, srv, "", "https://class.example")
	_ = rw.WriteMessage(websocket.BinaryMessage, []byte("ls\n"))
	_ = rw.WriteMessage(websocket.TextMessage, []byte(`{"type":"resize","rows":33,"cols":99}`))
	waitFor(t, "input and resize", func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.in.String() == "ls\n" && f.rows == 33 && f.cols == 99
	})

	u := "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
	_, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Origin": []string{"https://evil.example"}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("a foreign origin was let in: %v", err)
	}
}

// Done ends the connection with the reason "ended" (a viewer whose right to watch was taken away).
func TestWebsocketDoneEndsTheConnection(t *testing.T) {
	f := newFake(nil, 1, true)
	s := New(func(_ ctxT, _, _ uint16) (TTY, error) { return f, nil }, Options{NoRestart: true})
	defer s.Close()
	done := make(chan struct{})
	srv := serveStream(t, s, ServeOptions{ReadOnly: true, Done: done})
	c, _ := dial(t, srv, "", "")
	close(done)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := c.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Text != "ended" {
			t.Fatalf("the connection ended with %v, want the reason ended", err)
		}
		return
	}
}

func TestWebsocketPasteOneMiBIntoARealPTY(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "paste")
	script := fmt.Sprintf(`stty raw -echo; printf 'ready\n'; head -c 1048576 > %s; printf 'done\n'; sleep 30`, dst)
	s := New(LocalCommand(nil, "sh", "-c", script), Options{NoRestart: true})
	defer s.Close()
	srv := serveStream(t, s, ServeOptions{})
	c, _ := dial(t, srv, "", "")
	readOutput(t, c, len("ready\n"))
	paste := bytes.Repeat([]byte("kubectl get pods # 파드\n"), 1<<20/len("kubectl get pods # 파드\n")+1)[:1<<20]
	if err := c.WriteMessage(websocket.BinaryMessage, paste); err != nil {
		t.Fatal(err)
	}
	out, _ := readOutput(t, c, len("done\n"))
	if !strings.Contains(string(out), "done") {
		t.Fatalf("output %q", out)
	}
	got, _ := os.ReadFile(dst)
	if !bytes.Equal(got, paste) {
		t.Fatalf("pasted %d bytes, the program got %d (or different ones)", len(paste), len(got))
	}
}
