// Package nodeimage builds, on a host with no container registry, everything a kubeplay cluster runs:
// a Debian root filesystem, Kubernetes and its add-ons compiled from Go modules, the control-plane and
// lesson images, and a kind-compatible node image that carries all of them.
//
// The build is a list of stages. Each stage is keyed by the hash of its inputs (versions, package lists,
// scripts, source files) and of the keys of the stages it uses, and writes into a fresh directory that is
// renamed into the cache only when the stage succeeded: a half-written stage is never reused, and a
// rerun resumes from the last good stage. A stage whose product is a Docker image is found by a label.
package nodeimage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Stage is one step of the build.
type Stage struct {
	// Name is short and unique ("rootfs", "kube", "node").
	Name string
	// Deps are the names of the stages whose products this one reads.
	Deps []string
	// Inputs are the strings that decide the product besides the deps: versions, scripts, sources.
	Inputs []string
	// Image is set when the product is a Docker image: the stage is cached when an image with this
	// repository and the stage key as tag exists; the stage itself must create it.
	Image string
	// Run builds the product into w.Out (a fresh directory).
	Run func(ctx context.Context, w *Work) error
}

// Work is what a running stage gets.
type Work struct {
	Stage *Stage
	Key   string            // the stage's cache key (hex)
	Out   string            // the directory to write the product into
	Tmp   string            // scratch space, removed afterwards
	Dirs  map[string]string // name of each dep -> its product directory
	Keys  map[string]string // name of each dep -> its key
	Log   io.Writer         // the stage's log (also kept in the cache for a failed stage)
	Say   func(format string, args ...any)
}

// Dep returns the product directory of a dependency.
func (w *Work) Dep(name string) string { return w.Dirs[name] }

// ImageRef returns the reference (repository:key) that an image stage must create.
func (w *Work) ImageRef() string { return w.Stage.Image + ":" + ShortKey(w.Key) }

// ShortKey is the first 16 hex digits of a key: the Docker tag of image stages.
func ShortKey(key string) string {
	if len(key) > 16 {
		return key[:16]
	}
	return key
}

// StageError names the stage that failed and what to do about it.
type StageError struct {
	Stage string
	Log   string // path of the stage's log
	Err   error
}

func (e *StageError) Error() string {
	msg := fmt.Sprintf("image build: stage %q failed: %v", e.Stage, e.Err)
	if hint := hintFor(e.Err); hint != "" {
		msg += "\n  what to do: " + hint
	}
	if e.Log != "" {
		msg += "\n  log: " + e.Log
	}
	return msg
}

func (e *StageError) Unwrap() error { return e.Err }

// Hint is an error that carries advice for the person running the build.
type Hint struct {
	Err    error
	Advice string
}

func (h *Hint) Error() string { return h.Err.Error() }
func (h *Hint) Unwrap() error { return h.Err }

func hintFor(err error) string {
	var h *Hint
	if errors.As(err, &h) {
		return h.Advice
	}
	return ""
}

// ImageChecker tells whether a Docker image exists; the engine uses it for image stages.
type ImageChecker interface {
	ImageExists(ctx context.Context, ref string) (bool, error)
}

// Engine runs stages with a content-addressed cache.
type Engine struct {
	CacheDir string
	Images   ImageChecker
	Progress io.Writer // nil: quiet
	Now      func() time.Time

	stages map[string]*Stage
	order  []string
	keys   map[string]string
	mu     sync.Mutex
}

// Result says what happened to each stage.
type Result struct {
	Stage    string
	Key      string
	Cached   bool
	Duration time.Duration
	Dir      string
}

// Add registers a stage. Stages must be added after their deps.
func (e *Engine) Add(s *Stage) error {
	if e.stages == nil {
		e.stages = map[string]*Stage{}
		e.keys = map[string]string{}
	}
	if _, dup := e.stages[s.Name]; dup {
		return fmt.Errorf("image build: stage %q added twice", s.Name)
	}
	h := sha256.New()
	fmt.Fprintf(h, "stage %s\nimage %s\n", s.Name, s.Image)
	deps := append([]string(nil), s.Deps...)
	sort.Strings(deps)
	for _, d := range deps {
		k, ok := e.keys[d]
		if !ok {
			return fmt.Errorf("image build: stage %q needs %q, which is not added before it", s.Name, d)
		}
		fmt.Fprintf(h, "dep %s %s\n", d, k)
	}
	for _, in := range s.Inputs {
		fmt.Fprintf(h, "input %d\n%s\n", len(in), in)
	}
	e.stages[s.Name] = s
	e.order = append(e.order, s.Name)
	e.keys[s.Name] = hex.EncodeToString(h.Sum(nil))
	return nil
}

// Key returns a stage's key.
func (e *Engine) Key(name string) string { return e.keys[name] }

// Dir returns the cache directory of a stage's product.
func (e *Engine) Dir(name string) string {
	return filepath.Join(e.CacheDir, "stages", name, e.keys[name])
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Engine) say(format string, args ...any) {
	if e.Progress == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	fmt.Fprintf(e.Progress, format+"\n", args...)
}

