package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/provisioner/local"
	"github.com/kubeplay/kubeplay/tests/testenv"
)

// The test binary doubles as the kind-create subprocess.
func TestMain(m *testing.M) { testenv.Main(m) }

func newProv(b *testing.B) *local.Provisioner {
	testenv.Docker(b)
	if changed, err := local.RaiseHostLimits(); err != nil {
		b.Logf("host limits: %v", err)
	} else if len(changed) > 0 {
		b.Logf("raised host limits: %v", changed)
	}
	p, err := local.New(local.Options{StateDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	return p
}

// BenchmarkProvisionerCreate: create to Ready through the provisioner (limits applied), idle memory
// and CPU per node after a minute, and delete time.
func BenchmarkProvisionerCreate(b *testing.B) {
	img := testenv.NodeImage(b)
	for _, c := range []struct {
		mode    provisioner.Mode
		workers int
	}{{provisioner.ModeKind, 1}, {provisioner.ModeKind, 2}, {provisioner.ModeKubeadm, 1}} {
		b.Run(fmt.Sprintf("%s-1+%d", c.mode, c.workers), func(b *testing.B) {
			p := newProv(b)
			ctx := context.Background()
			for i := 0; i < b.N; i++ {
				id := testenv.RandomName("bn")
				start := time.Now()
				cl, err := p.Create(ctx, provisioner.Spec{ID: id, Mode: c.mode, Workers: c.workers, Image: img.Ref}, nil)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(time.Since(start).Seconds(), "s-create")
				if c.mode == provisioner.ModeKind {
					time.Sleep(60 * time.Second)
					reportIdle(b, cl)
				}
				start = time.Now()
				if err := p.Delete(ctx, id); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(time.Since(start).Seconds(), "s-delete")
			}
		})
	}
}

func reportIdle(b *testing.B, cl *provisioner.Cluster) {
	var names []string
	for _, n := range cl.Nodes {
		names = append(names, n.Name())
	}
	// docker stats' CPU figure is an instant; average three samples.
	cpu := map[string]float64{}
	mem := map[string]float64{}
	for s := 0; s < 3; s++ {
		out := testenv.Run(b, context.Background(), "docker", append([]string{"stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}} {{.CPUPerc}}"}, names...)...)
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			f := strings.Fields(line)
			if len(f) < 5 {
				continue
			}
			c, _ := strconv.ParseFloat(strings.TrimSuffix(f[4], "%"), 64)
			cpu[f[0]] += c / 3
			mem[f[0]] = parseMiB(f[1])
		}
	}
	var wc, wm float64
	n := 0
	for _, node := range cl.Nodes {
		if node.Role() == provisioner.RoleControlPlane {
			b.ReportMetric(mem[node.Name()], "MiB-cp-idle")
			b.ReportMetric(cpu[node.Name()], "%cpu-cp-idle")
		} else {
			wc += cpu[node.Name()]
			wm += mem[node.Name()]
			n++
		}
	}
	if n > 0 {
		b.ReportMetric(wm/float64(n), "MiB-worker-idle")
		b.ReportMetric(wc/float64(n), "%cpu-worker-idle")
	}
}

// BenchmarkDensity makes idle kind 1+1 clusters in batches of 4 (KUBEPLAY_DENSITY_BATCH); after each
// batch it lets the host settle for 3 minutes, so that the 1-minute load average has forgotten the
// creates, and reads it. It stops when the load average passes 4 (or at KUBEPLAY_DENSITY_MAX
// clusters, default 32) and reports the most clusters it held idle with the load at or under 4.
// With KUBEPLAY_DENSITY_PAUSE=1 each cluster is paused once made, as the server does with its warm
// pool and with sessions idle for 15 minutes; the bench then also reports the memory they hold and
// how long one of them takes to resume.
func BenchmarkDensity(b *testing.B) {
	img := testenv.NodeImage(b)
	max, batch := 32, 4
	if v, err := strconv.Atoi(os.Getenv("KUBEPLAY_DENSITY_MAX")); err == nil {
		max = v
	}
	if v, err := strconv.Atoi(os.Getenv("KUBEPLAY_DENSITY_BATCH")); err == nil && v > 0 {
		batch = v
	}
	pause := os.Getenv("KUBEPLAY_DENSITY_PAUSE") == "1"
	for i := 0; i < b.N; i++ {
		p := newProv(b)
		ctx := context.Background()
		avail0 := memAvailable()
		var ids []string
		defer func() {
			for _, id := range ids {
				_ = p.Delete(context.Background(), id)
			}
		}()
		held := 0
		for len(ids) < max {
			for k := 0; k < batch && len(ids) < max; k++ {
				id := testenv.RandomName("dn")
				if _, err := p.Create(ctx, provisioner.Spec{ID: id, Mode: provisioner.ModeKind, Workers: 1, Image: img.Ref}, nil); err != nil {
					b.Fatalf("create %d: %v", len(ids)+1, err)
				}
				ids = append(ids, id)
				if pause {
					if err := p.Pause(ctx, id); err != nil {
						b.Fatalf("pause %s: %v", id, err)
					}
				}
			}
			time.Sleep(2 * time.Minute)
			cpu0, t0 := nodesCPU(b), time.Now()
			time.Sleep(time.Minute)
			share := float64(nodesCPU(b)-cpu0) / float64(time.Since(t0).Nanoseconds()) * 100
			la := load1()
			fmt.Fprintf(os.Stderr, "density: %d idle clusters (paused: %v): load average %.2f, the nodes' own CPU %.1f %% of a core, memory used %.1f GiB\n",
				len(ids), pause, la, share, float64(avail0-memAvailable())/(1<<30))
			if la > 4 {
				break
			}
			held = len(ids)
		}
		b.ReportMetric(float64(held), "clusters-idle-under-load-4")
		b.ReportMetric(float64(avail0-memAvailable())/float64(len(ids))/(1<<20), "MiB/cluster")
		if pause && len(ids) > 0 {
			start := time.Now()
			if err := p.Resume(ctx, ids[len(ids)/2]); err != nil {
				b.Fatalf("resume: %v", err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "s-resume")
		}
	}
}

// memAvailable reads MemAvailable from /proc/meminfo, in bytes.
func memAvailable() int64 {
	raw, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "MemAvailable:" {
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v << 10
		}
	}
	return 0
}

func load1() float64 {
	la, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	v, _ := strconv.ParseFloat(strings.Fields(string(la))[0], 64)
	return v
}

// nodesCPU sums the CPU time (ns) of every kubeplay node container (names kp-*), from their cgroups:
// unlike the load average, it counts only the clusters, not whatever else the host is doing.
func nodesCPU(b *testing.B) uint64 {
	out, err := exec.Command("docker", "ps", "-q", "--no-trunc", "--filter", "name=^kp-").Output()
	if err != nil {
		b.Fatal(err)
	}
	var sum uint64
	for _, id := range strings.Fields(string(out)) {
		for _, f := range []string{"/sys/fs/cgroup/cpuacct/docker/" + id + "/cpuacct.usage", "/sys/fs/cgroup/cpu,cpuacct/docker/" + id + "/cpuacct.usage"} {
			if raw, err := os.ReadFile(f); err == nil {
				v, _ := strconv.ParseUint(strings.TrimSpace(string(raw)), 10, 64)
				sum += v
				break
			}
		}
	}
	return sum
}
