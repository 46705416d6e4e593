package labs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
)

// Problem is one thing wrong with a lab, at a place in one of its files.
type Problem struct {
	File string // path shown to the user (the lab folder's name first)
	Line int    // 1-based; 0 when the whole file is meant
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems is a lab's list of problems; as an error it reads one per line.
type Problems []Problem

func (ps Problems) Error() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "\n")
}

// Options tune loading.
type Options struct {
	// CheckModes requires scripts of kubeplay labs to be executable. An embed.FS keeps no modes, so it is off for the
	// bundled labs (the lint of the content folder in the tests checks them).
	CheckModes bool
	// Syntax runs `bash -n` on every script when bash is found (file:line of a syntax error).
	Syntax bool
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

type indexJSON struct {
	Title       Text `json:"title"`
	Description Text `json:"description"`
	Details     struct {
		Intro  *pageJSON              `json:"intro"`
		Steps  []pageJSON             `json:"steps"`
		Finish *pageJSON              `json:"finish"`
		Assets map[string][]assetJSON `json:"assets"`
	} `json:"details"`
	Backend struct {
		ImageID string `json:"imageid"`
	} `json:"backend"`
	Kubeplay *struct {
		Order     int      `json:"order"`
		Languages []string `json:"languages"`
		Duration  int      `json:"duration"`
		Level     string   `json:"level"`
		Cluster   *Cluster `json:"cluster"`
	} `json:"kubeplay"`
}

type pageJSON struct {
	Title      Text   `json:"title"`
	Text       Text   `json:"text"`
	Hint       Text   `json:"hint"`
	Solution   Text   `json:"solution"`
	Verify     string `json:"verify"`
	Background string `json:"background"`
	Foreground string `json:"foreground"`
}

type assetJSON struct {
	File   string `json:"file"`
	Target string `json:"target"`
	Chmod  string `json:"chmod"`
}

// loader gathers the problems of one lab.
type loader struct {
	id    string
	files fs.FS
	opts  Options
	index []byte
	pos   map[string]int // JSON path -> byte offset of its value in index.json
	probs Problems
	// kubeplay: the lab has kubeplay's metadata. Plain Killercoda scenarios are not held to the
	// executable bit: their repository has verify scripts without it, and every script runs with bash.
	kubeplay bool
}

func (ld *loader) fail(file string, line int, format string, a ...any) {
	ld.probs = append(ld.probs, Problem{File: ld.id + "/" + file, Line: line, Msg: fmt.Sprintf(format, a...)})
}

// at is the line in index.json of a JSON path, or of its nearest parent that exists.
func (ld *loader) at(p string) int {
	for {
		if off, ok := ld.pos[p]; ok {
			return lineAt(ld.index, off)
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			return 1
		}
		p = p[:i]
	}
}

func lineAt(b []byte, off int) int {
	if off > len(b) {
		off = len(b)
	}
	return bytes.Count(b[:off], []byte("\n")) + 1
}

// Load reads the lab in the folder id of fsys. It returns the lab only when it has no problem.
func Load(fsys fs.FS, id string, opts Options) (*Lab, Problems) {
	sub, err := fs.Sub(fsys, id)
	if err != nil {
		return nil, Problems{{File: id, Msg: err.Error()}}
	}
	ld := &loader{id: id, files: sub, opts: opts}
	lab := ld.load()
	if len(ld.probs) > 0 {
		return nil, ld.probs
	}
	return lab, nil
}

func (ld *loader) load() *Lab {
	if !idRE.MatchString(ld.id) {
		ld.fail("", 0, "the folder name is the lab's id: lowercase letters, digits and '-' only")
	}
	data, err := fs.ReadFile(ld.files, "index.json")
	if err != nil {
		ld.fail("index.json", 0, "cannot read: %v", errors.Unwrap(err))
		return nil
	}
	ld.index = data
	var ix indexJSON
	if err := json.Unmarshal(data, &ix); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			ld.fail("index.json", lineAt(data, int(se.Offset)), "bad JSON: %v", se)
		case errors.As(err, &te):
			ld.fail("index.json", lineAt(data, int(te.Offset)), "%s: want %s, found %s", te.Field, te.Type, te.Value)
		default:
			ld.fail("index.json", 0, "bad JSON: %v", err)
		}
		return nil
	}
	ld.pos = jsonPositions(data)

	lab := &Lab{ID: ld.id, files: ld.files}
	ld.kubeplay = ix.Kubeplay != nil
	if kp := ix.Kubeplay; kp != nil {
		lab.Order, lab.Duration, lab.Level = kp.Order, kp.Duration, kp.Level
		for i, l := range kp.Languages {
			if !contains(Languages, l) {
				ld.fail("index.json", ld.at(fmt.Sprintf("kubeplay.languages.%d", i)), "unknown language %q (known: %s)", l, strings.Join(Languages, ", "))
			}
		}
		lab.Languages = kp.Languages
		if kp.Level != "" && !contains(Levels, kp.Level) {
			ld.fail("index.json", ld.at("kubeplay.level"), "level %q is not one of %s", kp.Level, strings.Join(Levels, ", "))
		}
		if kp.Duration < 0 || kp.Duration > 600 {
			ld.fail("index.json", ld.at("kubeplay.duration"), "duration is minutes, 1 to 600")
		}
		if kp.Cluster != nil {
			lab.Cluster = *kp.Cluster
		}
	}
	if lab.Cluster.Mode == "" {
		switch ix.Backend.ImageID {
		case "kubernetes-kubeadm-1node":
			lab.Cluster = Cluster{Mode: "kind", Workers: 0}
		case "kubernetes-kubeadm-2nodes":
			lab.Cluster = Cluster{Mode: "kind", Workers: 1}
		case "":
			ld.fail("index.json", 1, "no cluster: give kubeplay.cluster or a Kubernetes backend.imageid")
		default:
			ld.fail("index.json", ld.at("backend.imageid"), "backend %q is not a Kubernetes cluster kubeplay can give (kubernetes-kubeadm-1node, kubernetes-kubeadm-2nodes, or kubeplay.cluster)", ix.Backend.ImageID)
		}
	}
	switch lab.Cluster.Mode {
	case "", "kind":
		if lab.Cluster.Workers < 0 || lab.Cluster.Workers > 3 {
			ld.fail("index.json", ld.at("kubeplay.cluster.workers"), "kind clusters have 0 to 3 workers")
		}
	case "kubeadm":
		if lab.Cluster.Nodes < 1 || lab.Cluster.Nodes > 4 {
			ld.fail("index.json", ld.at("kubeplay.cluster.nodes"), "kubeadm labs have 1 to 4 nodes")
		}
	default:
		ld.fail("index.json", ld.at("kubeplay.cluster.mode"), "cluster mode %q is not kind or kubeadm", lab.Cluster.Mode)
	}

	lab.Title = ld.inline(ix.Title, "title", true, lab.Languages)
	lab.Description = ld.inline(ix.Description, "description", false, lab.Languages)
	if ix.Details.Intro != nil {
		lab.Intro = ld.page(*ix.Details.Intro, "details.intro", lab, false)
	}
	if len(ix.Details.Steps) == 0 {
		ld.fail("index.json", ld.at("details"), "a lab needs at least one step (details.steps)")
	}
	for i, sj := range ix.Details.Steps {
		p := fmt.Sprintf("details.steps.%d", i)
		st := Step{Page: ld.page(sj, p, lab, true)}
		st.Hint = ld.markdown(sj.Hint, p+".hint", false, lab)
		st.Solution = ld.markdown(sj.Solution, p+".solution", false, lab)
		if sj.Verify != "" {
			st.Verify = ld.script(sj.Verify, p+".verify")
		}
		lab.Steps = append(lab.Steps, st)
	}
	if ix.Details.Finish != nil {
		lab.Finish = ld.page(*ix.Details.Finish, "details.finish", lab, false)
	}
	for host, list := range ix.Details.Assets {
		if host != "host01" {
			ld.fail("index.json", ld.at("details.assets."+host), "assets go to host01 (the control-plane node); %q is not a node kubeplay knows", host)
			continue
		}
		for i, a := range list {
			lab.Assets = append(lab.Assets, ld.assets(a, fmt.Sprintf("details.assets.%s.%d", host, i))...)
		}
	}
	return lab
}

