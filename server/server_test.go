package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

type imagesReady string

func (i imagesReady) Prepare(ctx context.Context, progress func(string)) (string, error) {
	progress("[11/11] node cached")
	return string(i), nil
}

// The playground needs the engine; if it does not answer at start, the server says so and retries.
func TestPlaygroundStartIsRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var tries atomic.Int32
	s := &Server{Listener: ln, Images: imagesReady("kubeplay/node:x"), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Start: func(ctx context.Context, image string) (*Playground, error) {
			if tries.Add(1) == 1 {
				return nil, errors.New("docker does not answer")
			}
			return &Playground{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, nil
		}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = s.Run(ctx) }()
	base := "http://" + ln.Addr().String()
	sawError := false
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			var st Status
			_ = json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if strings.Contains(st.Error, "docker does not answer") {
				sawError = true
				req, _ := http.NewRequest("GET", base+"/api/labs", nil)
				req.Header.Set("Accept-Language", "en")
				if r2, err := http.DefaultClient.Do(req); err == nil {
					var m map[string]string
					_ = json.NewDecoder(r2.Body).Decode(&m)
					r2.Body.Close()
					if r2.StatusCode != 503 || m["error"] != "not-started" {
						t.Errorf("api while not started: %d %v", r2.StatusCode, m)
					}
				}
			}
			if st.Ready {
				if !sawError {
					t.Error("the failed start was never reported")
				}
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("not ready after a retried start (tries %d)", tries.Load())
}
