package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/kubeplay/kubeplay/tests/testenv"
)

// js evaluates an expression in the page and decodes its value.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// jsAwait evaluates an expression that gives a promise, and decodes what it resolves to.
func jsAwait[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitJS waits until a JavaScript predicate is true. A predicate that throws (the page is still
// loading and window.kubeplay is not there yet) or an evaluation lost to a navigation counts as
// not yet true, so only the timeout fails the wait.
func waitJS(t *testing.T, ctx context.Context, what, pred string, timeout time.Duration) {
	t.Helper()
	wrapped := `(() => { try { return !!(` + pred + `); } catch (e) { return "throws: " + e; } })()`
	deadline := time.Now().Add(timeout)
	var last string
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](wrapped))
		switch {
		case err != nil:
			last = err.Error()
		case v == true:
			return
		default:
			last = fmt.Sprint(v)
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(window.kubeplay && window.kubeplay.state)`))
	terms, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`Object.entries((window.kubeplay && window.kubeplay.terminals) || {}).map(([n, x]) => n + ":\n" + x.text().slice(-3000)).join("\n----\n")`))
	t.Fatalf("waiting for %s (%s): last answer %s\nsession state: %s\nterminals:\n%s", what, timeout, last, state, terms)
}

// termText is the whole buffer of a node's terminal in the page.
func termText(node string) string {
	return fmt.Sprintf(`(window.kubeplay.terminals[%q] ? window.kubeplay.terminals[%q].text() : "")`, node, node)
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("KUBEPLAY_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
}

// typeKeys types on the keyboard as a person does: for each key a keyDown that carries its text
// (the browser makes keydown, keypress and input of it), then a keyUp.
func typeKeys(t *testing.T, ctx context.Context, s string) {
	t.Helper()
	for _, r := range s {
		k, ok := kb.Keys[r]
		if !ok {
			t.Fatalf("no key for %q", r)
		}
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: k.Key, Code: k.Code, Text: k.Text, UnmodifiedText: k.Unmodified,
			WindowsVirtualKeyCode: k.Windows, NativeVirtualKeyCode: k.Native}
		if k.Shift {
			down.Modifiers = 8 // Shift
		}
		up := down
		up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
		for _, ev := range []input.DispatchKeyEventParams{down, up} {
			if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, ev); err != nil {
				t.Fatalf("key %q: %v", r, err)
			}
		}
	}
}

// TestBrowserStudent: a student in headless Chromium opens the site (Korean by default), starts a
// lab with an empty pool and sees the create's real progress, types `kubectl get nodes` with the
// keyboard and sees every node Ready, sees Korean output, reloads and finds the scrollback, pastes
// 1 MiB that arrives intact, and a second browser cannot open the session.
func TestBrowserStudent(t *testing.T) {
	testenv.NodeImage(t)
	removeNewClusters(t)
	srv := startServer(t, t.TempDir(), "--pool", "0")
	ctx := testenv.Browser(t, 10*time.Minute)

	start := `.lab-card[data-lab="playground-kind-1"] button.start`
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL), chromedp.WaitVisible(start)); err != nil {
		t.Fatal(err)
	}
	if card := js[string](t, ctx, `document.querySelector('.lab-card[data-lab="playground-kind-1"]').innerText`); !strings.Contains(card, "자유 실습") {
		t.Errorf("the lab list is not in Korean by default: %q", card)
	}
	screenshot(t, ctx, "landing")
	clicked := time.Now()
	if err := chromedp.Do(ctx, chromedp.Click(start)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the session page", `location.pathname.startsWith("/s/")`, 30*time.Second)
	// An empty pool: the page lists the create's stages as they happen.
	waitJS(t, ctx, "progress stages", `document.querySelectorAll("#progress li").length >= 3`, 2*time.Minute)
	screenshot(t, ctx, "creating")
	waitJS(t, ctx, "a ready session", `window.kubeplay.state && window.kubeplay.state.state === "ready"`, 5*time.Minute)
	type node struct{ Name string }
	nodes := js[[]node](t, ctx, `window.kubeplay.state.nodes.map(n => ({Name: n.name}))`)
	if len(nodes) != 2 {
		t.Fatalf("nodes: %v", nodes)
	}
	cp := nodes[0].Name
	waitJS(t, ctx, "the terminal to connect", fmt.Sprintf(`window.kubeplay.terminals[%q] && window.kubeplay.terminals[%q].connected`, cp, cp), time.Minute)
	t.Logf("click to usable terminal, empty pool: %s", time.Since(clicked).Round(100*time.Millisecond))

	// Typed with the keyboard, into xterm's own input.
	input := fmt.Sprintf(`.term-pane[data-node=%q] .xterm-helper-textarea`, cp)
	if err := chromedp.Do(ctx, chromedp.Focus(input)); err != nil {
		t.Fatal(err)
	}
	typeKeys(t, ctx, "kubectl wait --for=condition=Ready node --all --timeout=90s >/dev/null; kubectl get nodes"+kb.Enter)
	waitJS(t, ctx, "every node Ready in the terminal",
		termText(cp)+`.split("\n").filter(l => /^kp-\S+\s+Ready\s/.test(l)).length === 2`, 2*time.Minute)

	// Korean output renders (the line the shell prints, not the command's echo).
	js[bool](t, ctx, fmt.Sprintf(`window.kubeplay.terminals[%q].send("echo 안녕하세요\n"), true`, cp))
	waitJS(t, ctx, "Korean output", termText(cp)+`.split("\n").some(l => l.trim() === "안녕하세요")`, 30*time.Second)
	screenshot(t, ctx, "terminal")

	// A reload reconnects and the scrollback is back.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the scrollback after a reload", termText(cp)+`.split("\n").some(l => l.trim() === "안녕하세요")`, time.Minute)

	// A 1 MiB paste, through xterm's paste handling, arrives intact.
	js[bool](t, ctx, fmt.Sprintf(`window.kubeplay.terminals[%q].send("cat > /tmp/paste.txt\n"), true`, cp))
	time.Sleep(500 * time.Millisecond)
	pasted := js[bool](t, ctx, fmt.Sprintf(`(() => {
		const ta = document.querySelector(%q);
		const lines = [];
		for (let i = 0; i < 16384; i++) lines.push(String(i).padStart(8, "0") + "k".repeat(55));
		const dt = new DataTransfer();
		dt.setData("text/plain", lines.join("\n") + "\n");
		ta.focus();
		ta.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
		return true;
	})()`, input))
	if !pasted {
		t.Fatal("paste not dispatched")
	}
	// End cat right away: input reaches the TTY in order, so ^D comes after the whole paste. (Its
	// echo may lose bytes under load, as on any terminal: the kernel drops echoes it cannot write
	// in time; the file gets everything.)
	js[bool](t, ctx, fmt.Sprintf(`window.kubeplay.terminals[%q].send("\x04"), true`, cp))
	js[bool](t, ctx, fmt.Sprintf(`window.kubeplay.terminals[%q].send("wc -c < /tmp/paste.txt; sha256sum < /tmp/paste.txt | cut -c1-16\n"), true`, cp))
	var want strings.Builder
	for i := 0; i < 16384; i++ {
		fmt.Fprintf(&want, "%08d%s\n", i, strings.Repeat("k", 55))
	}
	sum := sha256.Sum256([]byte(want.String()))
	waitJS(t, ctx, "the pasted file's size and checksum", termText(cp)+fmt.Sprintf(`.split("\n").some(l => l.trim() === "1048576") && %s.includes(%q)`, termText(cp), hex.EncodeToString(sum[:])[:16]), time.Minute)

	// Another browser (its own cookies) cannot open the session.
	id := js[string](t, ctx, `window.kubeplay.state.id`)
	other, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(other, chromedp.Navigate(srv.URL+"/s/"+id)); err != nil {
		t.Fatal(err)
	}
	// The page's error banner exists (hidden, holding only its close button) from the start: wait
	// for a shown #error that says something.
	waitJS(t, other, "the stranger's error", `(() => { const e = document.querySelector("#error"); return !!e && !e.hidden && e.innerText.replace("×", "").trim().length > 0; })()`, 30*time.Second)
	if n := js[int](t, other, `Object.keys((window.kubeplay && window.kubeplay.terminals) || {}).length`); n != 0 {
		t.Errorf("a stranger's page opened %d terminals", n)
	}
	msg := js[string](t, other, `document.querySelector("#error").innerText`)
	if !strings.Contains(msg, "세션을 찾을 수 없습니다") {
		t.Errorf("the stranger's message: %q", msg)
	}
}
