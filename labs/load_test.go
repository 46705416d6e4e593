package labs

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

var strict = Options{CheckModes: true, Syntax: true}

func TestGoodLabsLoad(t *testing.T) {
	cat, bad := LoadAll(strict, os.DirFS("testdata/good"))
	if len(bad) > 0 {
		t.Fatalf("problems: %v", bad)
	}
	if got := len(cat.Labs()); got != 2 {
		t.Fatalf("%d labs, want 2", got)
	}
	if cat.Labs()[0].ID != "hello" {
		t.Errorf("a lab with an order comes first, got %s", cat.Labs()[0].ID)
	}
	hello, _ := cat.Lab("hello")
	if hello.Title.In("ko") != "안녕" || hello.Title.In("en") != "Hello" || hello.Cluster != (Cluster{Mode: "kind", Workers: 1}) {
		t.Errorf("hello: %+v", hello)
	}
	if len(hello.Assets) != 1 || hello.Assets[0].Target != "~/lab" {
		t.Errorf("assets: %+v", hello.Assets)
	}
	kc, _ := cat.Lab("kc-plain")
	if kc.Cluster != (Cluster{Mode: "kind", Workers: 0}) || !kc.Speaks("ko") || kc.Title.In("ko") != "Plain scenario" {
		t.Errorf("killercoda scenario: %+v", kc)
	}
	if kc.Steps[0].Verify == "" {
		t.Error("verify script not loaded")
	}
}

func TestContentLabsLint(t *testing.T) {
	cat, bad := LoadAll(strict, os.DirFS("../content"))
	for _, p := range bad {
		t.Errorf("bundled lab:\n%v", p)
	}
	if len(cat.Labs()) == 0 {
		t.Error("no bundled lab")
	}
	for _, l := range cat.Labs() {
		for _, lang := range Languages {
			if !l.Speaks(lang) {
				t.Errorf("%s does not speak %s", l.ID, lang)
			}
			for p := 0; p <= len(l.Steps)+1; p++ {
				if _, err := cat.HTML(l, p, "text", lang); err != nil {
					t.Errorf("%s page %d: %v", l.ID, p, err)
				}
			}
		}
	}
}

// lab builds a MapFS lab "x" from the good fixture's shape with some files changed.
func lab(change map[string]string, modes map[string]os.FileMode) fstest.MapFS {
	base := map[string]string{
		"index.json": `{
  "title": {"ko": "가", "en": "A"},
  "details": {
    "steps": [
      {
        "title": {"ko": "하나", "en": "One"},
        "text": {"ko": "s1.ko.md", "en": "s1.en.md"},
        "verify": "verify.sh"
      }
    ]
  },
  "kubeplay": {"languages": ["ko", "en"], "duration": 5, "level": "beginner", "cluster": {"mode": "kind", "workers": 1}}
}`,
		"s1.ko.md":  "하나",
		"s1.en.md":  "one",
		"verify.sh": "#!/bin/bash\ntrue\n",
	}
	for k, v := range change {
		if v == "" {
			delete(base, k)
		} else {
			base[k] = v
		}
	}
	fsys := fstest.MapFS{}
	for k, v := range base {
		mode := os.FileMode(0o644)
		if strings.HasSuffix(k, ".sh") {
			mode = 0o755
		}
		if m, ok := modes[k]; ok {
			mode = m
		}
		fsys["x/"+k] = &fstest.MapFile{Data: []byte(v), Mode: mode}
	}
	return fsys
}

func TestLintRejects(t *testing.T) {
	replace := func(old, new string) map[string]string {
		ix := string(lab(nil, nil)["x/index.json"].Data)
		if !strings.Contains(ix, old) {
			t.Fatalf("fixture has no %q", old)
		}
		return map[string]string{"index.json": strings.Replace(ix, old, new, 1)}
	}
	cases := []struct {
		name  string
		fsys  fstest.MapFS
		where string // file:line the problem must name
		says  string
	}{
		{"bad json", lab(replace(`"duration": 5,`, `"duration": 5,,`), nil), "x/index.json:12", "bad JSON"},
		{"wrong type", lab(replace(`"duration": 5`, `"duration": "five"`), nil), "x/index.json:12", "want int"},
		{"missing step file", lab(map[string]string{"s1.en.md": ""}, nil), "x/index.json:7", "cannot read s1.en.md"},
		{"missing language", lab(replace(`"en": "s1.en.md"`, `"jp": "s1.en.md"`), nil), "x/index.json:7", `no "en" text`},
		{"title language", lab(replace(`"title": {"ko": "하나", "en": "One"}`, `"title": {"ko": "하나"}`), nil), "x/index.json:6", `no "en" text`},
		{"verify not executable", lab(nil, map[string]os.FileMode{"verify.sh": 0o644}), "x/verify.sh", "not executable"},
		{"verify not bash", lab(map[string]string{"verify.sh": "#!/usr/bin/python3\nprint(1)\n"}, nil), "x/verify.sh:1", "not a bash script"},
		{"verify syntax", lab(map[string]string{"verify.sh": "#!/bin/bash\nif true; then\n  echo\nfi fi\n"}, nil), "x/verify.sh:4", "bash syntax"},
		{"no steps", lab(replace(`"steps": [`, `"nosteps": [`), nil), "x/index.json:3", "at least one step"},
		{"bad level", lab(replace(`"beginner"`, `"expert"`), nil), "x/index.json:12", "level"},
		{"unknown node", lab(map[string]string{"s1.en.md": "```\nls\n```{{exec node7}}\n"}, nil), "x/s1.en.md:1", `node "node7"`},
		{"ubuntu backend", lab(replace(`"cluster": {"mode": "kind", "workers": 1}`, `"cluster": {"mode": "vm"}`), nil), "x/index.json:12", "not kind or kubeadm"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, probs := Load(c.fsys, "x", strict)
			if l != nil || len(probs) == 0 {
				t.Fatal("accepted")
			}
			for _, p := range probs {
				s := p.String()
				if strings.HasPrefix(s, c.where) && strings.Contains(s, c.says) {
					return
				}
			}
			t.Errorf("want %s … %s, got:\n%v", c.where, c.says, probs)
		})
	}
}

func TestServerSkipsABadLabAndKeepsTheOthers(t *testing.T) {
	fsys := lab(map[string]string{"verify.sh": "#!/bin/sh\n"}, nil)
	for k, v := range lab(nil, nil) {
		fsys["y/"+strings.TrimPrefix(k, "x/")] = v
	}
	cat, bad := LoadAll(Options{}, fsys)
	if len(cat.Labs()) != 1 || cat.Labs()[0].ID != "y" {
		t.Errorf("labs: %v", cat.Labs())
	}
	if len(bad) != 1 || !strings.Contains(bad[0].Error(), "x/verify.sh:1") {
		t.Errorf("problems: %v", bad)
	}
}

func TestJSONPositions(t *testing.T) {
	src := "{\n \"a\": 1,\n \"b\": {\n  \"c\": [\n   \"x\",\n   {\"d\": true}\n  ]\n }\n}"
	pos := jsonPositions([]byte(src))
	for p, line := range map[string]int{"a": 2, "b": 3, "b.c": 4, "b.c.0": 5, "b.c.1": 6, "b.c.1.d": 6} {
		off, ok := pos[p]
		if !ok || lineAt([]byte(src), off) != line {
			t.Errorf("%s: offset %d ok %v, want line %d", p, off, ok, line)
		}
	}
}
