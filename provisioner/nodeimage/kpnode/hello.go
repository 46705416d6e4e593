package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"
)

// runHello is the lessons' web app. It answers with its pod name, node and version, so that
// load balancing, rolling updates, rollbacks and blue/green switches can be seen with curl:
//
//	GET /         "Hello from <pod> on <node> (version v1)"
//	GET /healthz  liveness: always 200
//	GET /ready    readiness: 200, except in version v3, which never becomes ready
//	GET /burn?ms= spends that much CPU time (for the autoscaling lesson)
func runHello(args []string) error {
	fs := flag.NewFlagSet("hello", flag.ContinueOnError)
	version := fs.String("version", envOr("VERSION", "v1"), "version to report; v3 fails readiness")
	listen := fs.String("listen", envOr("LISTEN", ":8080"), "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _ := os.Hostname()
	pod := envOr("POD_NAME", host)
	node := envOr("NODE_NAME", "unknown")
	broken := *version == "v3"
	started := time.Now()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "Hello from %s on %s (version %s)\n", pod, node, *version)
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "ok (up %s)\n", time.Since(started).Round(time.Second))
	})
	mux.HandleFunc("/ready", func(w http.ResponseWriter, r *http.Request) {
		if broken {
			http.Error(w, "not ready: version v3 is broken on purpose", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.HandleFunc("/version", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, *version)
	})
	mux.HandleFunc("/burn", func(w http.ResponseWriter, r *http.Request) {
		ms, err := strconv.Atoi(r.URL.Query().Get("ms"))
		if err != nil || ms <= 0 || ms > 10000 {
			ms = 100
		}
		end := time.Now().Add(time.Duration(ms) * time.Millisecond)
		x := 0
		for time.Now().Before(end) {
			for i := 0; i < 10000; i++ {
				x += i * i
			}
		}
		fmt.Fprintf(w, "burned %d ms on %s (%d)\n", ms, pod, x%7)
	})
	if broken {
		log.Printf("hello %s: readiness fails on purpose", *version)
	}
	log.Printf("hello %s: pod %s on node %s listening on %s", *version, pod, node, *listen)
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
