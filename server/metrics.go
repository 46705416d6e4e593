package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/kubeplay/kubeplay/sessions"
)

// Metrics are the server's Prometheus metrics, on a registry of their own.
type Metrics struct {
	Registry      *prometheus.Registry
	CreateSeconds *prometheus.HistogramVec
	TerminalsOpen prometheus.Gauge
	TerminalBytes *prometheus.CounterVec
	Checks        *prometheus.CounterVec
	CheckSeconds  prometheus.Histogram
}

// NewMetrics registers the metrics; sessions and pool sizes are read from m when scraped.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mt := &Metrics{
		Registry: reg,
		CreateSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kubeplay_session_ready_seconds",
			Help:    "Time from a session request to a usable cluster.",
			Buckets: []float64{1, 2, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300},
		}, []string{"source"}),
		TerminalsOpen: prometheus.NewGauge(prometheus.GaugeOpts{Name: "kubeplay_terminals_open", Help: "Terminal websocket connections open."}),
		TerminalBytes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kubeplay_terminal_bytes_total", Help: "Bytes through terminals."}, []string{"direction"}),
	}
	mt.Checks = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kubeplay_lesson_checks_total", Help: "Lesson step checks run, by outcome."}, []string{"result"})
	mt.CheckSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "kubeplay_lesson_check_seconds", Help: "How long lesson checks take.",
		Buckets: []float64{0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 20}})
	reg.MustRegister(mt.CreateSeconds, mt.TerminalsOpen, mt.TerminalBytes, mt.Checks, mt.CheckSeconds)
	return mt
}

// ObserveReady records a session becoming usable.
func (mt *Metrics) ObserveReady(took time.Duration, fromPool bool) {
	src := "create"
	if fromPool {
		src = "pool"
	}
	mt.CreateSeconds.WithLabelValues(src).Observe(took.Seconds())
}

// sessionCollector reads the live sessions and the pool when scraped.
type sessionCollector struct {
	m      *sessions.Manager
	shapes []sessions.Shape
	live   *prometheus.Desc
	pool   *prometheus.Desc
}

// WatchSessions adds the live-session and pool gauges for m.
func (mt *Metrics) WatchSessions(m *sessions.Manager, shapes []sessions.Shape) {
	mt.Registry.MustRegister(&sessionCollector{m: m, shapes: shapes,
		live: prometheus.NewDesc("kubeplay_sessions", "Live sessions by state.", []string{"state"}, nil),
		pool: prometheus.NewDesc("kubeplay_pool_clusters", "Clusters made ahead, waiting in the pool.", []string{"shape"}, nil)})
}

func (c *sessionCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.live; ch <- c.pool }

func (c *sessionCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if live, err := c.m.Live(ctx); err == nil {
		for _, st := range []sessions.State{sessions.StateCreating, sessions.StateReady, sessions.StatePaused, sessions.StateResuming} {
			ch <- prometheus.MustNewConstMetric(c.live, prometheus.GaugeValue, float64(live[st]), string(st))
		}
	}
	for _, s := range c.shapes {
		ch <- prometheus.MustNewConstMetric(c.pool, prometheus.GaugeValue, float64(c.m.PoolSize(s)), s.String())
	}
}
