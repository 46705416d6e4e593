// Package bench measures kubeplay's figures. Nothing here runs in a plain "go test"; run
//
//	go test -run '^$' -bench . -benchtime 1x -timeout 60m ./tests/bench
//
// (as root, with Docker) and read the custom metrics: build and create times, image sizes, idle
// memory and CPU per node, load average.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/provisioner/nodeimage"
	"github.com/kubeplay/kubeplay/tests/testenv"
)

// BenchmarkCachedRebuild is `kubeplay image build` with nothing changed.
func BenchmarkCachedRebuild(b *testing.B) {
	testenv.NodeImage(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		bl, err := nodeimage.New(ctx, nodeimage.Options{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := bl.Build(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImageSizes reports the node image's size and each image the node carries (compressed,
// as stored in the node's registry; shared layers counted in every image that uses them).
func BenchmarkImageSizes(b *testing.B) {
	img := testenv.NodeImage(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		out := testenv.Run(b, ctx, "docker", "image", "inspect", "-f", "{{.Size}}", img.Ref)
		size, _ := strconv.ParseFloat(strings.TrimSpace(out), 64)
		b.ReportMetric(size/1e6, "MB-node-image")
		bl, err := nodeimage.New(ctx, nodeimage.Options{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		reg := filepath.Join(bl.Engine().Dir("images"), "registry")
		total := dirSize(reg)
		b.ReportMetric(float64(total)/1e6, "MB-registry")
		var idx struct {
			Manifests []struct {
				Digest      string
				Annotations map[string]string
			}
		}
		data, err := os.ReadFile(filepath.Join(reg, "index.json"))
		if err != nil {
			b.Fatal(err)
		}
		_ = json.Unmarshal(data, &idx)
		seen := map[string]bool{}
		for _, m := range idx.Manifests {
			if seen[m.Digest] {
				continue
			}
			seen[m.Digest] = true
			var man struct{ Layers []struct{ Size int64 } }
			mb, _ := os.ReadFile(filepath.Join(reg, "blobs", "sha256", strings.TrimPrefix(m.Digest, "sha256:")))
			_ = json.Unmarshal(mb, &man)
			var sz int64
			for _, l := range man.Layers {
				sz += l.Size
			}
			b.Logf("%-60s %6.1f MB", m.Annotations["org.opencontainers.image.ref.name"], float64(sz)/1e6)
		}
	}
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}

// BenchmarkKindCreate makes 1+1 and 1+2 clusters: time to all nodes Ready, then, after a minute of
// idling, memory and CPU per node (docker stats) and the host's load average.
func BenchmarkKindCreate(b *testing.B) {
	img := testenv.NodeImage(b)
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("1+%d", workers), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				c := testenv.NewKindCluster(b, img.Ref, workers)
				b.ReportMetric(c.Created.Seconds(), "s-to-ready")
				time.Sleep(60 * time.Second)
				idleStats(b, c)
				start := time.Now()
				c.Delete()
				b.ReportMetric(time.Since(start).Seconds(), "s-delete")
			}
		})
	}
}

func idleStats(b *testing.B, c *testenv.KindCluster) {
	ctx := context.Background()
	nodes := c.Nodes()
	out := testenv.Run(b, ctx, "docker", append([]string{"stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}} {{.CPUPerc}}"}, nodes...)...)
	var wMem, wCPU float64
	workers := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 5 {
			continue
		}
		mem := parseMiB(f[1])
		cpu, _ := strconv.ParseFloat(strings.TrimSuffix(f[4], "%"), 64)
		if strings.HasSuffix(f[0], "-control-plane") {
			b.ReportMetric(mem, "MiB-cp-idle")
			b.ReportMetric(cpu, "%cpu-cp-idle")
		} else {
			wMem += mem
			wCPU += cpu
			workers++
		}
	}
	if workers > 0 {
		b.ReportMetric(wMem/float64(workers), "MiB-worker-idle")
		b.ReportMetric(wCPU/float64(workers), "%cpu-worker-idle")
	}
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		l1, _ := strconv.ParseFloat(strings.Fields(string(la))[0], 64)
		b.ReportMetric(l1, "loadavg-1m")
	}
}

func parseMiB(s string) float64 {
	units := map[string]float64{"GiB": 1024, "MiB": 1, "KiB": 1.0 / 1024, "B": 1.0 / 1024 / 1024}
	for u, m := range units {
		if strings.HasSuffix(s, u) && !(u == "B" && (strings.HasSuffix(s, "iB"))) {
			v, _ := strconv.ParseFloat(strings.TrimSuffix(s, u), 64)
			return v * m
		}
	}
	return 0
}