// inline reads a short text given in index.json itself.
func (ld *loader) inline(t Text, p string, required bool, langs []string) Text {
	if len(t) == 0 {
		if required {
			ld.fail("index.json", ld.at(p), "%s is missing", p)
		}
		return nil
	}
	ld.languages(t, p, langs)
	return t
}

// languages checks that a text object has exactly the lab's languages.
func (ld *loader) languages(t Text, p string, langs []string) {
	if _, plain := t[""]; plain {
		return
	}
	if len(langs) == 0 {
		ld.fail("index.json", ld.at(p), "%s is given per language but kubeplay.languages is missing", p)
		return
	}
	for _, l := range langs {
		if strings.TrimSpace(t[l]) == "" {
			ld.fail("index.json", ld.at(p), "%s has no %q text", p, l)
		}
	}
	for l := range t {
		if !contains(langs, l) {
			ld.fail("index.json", ld.at(p+"."+l), "%s: language %q is not in kubeplay.languages", p, l)
		}
	}
}

// markdown reads the files a text object names.
func (ld *loader) markdown(t Text, p string, required bool, lab *Lab) Text {
	if len(t) == 0 {
		if required {
			ld.fail("index.json", ld.at(p), "%s is missing", p)
		}
		return nil
	}
	ld.languages(t, p, lab.Languages)
	out := Text{}
	for l, file := range t {
		where := p
		if l != "" {
			where += "." + l
		}
		b, err := fs.ReadFile(ld.files, clean(file))
		if err != nil {
			ld.fail("index.json", ld.at(where), "%s: cannot read %s", where, file)
			continue
		}
		if strings.TrimSpace(string(b)) == "" {
			ld.fail(clean(file), 0, "the file is empty")
		}
		for _, bl := range Blocks(string(b)) {
			if bl.Node != "" && !lab.Cluster.hasNode(bl.Node) {
				ld.fail(clean(file), bl.Line, "the run block names node %q, which a %s cluster does not have", bl.Node, lab.Cluster)
			}
		}
		out[l] = string(b)
	}
	return out
}

