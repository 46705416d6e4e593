package nodeimage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type fakeImages map[string]bool

func (f fakeImages) ImageExists(ctx context.Context, ref string) (bool, error) { return f[ref], nil }

// counting returns a stage run function that counts its runs and writes a file.
func counting(n *int, fail *bool) func(ctx context.Context, w *Work) error {
	return func(ctx context.Context, w *Work) error {
		*n++
		if err := os.WriteFile(filepath.Join(w.Out, "product"), []byte(w.Key), 0o644); err != nil {
			return err
		}
		if fail != nil && *fail {
			return errors.New("boom")
		}
		return nil
	}
}

func newEngine(t *testing.T, dir string, inputB string, runsA, runsB *int, failB *bool) *Engine {
	t.Helper()
	e := &Engine{CacheDir: dir}
	if err := e.Add(&Stage{Name: "a", Inputs: []string{"1"}, Run: counting(runsA, nil)}); err != nil {
		t.Fatal(err)
	}
	if err := e.Add(&Stage{Name: "b", Deps: []string{"a"}, Inputs: []string{inputB}, Run: counting(runsB, failB)}); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEngineCachesAndRebuildsOnlyWhatChanged(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var a, b int
	if _, err := newEngine(t, dir, "x", &a, &b, nil).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if a != 1 || b != 1 {
		t.Fatalf("first run: a=%d b=%d", a, b)
	}
	res, err := newEngine(t, dir, "x", &a, &b, nil).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a != 1 || b != 1 || !res[0].Cached || !res[1].Cached {
		t.Fatalf("second run rebuilt: a=%d b=%d %+v", a, b, res)
	}
	// Changing b's input rebuilds b only.
	if _, err := newEngine(t, dir, "y", &a, &b, nil).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if a != 1 || b != 2 {
		t.Fatalf("after changing b: a=%d b=%d", a, b)
	}
}

func TestEngineFailedStageIsNeverReused(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var a, b int
	fail := true
	e := newEngine(t, dir, "x", &a, &b, &fail)
	_, err := e.Run(ctx)
	var se *StageError
	if !errors.As(err, &se) || se.Stage != "b" {
		t.Fatalf("want a StageError naming b, got %v", err)
	}
	if !strings.Contains(err.Error(), `stage "b" failed`) || se.Log == "" {
		t.Errorf("error does not name the stage and its log: %v", err)
	}
	if _, err := os.Stat(e.Dir("b")); !os.IsNotExist(err) {
		t.Errorf("a failed stage left a product: %v", err)
	}
	if ok, _ := e.Cached(ctx, "b"); ok {
		t.Error("a failed stage counts as cached")
	}
	// The rerun resumes: a is cached, b runs again and succeeds.
	fail = false
	res, err := newEngine(t, dir, "x", &a, &b, &fail).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a != 1 || b != 2 || !res[0].Cached || res[1].Cached {
		t.Fatalf("resume: a=%d b=%d %+v", a, b, res)
	}
}

func TestEngineCancelledStageLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	e := &Engine{CacheDir: dir}
	_ = e.Add(&Stage{Name: "slow", Run: func(ctx context.Context, w *Work) error {
		_ = os.WriteFile(filepath.Join(w.Out, "half"), []byte("x"), 0o644)
		cancel()
		<-ctx.Done()
		return ctx.Err()
	}})
	if _, err := e.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "stages", "slow"))
	for _, en := range entries {
		if !strings.HasSuffix(en.Name(), ".log") {
			t.Errorf("left behind: %s", en.Name())
		}
	}
}

func TestEngineImageStageNeedsTheImage(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	imgs := fakeImages{}
	runs := 0
	mk := func() *Engine {
		e := &Engine{CacheDir: dir, Images: imgs}
		_ = e.Add(&Stage{Name: "img", Image: "kubeplay/test", Run: func(ctx context.Context, w *Work) error {
			runs++
			imgs[w.ImageRef()] = true
			return nil
		}})
		return e
	}
	e := mk()
	if _, err := e.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := mk().Run(ctx); err != nil || runs != 1 {
		t.Fatalf("cached image stage ran again: runs=%d err=%v", runs, err)
	}
	// The image was removed from Docker: the stage runs again even though its directory exists.
	delete(imgs, "kubeplay/test:"+ShortKey(e.Key("img")))
	if _, err := mk().Run(ctx); err != nil || runs != 2 {
		t.Fatalf("missing image not rebuilt: runs=%d err=%v", runs, err)
	}
}

func TestEngineRejectsUnknownDeps(t *testing.T) {
	e := &Engine{CacheDir: t.TempDir()}
	if err := e.Add(&Stage{Name: "b", Deps: []string{"a"}}); err == nil {
		t.Fatal("a stage with an unknown dep was accepted")
	}
}

func TestDiskFullGetsAdvice(t *testing.T) {
	err := diskHint(errors.New("write /x: no space left on device"))
	se := &StageError{Stage: "kube", Err: err}
	if !strings.Contains(se.Error(), "disk is full") {
		t.Errorf("no advice: %v", se)
	}
}

func TestGoProxyRefusalGetsAdvice(t *testing.T) {
	err := goHint(errors.New("go: k8s.io/kubernetes@v1.34.13: reading https://proxy/k8s.io/kubernetes/@v/v1.34.13.info: 403 Forbidden"))
	if h := hintFor(err); !strings.Contains(h, "refused k8s.io/kubernetes@v1.34.13") {
		t.Errorf("advice: %q", h)
	}
}
