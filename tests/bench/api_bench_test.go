package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/provisioner/fake"
	"github.com/kubeplay/kubeplay/server"
	"github.com/kubeplay/kubeplay/sessions"
	"github.com/kubeplay/kubeplay/store"
)

// BenchmarkAPIConcurrentClients: 50 browsers, each with its own cookie and session, poll their
// session (GET /api/sessions/{id}) at once against the server's handler with its SQLite store (the
// provisioner is the fake: this measures the server, not Docker). Reports p50/p99 per request.
func BenchmarkAPIConcurrentClients(b *testing.B) {
	const clients = 50
	dir := b.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(dir, "state.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	id, err := server.LoadIdentity(dir, false)
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	prov := fake.New()
	pg := &server.Playground{Prov: prov, Identity: id, Log: log, Catalog: server.Playgrounds{}}
	pg.Sessions = sessions.New(prov, db.Sessions(), sessions.Config{Image: "x", MaxPerClient: 2, MaxTotal: 100, OnEnd: pg.CloseStreams}, nil, log)
	mux := http.NewServeMux()
	pg.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	type browser struct {
		c  *http.Client
		id string
	}
	bs := make([]browser, clients)
	for i := range bs {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		resp, err := c.Post(srv.URL+"/api/sessions", "application/json", bytes.NewReader([]byte(`{"lab":"playground-kind-1"}`)))
		if err != nil {
			b.Fatal(err)
		}
		var v struct{ ID string }
		_ = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		if resp.StatusCode != 202 {
			b.Fatalf("create: %d", resp.StatusCode)
		}
		bs[i] = browser{c: c, id: v.ID}
	}
	var mu sync.Mutex
	var lat []time.Duration
	b.ResetTimer()
	var wg sync.WaitGroup
	per := b.N/clients + 1
	for _, br := range bs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, per)
			for k := 0; k < per; k++ {
				start := time.Now()
				resp, err := br.c.Get(srv.URL + "/api/sessions/" + br.id)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("get: %d", resp.StatusCode)
					return
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	b.StopTimer()
	if len(lat) > 0 {
		b.ReportMetric(float64(percentile(lat, 0.5).Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
	}
}