func (ld *loader) page(pj pageJSON, p string, lab *Lab, step bool) Page {
	pg := Page{Title: pj.Title, Text: ld.markdown(pj.Text, p+".text", true, lab)}
	if len(pj.Title) > 0 {
		ld.languages(pj.Title, p+".title", lab.Languages)
	} else if step && len(lab.Languages) > 0 {
		ld.fail("index.json", ld.at(p), "%s.title is missing", p)
	}
	if pj.Background != "" {
		pg.Background = ld.script(pj.Background, p+".background")
	}
	if pj.Foreground != "" {
		pg.Foreground = ld.script(pj.Foreground, p+".foreground")
	}
	if !step && (len(pj.Hint) > 0 || len(pj.Solution) > 0 || pj.Verify != "") {
		ld.fail("index.json", ld.at(p), "%s: only steps have a hint, a solution or a check", p)
	}
	return pg
}

var shebangRE = regexp.MustCompile(`^#!\s*(/bin/bash|/usr/bin/bash|/usr/bin/env\s+bash)(\s|$)`)

// script reads a bash script and checks it.
func (ld *loader) script(file, p string) string {
	f := clean(file)
	b, err := fs.ReadFile(ld.files, f)
	if err != nil {
		ld.fail("index.json", ld.at(p), "%s: cannot read %s", p, file)
		return ""
	}
	first, _, _ := strings.Cut(string(b), "\n")
	if !shebangRE.MatchString(first) {
		ld.fail(f, 1, "not a bash script: the first line must be #!/bin/bash")
	}
	if ld.opts.CheckModes && ld.kubeplay {
		if st, err := fs.Stat(ld.files, f); err == nil && st.Mode().Perm()&0o111 == 0 {
			ld.fail(f, 0, "not executable (chmod +x %s)", f)
		}
	}
	if ld.opts.Syntax {
		if line, msg, bad := bashSyntax(b); bad {
			ld.fail(f, line, "bash syntax: %s", msg)
		}
	}
	return string(b)
}

