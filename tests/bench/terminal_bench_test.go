package bench

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kubeplay/kubeplay/terminal"
)

// terminalServer serves one stream (a local shell on a real PTY) over a loopback websocket.
func terminalServer(b *testing.B, st *terminal.Stream) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = terminal.Serve(w, r, st, terminal.ServeOptions{ReadOnly: r.URL.Query().Get("ro") == "1"})
	}))
	b.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
}

func dialWS(b *testing.B, u string) *websocket.Conn {
	c, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

// readUntil reads output frames until want has appeared, and returns how many bytes came.
func readUntil(b *testing.B, c *websocket.Conn, want []byte) int {
	var tail []byte
	n := 0
	_ = c.SetReadDeadline(time.Now().Add(60 * time.Second))
	for {
		kind, data, err := c.ReadMessage()
		if err != nil {
			b.Fatalf("read: %v", err)
		}
		if kind != websocket.BinaryMessage {
			continue
		}
		n += len(data)
		tail = append(tail, data...)
		if bytes.Contains(tail, want) {
			return n
		}
		if len(tail) > 4096 {
			tail = tail[len(tail)-4096:]
		}
	}
}

func percentile(d []time.Duration, p float64) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[int(float64(len(d)-1)*p)]
}

// BenchmarkTerminalEcho: one keystroke to its echo, browser-side websocket to a shell's PTY and back,
// on loopback. Reports p50 and p99.
func BenchmarkTerminalEcho(b *testing.B) {
	st := terminal.New(terminal.LocalCommand([]string{"PS1=$ "}, "sh"), terminal.Options{})
	defer st.Close()
	c := dialWS(b, terminalServer(b, st))
	readUntil(b, c, []byte("$ "))
	// cat echoes each key (the tty in raw mode echoes nothing else): one byte out, one byte back.
	_ = c.WriteMessage(websocket.BinaryMessage, []byte("stty raw -echo; echo READY-$((1+1)); exec cat\n"))
	readUntil(b, c, []byte("READY-2"))
	time.Sleep(100 * time.Millisecond) // cat is reading
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		key := []byte{byte('a' + i%26)}
		start := time.Now()
		if err := c.WriteMessage(websocket.BinaryMessage, key); err != nil {
			b.Fatal(err)
		}
		readUntil(b, c, key)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(lat, 0.5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
}

// BenchmarkTerminalThroughput: `cat` of a 50 MiB file in the shell, read by a websocket client.
func BenchmarkTerminalThroughput(b *testing.B) {
	dir := b.TempDir()
	f := filepath.Join(dir, "big.txt")
	line := strings.Repeat("kubeplay 쿠버네티스 터미널 ", 3) + "\n"
	var buf bytes.Buffer
	for buf.Len() < 50<<20 {
		buf.WriteString(line)
	}
	if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	st := terminal.New(terminal.LocalCommand([]string{"PS1=$ "}, "sh"), terminal.Options{})
	defer st.Close()
	c := dialWS(b, terminalServer(b, st))
	readUntil(b, c, []byte("$ "))
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = c.WriteMessage(websocket.BinaryMessage, []byte(fmt.Sprintf("cat %s; echo END-$((%d+1))\n", f, i)))
		readUntil(b, c, []byte(fmt.Sprintf("END-%d", i+1)))
	}
}

// BenchmarkTerminalViewers: 200 read-only viewers watch one terminal print 1 MiB; each must get all of it.
func BenchmarkTerminalViewers(b *testing.B) {
	const viewers = 200
	st := terminal.New(terminal.LocalCommand([]string{"PS1=$ "}, "sh"), terminal.Options{})
	defer st.Close()
	u := terminalServer(b, st)
	writer := dialWS(b, u)
	readUntil(b, writer, []byte("$ "))
	conns := make([]*websocket.Conn, viewers)
	for i := range conns {
		conns[i] = dialWS(b, u+"?ro=1")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		marker := []byte(fmt.Sprintf("DONE-%d-42", i)) // the command's echo says $((40+2)), not 42
		var wg sync.WaitGroup
		start := time.Now()
		short := make(chan int, viewers)
		for _, c := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if n := readUntil(b, c, marker); n < 1<<20 {
					short <- n
				}
			}()
		}
		cmd := fmt.Sprintf("head -c 1048576 /dev/zero | tr '\\0' k; echo; echo DONE-%d-$((40+2))\n", i)
		_ = writer.WriteMessage(websocket.BinaryMessage, []byte(cmd))
		wg.Wait()
		close(short)
		for n := range short {
			b.Fatalf("a viewer got only %d bytes", n)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s-all-200-got-1MiB")
	}
}
