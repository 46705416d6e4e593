package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/content"
	"github.com/kubeplay/kubeplay/labs"
	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/provisioner/local"
)

// labCmd checks labs: lint (the files) and test (in real clusters).
type labCmd struct {
	stdout, stderr io.Writer
	action         string
	dir            string
	image          string
	keepGoing      bool
	solve          solveFlag
	args           []string
}

// solveFlag collects -solve LAB:STEP=SCRIPT: a solution for a step whose lab gives none.
type solveFlag map[string]map[int]string

func (f solveFlag) String() string { return "" }

func (f solveFlag) Set(v string) error {
	where, script, ok := strings.Cut(v, "=")
	lab, step, ok2 := strings.Cut(where, ":")
	n, err := strconv.Atoi(step)
	if !ok || !ok2 || err != nil || n < 1 || script == "" {
		return fmt.Errorf("want LAB:STEP=SCRIPT, e.g. pods:1='kubectl run web --image=nginx'")
	}
	if f[lab] == nil {
		f[lab] = map[int]string{}
	}
	f[lab][n] = script
	return nil
}

const labUsage = `Usage:
  kubeplay lab lint DIR...           check lab folders (DIR is a lab, or a folder of labs)
  kubeplay lab test [flags] [LAB...] prove labs in real clusters: every check fails before its
                                     step's solution runs and passes after (all labs when none named)

`

func (c *labCmd) parse(args []string) error {
	fset := flag.NewFlagSet("kubeplay lab "+c.action, flag.ContinueOnError)
	fset.SetOutput(c.stderr)
	fset.Usage = func() {
		fmt.Fprint(c.stderr, labUsage)
		fset.PrintDefaults()
	}
	if c.action == "test" {
		fset.StringVar(&c.dir, "dir", "", "a folder of labs to test instead of the bundled ones")
		fset.StringVar(&c.image, "image", "", "node image (default: the one `kubeplay image build` made)")
		fset.BoolVar(&c.keepGoing, "k", false, "go on with the next lab after one fails")
		c.solve = solveFlag{}
		fset.Var(c.solve, "solve", "LAB:STEP=SCRIPT: a solution for a step whose lab has none (a Killercoda scenario that says what to do in words); repeatable")
	}
	if err := fset.Parse(args); err != nil {
		return err
	}
	c.args = fset.Args()
	switch c.action {
	case "lint":
		if len(c.args) == 0 {
			fset.Usage()
			return errUsage
		}
	case "test":
	default:
		fset.Usage()
		return errUsage
	}
	return nil
}

// lintOptions are the strict checks for lab folders on disk.
var lintOptions = labs.Options{CheckModes: true, Syntax: true}

func (c *labCmd) Run(ctx context.Context) error {
	if c.action == "lint" {
		return c.lint()
	}
	return c.test(ctx)
}

// lint checks each DIR: a lab folder itself, or a folder of labs.
func (c *labCmd) lint() error {
	bad, good := 0, 0
	for _, dir := range c.args {
		dir = filepath.Clean(dir)
		var problems []labs.Problems
		if _, err := os.Stat(filepath.Join(dir, "index.json")); err == nil {
			if _, p := labs.Load(os.DirFS(filepath.Dir(dir)), filepath.Base(dir), lintOptions); len(p) > 0 {
				problems = append(problems, p)
			} else {
				good++
			}
		} else {
			cat, p := labs.LoadAll(lintOptions, os.DirFS(dir))
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return fmt.Errorf("%s: not a folder", dir)
			}
			problems = append(problems, p...)
			good += len(cat.Labs())
			if len(cat.Labs()) == 0 && len(p) == 0 {
				return fmt.Errorf("%s: no lab (a lab is a folder with an index.json)", dir)
			}
		}
		for _, ps := range problems {
			bad++
			for _, p := range ps {
				fmt.Fprintln(c.stdout, p)
			}
		}
	}
	fmt.Fprintf(c.stderr, "kubeplay lab lint: %d lab(s) fine, %d with problems\n", good, bad)
	if bad > 0 {
		return errSilent
	}
	return nil
}

// errSilent ends the program with status 1 when the output already said why.
var errSilent = errors.New("")

func (c *labCmd) test(ctx context.Context) error {
	var fsys fs.FS = content.FS()
	opts := labs.Options{}
	if c.dir != "" {
		fsys, opts = os.DirFS(c.dir), lintOptions
	}
	cat, bad := labs.LoadAll(opts, fsys)
	for _, p := range bad {
		fmt.Fprintln(c.stdout, p)
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d lab(s) fail lint", len(bad))
	}
	var list []*labs.Lab
	if len(c.args) == 0 {
		list = cat.Labs()
	}
	for _, id := range c.args {
		l, ok := cat.Lab(id)
		if !ok {
			return fmt.Errorf("no lab %q", id)
		}
		list = append(list, l)
	}
	if len(list) == 0 {
		return errors.New("no lab to test")
	}
	if _, err := local.RaiseHostLimits(); err != nil {
		fmt.Fprintln(c.stderr, "kubeplay: warning:", err)
	}
	image := c.image
	if image == "" {
		var err error
		if image, err = builtNodeImage(ctx); err != nil {
			return err
		}
	}
	// The cluster creates' own progress is noise here: only their warnings.
	quiet := slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	p, err := local.New(local.Options{Log: quiet})
	if err != nil {
		return err
	}
	defer p.Close()
	h := &labs.Harness{Prov: p, Image: image, Solutions: c.solve, Log: func(format string, a ...any) {
		fmt.Fprintf(c.stderr, "  "+format+"\n", a...)
	}}
	defer h.Close(context.WithoutCancel(ctx))
	start := time.Now()
	failed := 0
	var reports []labs.LabReport
	for _, l := range list {
		fmt.Fprintf(c.stderr, "lab %s (%s)\n", l.ID, l.Cluster)
		r := h.Test(ctx, l)
		reports = append(reports, r)
		if r.Err != nil {
			failed++
			fmt.Fprintf(c.stderr, "  FAIL: %v\n", r.Err)
			if !c.keepGoing || ctx.Err() != nil {
				break
			}
		}
	}
	fmt.Fprintln(c.stdout, "kubeplay lab test:")
	for _, r := range reports {
		fmt.Fprintln(c.stdout, r.Summary())
	}
	fmt.Fprintf(c.stdout, "%d lab(s), %d failed, %.1fs\n", len(reports), failed, time.Since(start).Seconds())
	if failed > 0 {
		return errSilent
	}
	return nil
}

var _ provisioner.Provisioner = (*local.Provisioner)(nil)