// Cached reports whether a stage's product is already in the cache.
func (e *Engine) Cached(ctx context.Context, name string) (bool, error) {
	s := e.stages[name]
	if s == nil {
		return false, fmt.Errorf("image build: no stage %q", name)
	}
	if _, err := os.Stat(filepath.Join(e.Dir(name), ".done")); err != nil {
		return false, nil
	}
	if s.Image != "" {
		if e.Images == nil {
			return false, errors.New("image build: no Docker client to check images")
		}
		return e.Images.ImageExists(ctx, s.Image+":"+ShortKey(e.keys[name]))
	}
	return true, nil
}

// Run runs the named stages and everything they need, in order; with no names, every stage.
func (e *Engine) Run(ctx context.Context, names ...string) ([]Result, error) {
	want := map[string]bool{}
	var mark func(string)
	mark = func(n string) {
		if want[n] {
			return
		}
		want[n] = true
		for _, d := range e.stages[n].Deps {
			mark(d)
		}
	}
	if len(names) == 0 {
		names = e.order
	}
	for _, n := range names {
		if e.stages[n] == nil {
			return nil, fmt.Errorf("image build: no stage %q (stages: %s)", n, strings.Join(e.order, ", "))
		}
		mark(n)
	}
	var todo []string
	for _, n := range e.order {
		if want[n] {
			todo = append(todo, n)
		}
	}
	var results []Result
	for i, n := range todo {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		r, err := e.runOne(ctx, n, i+1, len(todo))
		results = append(results, r)
		if err != nil {
			return results, err
		}
	}
	return results, nil
}

func (e *Engine) runOne(ctx context.Context, name string, i, n int) (Result, error) {
	s := e.stages[name]
	key := e.keys[name]
	dir := e.Dir(name)
	res := Result{Stage: name, Key: key, Dir: dir}
	cached, err := e.Cached(ctx, name)
	if err != nil {
		return res, &StageError{Stage: name, Err: err}
	}
	if cached {
		res.Cached = true
		e.say("[%d/%d] %-12s cached (%s)", i, n, name, ShortKey(key))
		return res, nil
	}
	start := e.now()
	e.say("[%d/%d] %-12s building (%s)", i, n, name, ShortKey(key))
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return res, &StageError{Stage: name, Err: diskHint(err)}
	}
	// A previous, unfinished product of the same key is thrown away: only a finished one counts.
	if err := os.RemoveAll(dir); err != nil {
		return res, &StageError{Stage: name, Err: err}
	}
	tmpOut := dir + ".partial"
	tmpDir := dir + ".tmp"
	for _, p := range []string{tmpOut, tmpDir} {
		if err := os.RemoveAll(p); err != nil {
			return res, &StageError{Stage: name, Err: err}
		}
		if err := os.MkdirAll(p, 0o755); err != nil {
			return res, &StageError{Stage: name, Err: diskHint(err)}
		}
	}
	defer os.RemoveAll(tmpDir)
	logPath := filepath.Join(filepath.Dir(dir), key+".log")
	logf, err := os.Create(logPath)
	if err != nil {
		return res, &StageError{Stage: name, Err: diskHint(err)}
	}
	defer logf.Close()
	w := &Work{Stage: s, Key: key, Out: tmpOut, Tmp: tmpDir, Dirs: map[string]string{}, Keys: map[string]string{}, Log: logf}
	w.Say = func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		fmt.Fprintln(logf, "## "+msg)
		e.say("[%d/%d] %-12s %s (%s)", i, n, name, msg, e.now().Sub(start).Round(time.Second))
	}
	for _, d := range s.Deps {
		w.Dirs[d] = e.Dir(d)
		w.Keys[d] = e.keys[d]
	}
	stop := e.heartbeat(ctx, i, n, name, start)
	err = s.Run(ctx, w)
	stop()
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		os.RemoveAll(tmpOut)
		e.say("[%d/%d] %-12s FAILED after %s", i, n, name, e.now().Sub(start).Round(time.Second))
		return res, &StageError{Stage: name, Log: logPath, Err: diskHint(err)}
	}
	if err := os.WriteFile(filepath.Join(tmpOut, ".done"), []byte(key+"\n"), 0o644); err != nil {
		os.RemoveAll(tmpOut)
		return res, &StageError{Stage: name, Log: logPath, Err: diskHint(err)}
	}
	if err := os.Rename(tmpOut, dir); err != nil {
		return res, &StageError{Stage: name, Log: logPath, Err: err}
	}
	res.Duration = e.now().Sub(start)
	e.say("[%d/%d] %-12s done in %s", i, n, name, res.Duration.Round(time.Second))
	return res, nil
}

// heartbeat prints, every 15 s of a long stage, that it still runs.
func (e *Engine) heartbeat(ctx context.Context, i, n int, name string, start time.Time) func() {
	if e.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(15 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				e.say("[%d/%d] %-12s still running (%s)", i, n, name, e.now().Sub(start).Round(time.Second))
			}
		}
	}()
	return func() { close(done) }
}

// diskHint adds advice to an error caused by a full disk.
func diskHint(err error) error {
	if err == nil {
		return nil
	}
	var h *Hint
	if errors.As(err, &h) {
		return err
	}
	if strings.Contains(err.Error(), "no space left on device") {
		return &Hint{Err: err, Advice: "the disk is full: free space (docker system prune, or remove old stages under the cache directory) and run the build again; finished stages are kept"}
	}
	return err
}
