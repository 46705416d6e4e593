// Package server is kubeplay's HTTP front: health, readiness and metrics, the web UI, and the
// playground API (sessions and terminals). On start it makes sure the offline node images exist —
// building them the first time, with progress on the page — and then starts the playground.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// ImagePreparer makes sure the node image exists, writing progress lines as it goes.
type ImagePreparer interface {
	Prepare(ctx context.Context, progress func(line string)) (ref string, err error)
}

// Server serves kubeplay's HTTP endpoints.
type Server struct {
	Addr     string
	Listener net.Listener // optional: serve here instead of listening on Addr
	Images   ImagePreparer
	Log      *slog.Logger
	// Web is the built frontend (index.html, assets/); nil serves a plain status page.
	Web     fs.FS
	Metrics *Metrics
	// Start runs once the node image is ready: it builds the playground (adopting what an earlier
	// run left) and starts its background work under ctx.
	Start func(ctx context.Context, image string) (*Playground, error)

	mu       sync.Mutex
	lines    []string
	imageRef string
	imageErr error
	startErr error // the playground's last failed start
	pg       *Playground
	pgMux    *http.ServeMux
}

// Status is what /readyz and the page report.
type Status struct {
	Ready    bool     `json:"ready"`
	Image    string   `json:"image,omitempty"`
	Error    string   `json:"error,omitempty"`
	Progress []string `json:"progress"`
}

func (s *Server) status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{Ready: s.imageRef != "" && (s.Start == nil || s.pg != nil), Image: s.imageRef, Progress: append([]string(nil), s.lines...)}
	if s.imageErr != nil {
		st.Error = s.imageErr.Error()
	}
	if s.startErr != nil {
		st.Error = "the playground did not start (retrying): " + s.startErr.Error()
	}
	return st
}

func (s *Server) progress(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines = append(s.lines, line)
	if len(s.lines) > 200 {
		s.lines = s.lines[len(s.lines)-200:]
	}
}

// Handler returns the HTTP routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		st := s.status()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !st.Ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(st)
	})
	if s.Metrics != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{}))
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		pm, started := s.pgMux, s.startErr == nil
		s.mu.Unlock()
		if pm == nil {
			err := errNotReady
			if !started {
				err = errNotStarted
			}
			(&Playground{Log: s.Log}).apiError(w, r, err)
			return
		}
		pm.ServeHTTP(w, r)
	})
	if s.Web != nil {
		index := func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFileFS(w, r, s.Web, "index.html")
		}
		mux.HandleFunc("GET /{$}", index)
		mux.HandleFunc("GET /s/{id}", index)
		mux.HandleFunc("GET /join", index)
		mux.HandleFunc("GET /teach", index)
		mux.HandleFunc("GET /teach/{id}", index)
		assets := http.FileServerFS(s.Web)
		mux.Handle("GET /assets/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Has("v") { // index.html names assets by content hash: they never change
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				w.Header().Set("Cache-Control", "no-cache")
			}
			assets.ServeHTTP(w, r)
		}))
	} else {
		mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_ = page.Execute(w, s.status())
		})
	}
	return securityHeaders(mux)
}

// securityHeaders keeps the pages from being framed or sniffed.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>kubeplay</title>
{{if not .Ready}}{{if not .Error}}<meta http-equiv="refresh" content="5">{{end}}{{end}}
<style>body{font-family:system-ui,"Apple SD Gothic Neo","Noto Sans KR","Malgun Gothic",sans-serif;max-width:60em;margin:2em auto;padding:0 1em}
pre{background:#111;color:#ddd;padding:1em;overflow:auto;max-height:60vh}</style></head>
<body><h1>kubeplay</h1>
{{if .Ready}}<p>노드 이미지 준비 완료 / node image ready: <code>{{.Image}}</code></p>
{{else if .Error}}<p>이미지를 만들지 못했습니다 / the images could not be built:</p><pre>{{.Error}}</pre>
{{else}}<p>Kubernetes 노드 이미지를 이 컴퓨터에서 만드는 중입니다 (처음에는 30분 정도 걸립니다).<br>
Building the Kubernetes node image on this machine (about 30 minutes the first time).</p>{{end}}
{{if .Progress}}<pre>{{range .Progress}}{{.}}
{{end}}</pre>{{end}}
</body></html>
`))

// Run prepares the images in the background, then starts the playground, and serves until ctx ends.
func (s *Server) Run(ctx context.Context) error {
	ln := s.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", s.Addr); err != nil {
			return err
		}
	}
	s.Log.Info("listening", "addr", ln.Addr().String())
	go s.prepare(ctx)
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *Server) prepare(ctx context.Context) {
	ref, err := s.Images.Prepare(ctx, func(line string) {
		s.progress(line)
		s.Log.Info("image build", "progress", strings.TrimSpace(line))
	})
	s.mu.Lock()
	s.imageRef, s.imageErr = ref, err
	s.mu.Unlock()
	if err != nil {
		s.Log.Error("image build failed", "err", err)
		return
	}
	s.Log.Info("node image ready", "image", ref)
	if s.Start == nil {
		return
	}
	// The playground needs the engine: if it does not answer yet, keep trying (the page says so).
	var pg *Playground
	for delay := 2 * time.Second; ; delay = min(2*delay, time.Minute) {
		pg, err = s.Start(ctx, ref)
		if err == nil {
			break
		}
		s.mu.Lock()
		s.startErr = err
		s.mu.Unlock()
		s.Log.Error("the playground did not start; retrying", "err", err, "in", delay)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
	}
	s.mu.Lock()
	s.startErr = nil
	s.mu.Unlock()
	mux := http.NewServeMux()
	pg.Register(mux)
	s.mu.Lock()
	s.pg, s.pgMux = pg, mux
	s.mu.Unlock()
	s.Log.Info("playground ready")
}
