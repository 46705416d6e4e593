package bench

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/classroom"
	"github.com/kubeplay/kubeplay/labs"
	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/sessions"
	"github.com/kubeplay/kubeplay/tests/testenv"
)

// BenchmarkClassReady: the time to make every seat of a class ready (each cluster made, then paused
// until a student comes), at the server's default pace of one create at a time, on real Docker and
// kind. KUBEPLAY_CLASS_SEATS lists the class sizes (default 2,5).
//
//	KUBEPLAY_CLASS_SEATS=2,5,10 go test -run '^$' -bench ClassReady -benchtime 1x -timeout 60m ./tests/bench
func BenchmarkClassReady(b *testing.B) {
	img := testenv.NodeImage(b)
	sizes := []int{2, 5}
	if v := os.Getenv("KUBEPLAY_CLASS_SEATS"); v != "" {
		sizes = nil
		for _, f := range splitComma(v) {
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 {
				b.Fatalf("KUBEPLAY_CLASS_SEATS=%q", v)
			}
			sizes = append(sizes, n)
		}
	}
	for _, seats := range sizes {
		b.Run(strconv.Itoa(seats)+"-seats", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				classReady(b, img.Ref, seats)
			}
		})
	}
}

func classReady(b *testing.B, image string, seats int) {
	ctx := context.Background()
	prov := newProv(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sm := sessions.New(prov, sessions.NewMemStore(), sessions.Config{Image: image}, nil, log)
	cm := classroom.New(classroom.NewMemStore(), sm, &labs.MemProgress{}, classroom.Config{}, nil, log)
	c, err := cm.Create(ctx, classroom.Spec{Lab: "pods", Lang: "ko", Shape: sessions.Shape{Mode: provisioner.ModeKind, Workers: 1}, Seats: seats, Length: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = cm.End(context.Background(), c.ID)
		_ = cm.Settle(context.Background())
	})
	start := time.Now()
	var load []float64
	for {
		if _, err := cm.Fill(ctx); err != nil {
			b.Fatal(err)
		}
		_, grid, err := cm.Grid(ctx, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		done, failed := 0, 0
		for _, s := range grid {
			switch s.State {
			case "paused":
				done++
			case "failed":
				failed++
			}
		}
		if failed > 0 {
			b.Fatalf("%d seats failed", failed)
		}
		if done == seats {
			break
		}
		if time.Since(start) > time.Duration(seats)*4*time.Minute {
			b.Fatalf("%d of %d seats ready after %s", done, seats, time.Since(start))
		}
		load = append(load, loadAvg())
		time.Sleep(2 * time.Second)
	}
	took := time.Since(start)
	var peak float64
	for _, l := range load {
		if l > peak {
			peak = l
		}
	}
	b.ReportMetric(took.Seconds(), "s-to-ready")
	b.ReportMetric(took.Seconds()/float64(seats), "s/seat")
	b.ReportMetric(peak, "peak-load1")
}

func splitComma(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// loadAvg is the host's one-minute load average.
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	first, _, _ := strings.Cut(string(b), " ")
	f, _ := strconv.ParseFloat(first, 64)
	return f
}
