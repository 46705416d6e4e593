// Package labs is the lesson engine: the lab model, its loader and linter (Killercoda's scenario
// format extended with a text per language, see content/README.md), Markdown rendering with run and
// copy markers, the check runner, the lab set-up (assets, background and foreground scripts) and the
// harness that proves a lab in a real cluster (kubeplay lab test).
package labs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
)

// Languages a lab may be written in.
var Languages = []string{"ko", "en"}

// Levels a lab may declare.
var Levels = []string{"beginner", "intermediate", "advanced"}

// Text is a text in several languages. The key "" is a text for every language (Killercoda's plain
// strings).
type Text map[string]string

// UnmarshalJSON takes a plain string (every language) or an object of language -> string.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text{"": s}
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("want a string or an object of language to string")
	}
	*t = m
	return nil
}

// In picks the text for lang: its own, else the text for every language, else English, else any.
func (t Text) In(lang string) string {
	if v, ok := t[lang]; ok {
		return v
	}
	if v, ok := t[""]; ok {
		return v
	}
	if v, ok := t["en"]; ok {
		return v
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		return t[keys[0]]
	}
	return ""
}

// Cluster is the cluster a lab needs.
type Cluster struct {
	Mode    string `json:"mode"`    // "kind" or "kubeadm"
	Workers int    `json:"workers"` // kind: workers beside the control plane
	Nodes   int    `json:"nodes"`   // kubeadm: bare nodes (node1..nodeN)
}

// ExtraNodes is how many nodes beside the first one the cluster has (sessions.Shape.Workers).
func (c Cluster) ExtraNodes() int {
	if c.Mode == "kubeadm" {
		return c.Nodes - 1
	}
	return c.Workers
}

// Lab is a loaded lab. Page and step texts are Markdown sources per language.
type Lab struct {
	ID          string
	Title       Text
	Description Text
	Languages   []string // declared languages; empty for a plain Killercoda scenario (any language)
	Order       int
	Duration    int    // minutes
	Level       string // one of Levels ("" when not declared)
	Cluster     Cluster
	Intro       Page
	Steps       []Step
	Finish      Page
	Assets      []Asset

	files fs.FS // the lab's folder
}

// Page is the intro, a step or the finish page.
type Page struct {
	Title      Text
	Text       Text   // Markdown per language
	Background string // script run detached on the control plane when the page is first entered
	Foreground string // script typed into the student's terminal when the page is first entered
}

// Step is one checked step.
type Step struct {
	Page
	Hint     Text   // Markdown per language
	Solution Text   // Markdown per language; its run blocks are what lab test runs
	Verify   string // the check script ("" when the step has none)
}

// Asset is a file of the lab's assets/ folder copied into the control-plane node at start.
type Asset struct {
	Path   string // inside assets/
	Target string // directory in the node
	Chmod  string // e.g. "+x"
}

// Speaks says whether the lab has texts for lang.
func (l *Lab) Speaks(lang string) bool {
	if len(l.Languages) == 0 {
		return true
	}
	for _, x := range l.Languages {
		if x == lang {
			return true
		}
	}
	return false
}

// AssetData reads an asset's bytes.
func (l *Lab) AssetData(a Asset) ([]byte, error) {
	return fs.ReadFile(l.files, "assets/"+a.Path)
}
