// Package labs proves every bundled lab in real clusters, the way `kubeplay lab test` does: each
// step's check fails before its solution runs and passes after it. Labs of the same cluster shape
// share one cluster, reset in between. The per-lab times are logged (go test -v).
package labs

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/content"
	"github.com/kubeplay/kubeplay/labs"
	"github.com/kubeplay/kubeplay/provisioner/local"
	"github.com/kubeplay/kubeplay/tests/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func harness(t *testing.T) *labs.Harness {
	img := testenv.NodeImage(t)
	testenv.Docker(t)
	if _, err := local.RaiseHostLimits(); err != nil {
		t.Logf("host limits: %v", err)
	}
	p, err := local.New(local.Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	h := &labs.Harness{Prov: p, Image: img.Ref, Log: t.Logf}
	t.Cleanup(func() {
		h.Close(context.Background())
		p.Close()
	})
	return h
}

func prove(t *testing.T, h *labs.Harness, cat *labs.Catalog, list []*labs.Lab) {
	start := time.Now()
	var reports []labs.LabReport
	for _, l := range list {
		t.Run(l.ID, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
			defer cancel()
			r := h.Test(ctx, l)
			reports = append(reports, r)
			if r.Err != nil {
				t.Fatalf("%s", r.Summary())
			}
		})
	}
	for _, r := range reports {
		t.Log(r.Summary())
	}
	t.Logf("%d labs in %s", len(reports), time.Since(start).Round(time.Second))
}

func TestBundledLabs(t *testing.T) {
	cat, bad := labs.LoadAll(labs.Options{}, content.FS())
	for _, p := range bad {
		t.Errorf("bundled lab fails lint:\n%v", p)
	}
	if len(cat.Labs()) == 0 {
		t.Fatal("no bundled lab")
	}
	prove(t, harness(t), cat, cat.Labs())
}

// TestKillercodaScenarios runs scenario folders from Killercoda's public scenario-examples
// repository unchanged. They are not ours to commit: point KUBEPLAY_KILLERCODA_DIR at a checkout.
// Steps that say in words what to do get the solution a student would type.
func TestKillercodaScenarios(t *testing.T) {
	dir := os.Getenv("KUBEPLAY_KILLERCODA_DIR")
	if dir == "" {
		t.Skip("KUBEPLAY_KILLERCODA_DIR is not set (a checkout of github.com/killercoda/scenario-examples)")
	}
	cat, _ := labs.LoadAll(labs.Options{CheckModes: true, Syntax: true}, os.DirFS(dir))
	var list []*labs.Lab
	for _, id := range []string{"kubernetes-1node", "kubernetes-volumes", "solution-dropdown", "kubernetes-2node-multi-step-verification"} {
		l, ok := cat.Lab(id)
		if !ok {
			t.Fatalf("%s does not load from %s", id, dir)
		}
		list = append(list, l)
	}
	h := harness(t)
	h.Solutions = map[string]map[int]string{"kubernetes-2node-multi-step-verification": {
		1: "kubectl run my-pod --image=nginx", 2: "kubectl delete pod my-pod"}}
	prove(t, h, cat, list)
}
