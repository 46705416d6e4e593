package labs

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Block is a code block or inline code with a run or copy marker.
type Block struct {
	Code      string
	Action    string // "exec" or "copy"
	Interrupt bool   // send Ctrl-C first
	Node      string // the node the marker names ("" for the terminal on screen)
	Line      int    // 1-based line of the block's start in its Markdown
	Inline    bool
}

var (
	fenceOpenRE = regexp.MustCompile("^( {0,3})(`{3,}|~{3,})(.*)$")
	markerRE    = regexp.MustCompile(`^\{\{\s*(exec|copy)?((?:\s+[A-Za-z0-9-]+)*)\s*\}\}`)
	inlineRE    = regexp.MustCompile("`([^`\n]+)`(\\{\\{[^}\n]*\\}\\})?")
)

// parseMarker reads "{{exec interrupt node2}}" at the start of s. ok is false when s does not start
// with a marker; an empty action is the "{{}}" that turns copying off.
func parseMarker(s string) (action string, interrupt bool, node string, n int, ok bool) {
	m := markerRE.FindStringSubmatch(s)
	if m == nil {
		return "", false, "", 0, false
	}
	action = m[1]
	for _, w := range strings.Fields(m[2]) {
		switch {
		case w == "interrupt" && action == "exec":
			interrupt = true
		case action == "exec" && node == "":
			node = w
		default:
			return "", false, "", 0, false
		}
	}
	return action, interrupt, node, len(m[0]), true
}

// preprocess moves the markers Killercoda writes after a closing fence (```{{exec}}) into the block's
// info string, where goldmark keeps them: a closing fence may carry no text in CommonMark.
func preprocess(src string) (string, []Block) {
	lines := strings.Split(src, "\n")
	var blocks []Block
	open := -1
	var fence, info string
	var body []string
	for i, l := range lines {
		if open < 0 {
			if m := fenceOpenRE.FindStringSubmatch(l); m != nil && !(m[2][0] == '`' && strings.Contains(m[3], "`")) {
				open, fence, info, body = i, m[2], m[3], nil
				continue
			}
			for _, im := range inlineRE.FindAllStringSubmatch(l, -1) {
				if im[2] == "" {
					continue
				}
				if a, intr, node, _, ok := parseMarker(im[2]); ok && a != "" {
					blocks = append(blocks, Block{Code: im[1], Action: a, Interrupt: intr, Node: node, Line: i + 1, Inline: true})
				}
			}
			continue
		}
		t := strings.TrimLeft(l, " ")
		if strings.HasPrefix(t, fence[:1]) {
			run := len(t) - len(strings.TrimLeft(t, fence[:1]))
			rest := t[run:]
			if run >= len(fence) {
				a, intr, node, n, ok := parseMarker(rest)
				if strings.TrimSpace(rest) == "" || (ok && strings.TrimSpace(rest[n:]) == "") {
					if ok && a != "" {
						words := []string{strings.TrimSpace(info), "kp-" + a}
						if intr {
							words = append(words, "kp-interrupt")
						}
						if node != "" {
							words = append(words, "kp-node-"+node)
						}
						lines[open] = lines[open][:len(lines[open])-len(info)] + " " + strings.TrimSpace(strings.Join(words, " "))
						blocks = append(blocks, Block{Code: strings.Join(body, "\n"), Action: a, Interrupt: intr, Node: node, Line: open + 1})
					}
					lines[i] = l[:len(l)-len(rest)]
					open = -1
					continue
				}
			}
		}
		body = append(body, l)
	}
	return strings.Join(lines, "\n"), blocks
}

// Blocks lists the run and copy blocks of a Markdown text, in order.
func Blocks(src string) []Block {
	_, b := preprocess(src)
	// preprocess finds inline ones line by line and fenced ones at their end: order by line.
	for i := 1; i < len(b); i++ {
		for j := i; j > 0 && b[j].Line < b[j-1].Line; j-- {
			b[j], b[j-1] = b[j-1], b[j]
		}
	}
	return b
}

// md is the Markdown converter: GFM, raw HTML kept (labs are trusted content, as in Killercoda),
// code markers turned into data attributes the page gives buttons to.
var md = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
	goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithASTTransformers(util.Prioritized(inlineMarkers{}, 100))),
	goldmark.WithRendererOptions(html.WithUnsafe(), renderer.WithNodeRenderers(util.Prioritized(fenceRenderer{}, 100))),
)

// Render turns a lab's Markdown into HTML. Run blocks become <pre data-kp-action="exec"> (with
// data-kp-interrupt and data-kp-node) and inline code <code data-kp-action="exec|copy">.
func Render(src string) (string, error) {
	pre, _ := preprocess(src)
	var buf bytes.Buffer
	if err := md.Convert([]byte(pre), &buf); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// inlineMarkers reads the marker that follows an inline code span.
type inlineMarkers struct{}

func (inlineMarkers) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		cs, ok := n.(*ast.CodeSpan)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		action := "copy" // Killercoda: inline code is copyable unless {{}} says otherwise
		if t, ok := cs.NextSibling().(*ast.Text); ok {
			seg := t.Segment
			if a, intr, node, n, ok := parseMarker(string(seg.Value(src))); ok {
				action = a
				if intr {
					cs.SetAttributeString("data-kp-interrupt", "1")
				}
				if node != "" {
					cs.SetAttributeString("data-kp-node", node)
				}
				t.Segment = seg.WithStart(seg.Start + n)
				if t.Segment.Len() == 0 {
					t.Parent().RemoveChild(t.Parent(), t)
				}
			}
		}
		if action != "" {
			cs.SetAttributeString("data-kp-action", action)
		}
		return ast.WalkSkipChildren, nil
	})
}

// fenceRenderer renders fenced code with its marker.
type fenceRenderer struct{}

func (fenceRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		n := node.(*ast.FencedCodeBlock)
		var lang, action, target string
		var interrupt bool
		if n.Info != nil {
			for i, w := range strings.Fields(string(n.Info.Segment.Value(src))) {
				switch {
				case w == "kp-exec" || w == "kp-copy":
					action = strings.TrimPrefix(w, "kp-")
				case w == "kp-interrupt":
					interrupt = true
				case strings.HasPrefix(w, "kp-node-"):
					target = strings.TrimPrefix(w, "kp-node-")
				case i == 0:
					lang = w
				}
			}
		}
		_, _ = w.WriteString("<pre")
		if action != "" {
			_, _ = w.WriteString(` data-kp-action="` + action + `"`)
		}
		if interrupt {
			_, _ = w.WriteString(` data-kp-interrupt="1"`)
		}
		if target != "" {
			_, _ = w.WriteString(` data-kp-node="`)
			_, _ = w.Write(util.EscapeHTML([]byte(target)))
			_, _ = w.WriteString(`"`)
		}
		_, _ = w.WriteString("><code")
		if lang != "" && lang != "plain" {
			_, _ = w.WriteString(` class="language-`)
			_, _ = w.Write(util.EscapeHTML([]byte(lang)))
			_, _ = w.WriteString(`"`)
		}
		_, _ = w.WriteString(">")
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
		}
		_, _ = w.WriteString("</code></pre>\n")
		return ast.WalkSkipChildren, nil
	})
}
