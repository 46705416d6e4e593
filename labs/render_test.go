package labs

import (
	"strings"
	"testing"
)

func TestRenderMarkers(t *testing.T) {
	src := "Run `kubectl get pods`{{exec}} or copy `x`.\n\nNo copy: `y`{{}}\n\n" +
		"```bash\nkubectl apply -f a.yaml\nkubectl get pods\n```{{exec interrupt}}\n\n" +
		"```\njoin me\n```{{exec node2}}\n\n" +
		"```plain\ncopy me\n```{{copy}}\n\n" +
		"```\nplain <b>code</b>\n```\n\n<details><summary>Solution</summary>\n\n`a`{{exec}}\n\n</details>\n"
	h, err := Render(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<code data-kp-action="exec">kubectl get pods</code>`,
		`<code data-kp-action="copy">x</code>`,
		`No copy: <code>y</code>`,
		`<pre data-kp-action="exec" data-kp-interrupt="1"><code class="language-bash">kubectl apply -f a.yaml` + "\nkubectl get pods\n</code></pre>",
		`<pre data-kp-action="exec" data-kp-node="node2"><code>join me`,
		`<pre data-kp-action="copy"><code>copy me`,
		`<pre><code>plain &lt;b&gt;code&lt;/b&gt;`,
		`<details><summary>Solution</summary>`,
		`<code data-kp-action="exec">a</code>`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("missing %s in:\n%s", want, h)
		}
	}
	if strings.Contains(h, "{{") {
		t.Errorf("a marker was left in the page:\n%s", h)
	}
}

func TestBlocks(t *testing.T) {
	src := "a `one`{{exec}}\n\n```\ntwo\nthree\n```{{exec node2}}\n\n`c`{{copy}}\n\n~~~\nfour\n~~~{{exec interrupt}}\n\n```\nnot a block\n```\n"
	got := Blocks(src)
	want := []Block{
		{Code: "one", Action: "exec", Line: 1, Inline: true},
		{Code: "two\nthree", Action: "exec", Node: "node2", Line: 3},
		{Code: "c", Action: "copy", Line: 8, Inline: true},
		{Code: "four", Action: "exec", Interrupt: true, Line: 10},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("block %d: got %+v want %+v", i, got[i], want[i])
		}
	}
}

func TestFenceInsideFenceIsText(t *testing.T) {
	// A longer fence keeps a shorter one (with its marker) as text: a lab can show the syntax itself.
	src := "````markdown\n```\nls\n```{{exec}}\n````\n"
	if b := Blocks(src); len(b) != 0 {
		t.Errorf("blocks in a quoted example: %+v", b)
	}
	h, _ := Render(src)
	if !strings.Contains(h, "```{{exec}}") {
		t.Errorf("the quoted marker is lost:\n%s", h)
	}
}