var bashLineRE = regexp.MustCompile(`line (\d+): (.*)`)

// bashSyntax runs bash -n on a script (when bash is there).
func bashSyntax(script []byte) (line int, msg string, bad bool) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		return 0, "", false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "-n")
	cmd.Stdin = bytes.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err == nil {
		return 0, "", false
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if m := bashLineRE.FindStringSubmatch(first); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, m[2], true
	}
	return 0, first, true
}

func (ld *loader) assets(a assetJSON, p string) []Asset {
	if a.File == "" || a.Target == "" {
		ld.fail("index.json", ld.at(p), "an asset needs file and target")
		return nil
	}
	assets, err := fs.Sub(ld.files, "assets")
	if err != nil {
		ld.fail("index.json", ld.at(p), "no assets folder")
		return nil
	}
	matches, err := doublestar.Glob(assets, a.File, doublestar.WithFilesOnly())
	if err != nil || len(matches) == 0 {
		ld.fail("index.json", ld.at(p+".file"), "asset %q matches no file in assets/", a.File)
		return nil
	}
	sort.Strings(matches)
	out := make([]Asset, 0, len(matches))
	for _, m := range matches {
		out = append(out, Asset{Path: m, Target: a.Target, Chmod: a.Chmod})
	}
	return out
}

func (c Cluster) String() string {
	if c.Mode == "kubeadm" {
		return fmt.Sprintf("kubeadm %d-node", c.Nodes)
	}
	return fmt.Sprintf("kind 1+%d", c.Workers)
}

// hasNode says whether a marker's node name means a node of this cluster.
func (c Cluster) hasNode(name string) bool {
	_, ok := c.nodeIndex(name)
	return ok
}

// nodeIndex maps a marker's node name to the index of the node in the cluster's node list (control
// plane or node1 first, then workers or node2..).
func (c Cluster) nodeIndex(name string) (int, bool) {
	switch name {
	case "controlplane", "control-plane", "host01":
		return 0, true
	case "worker", "node01":
		if c.ExtraNodes() >= 1 && c.Mode != "kubeadm" {
			return 1, true
		}
		return 0, false
	}
	var n int
	if c.Mode == "kubeadm" {
		if _, err := fmt.Sscanf(name, "node%d", &n); err == nil && n >= 1 && n <= c.Nodes && name == fmt.Sprintf("node%d", n) {
			return n - 1, true
		}
		return 0, false
	}
	if _, err := fmt.Sscanf(name, "worker%d", &n); err == nil && n >= 1 && n <= c.Workers && name == fmt.Sprintf("worker%d", n) {
		return n, true
	}
	return 0, false
}

func clean(p string) string { return path.Clean(strings.TrimPrefix(p, "./")) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// jsonPositions maps every JSON path (keys and array indexes joined by '.') to the byte offset where
// its value starts.
func jsonPositions(data []byte) map[string]int {
	type frame struct {
		path    string
		array   bool
		index   int
		key     string
		wantKey bool
	}
	pos := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []*frame
	advance := func() {
		if n := len(stack); n > 0 {
			if top := stack[n-1]; top.array {
				top.index++
			} else {
				top.wantKey = true
			}
		}
	}
	for {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return pos
		}
		d, isDelim := tok.(json.Delim)
		if isDelim && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			advance()
			continue
		}
		p := ""
		if n := len(stack); n > 0 {
			top := stack[n-1]
			if !top.array && top.wantKey {
				top.key, _ = tok.(string)
				top.wantKey = false
				continue
			}
			if top.array {
				p = strconv.Itoa(top.index)
			} else {
				p = top.key
			}
			if top.path != "" {
				p = top.path + "." + p
			}
		}
		for before < len(data) && strings.IndexByte(" \t\r\n,:", data[before]) >= 0 {
			before++
		}
		pos[p] = before
		if isDelim {
			stack = append(stack, &frame{path: p, array: d == '[', wantKey: d == '{'})
			continue
		}
		advance()
	}
}
