// Package e2e runs the kubeplay binary for real — its own image build (cached), the local Docker
// engine, kind clusters — and drives it as a student would: through the HTTP API and terminal
// websockets, and through a headless Chromium.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kubeplay/kubeplay/provisioner/local"
	"github.com/kubeplay/kubeplay/tests/testenv"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// kubeplayBinary builds cmd/kubeplay once per test run.
func kubeplayBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kubeplay-e2e-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "kubeplay")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/kubeplay")
		cmd.Dir = testenv.RepoRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// syncBuffer is a log buffer safe to read while the server writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// server is one run of `kubeplay serve`.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	URL  string
	Data string
	log  *syncBuffer
	done chan struct{}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs kubeplay serve on a free loopback port with data in dir, and waits until it is
// ready (images found, earlier clusters adopted, pool started).
func startServer(t *testing.T, dir string, args ...string) *server {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(kubeplayBinary(t), append([]string{"serve", "--addr", addr, "--data", dir}, args...)...)
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return watchServer(t, cmd, "http://"+addr, dir, log)
}

// watchServer follows a started kubeplay serve (stopped at the test's end) until it is ready.
func watchServer(t *testing.T, cmd *exec.Cmd, url, dir string, log *syncBuffer) *server {
	t.Helper()
	s := &server{t: t, cmd: cmd, URL: url, Data: dir, log: log, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	t.Cleanup(s.stop)
	deadline := time.Now().Add(5 * time.Minute)
	for {
		resp, err := http.Get(s.URL + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
			if strings.Contains(string(body), `"error"`) {
				t.Fatalf("server not ready: %s\nlog:\n%s", body, log)
			}
		}
		select {
		case <-s.done:
			t.Fatalf("kubeplay serve exited: %v\n%s", cmd.ProcessState, log)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready after 5 min\n%s", log)
		}
	}
}

// stop ends the server as an init system would (SIGTERM) and waits for it.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
	if s.t.Failed() {
		s.t.Logf("server log (%s):\n%s", s.URL, s.log)
	}
}

// metric reads one sample from /metrics, e.g. `kubeplay_pool_clusters{shape="kind-1"}`.
func (s *server) metric(name string) (float64, bool) {
	resp, err := http.Get(s.URL + "/metrics")
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, l := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(l, name+" ") {
			var v float64
			if _, err := fmt.Sscan(strings.TrimPrefix(l, name+" "), &v); err == nil {
				return v, true
			}
		}
	}
	return 0, false
}

// waitMetric waits until a metric reaches want.
func (s *server) waitMetric(name string, want float64, timeout time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if v, ok := s.metric(name); ok && v >= want {
			return
		}
		time.Sleep(time.Second)
	}
	v, _ := s.metric(name)
	s.t.Fatalf("%s = %v after %s, want %v\n%s", name, v, timeout, want, s.log)
}

// student is a browser without a browser: a cookie jar and the API.
type student struct {
	t    *testing.T
	http *http.Client
	lang string
}

func newStudent(t *testing.T, lang string) *student {
	jar, _ := cookiejar.New(nil)
	return &student{t: t, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}, lang: lang}
}

func (c *student) do(s *server, method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL+path, rd)
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

func (c *student) waitReady(s *server, id string, timeout time.Duration) map[string]any {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	var m map[string]any
	for time.Now().Before(deadline) {
		var code int
		code, m = c.do(s, "GET", "/api/sessions/"+id, nil)
		if code != 200 {
			c.t.Fatalf("session %s: %d %v", id, code, m)
		}
		switch m["state"] {
		case "ready":
			return m
		case "failed":
			c.t.Fatalf("session failed: %v\n%s", m, s.log)
		}
		time.Sleep(250 * time.Millisecond)
	}
	c.t.Fatalf("session %s not ready after %s: %v", id, timeout, m)
	return nil
}

// terminal opens a node's terminal websocket as this student.
func (c *student) terminal(s *server, id, node string) *websocket.Conn {
	c.t.Helper()
	u := "ws" + strings.TrimPrefix(s.URL, "http") + "/api/sessions/" + id + "/nodes/" + node + "/terminal"
	hdr := http.Header{"Origin": {s.URL}}
	for _, ck := range c.http.Jar.Cookies(mustURL(s.URL)) {
		hdr.Add("Cookie", ck.Name+"="+ck.Value)
	}
	conn, resp, err := websocket.DefaultDialer.Dial(u, hdr)
	if err != nil {
		code := 0
		if resp != nil {
			code = resp.StatusCode
		}
		c.t.Fatalf("terminal %s: %v (%d)", node, err, code)
	}
	c.t.Cleanup(func() { conn.Close() })
	return conn
}

// run types a command and reads the terminal until want appears.
func run(t *testing.T, conn *websocket.Conn, cmd, want string, timeout time.Duration) string {
	t.Helper()
	if err := conn.WriteMessage(websocket.BinaryMessage, []byte(cmd+"\n")); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(timeout))
	var out []byte
	for !bytes.Contains(out, []byte(want)) {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("waiting for %q after %q: %v\n%s", want, cmd, err, out)
		}
		if kind == websocket.BinaryMessage {
			out = append(out, data...)
		}
	}
	return string(out)
}

// clusters lists the clusters on the engine, by id.
func clusters(t *testing.T) map[string]bool {
	t.Helper()
	p, err := local.New(local.Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	list, err := p.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, c := range list {
		out[c.ID] = true
	}
	return out
}

// removeNewClusters deletes, at the end of a test, the clusters it made (those not there before).
func removeNewClusters(t *testing.T) {
	before := clusters(t)
	t.Cleanup(func() {
		p, err := local.New(local.Options{StateDir: os.TempDir()})
		if err != nil {
			return
		}
		defer p.Close()
		list, _ := p.List(context.Background())
		for _, c := range list {
			if !before[c.ID] {
				_ = p.Delete(context.Background(), c.ID)
			}
		}
	})
}
