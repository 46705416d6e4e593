// Package server is kubeplay's HTTP front: health and readiness, and the page a user sees. Today it
// prepares the offline images on start and shows their progress; the playground (sessions, terminals,
// lessons) is built on it next.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// ImagePreparer makes sure the node image exists, writing progress lines as it goes.
type ImagePreparer interface {
	Prepare(ctx context.Context, progress func(line string)) (ref string, err error)
}

// Server serves kubeplay's HTTP endpoints.
type Server struct {
	Addr   string
	Images ImagePreparer
	Log    *slog.Logger

	mu       sync.Mutex
	lines    []string
	imageRef string
	imageErr error
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
	st := Status{Ready: s.imageRef != "", Image: s.imageRef, Progress: append([]string(nil), s.lines...)}
	if s.imageErr != nil {
		st.Error = s.imageErr.Error()
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
		if !st.Ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(st)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = page.Execute(w, s.status())
	})
	return mux
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

// Run prepares the images in the background and serves until ctx ends.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return err
	}
	s.Log.Info("listening", "addr", ln.Addr().String())
	go func() {
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
	}()
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
