package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kubeplay/kubeplay/tests/testenv"
)

// TestBrowserLesson walks the first step of a bundled lab as a student does, in Korean and in
// English: open the lab, read the intro, press the run button of the step's command (it types into
// the control plane's terminal), and see the step's check turn green in the page's language.
func TestBrowserLesson(t *testing.T) {
	testenv.NodeImage(t)
	removeNewClusters(t)
	srv := startServer(t, t.TempDir(), "--pool", "kind-1=1")
	browser := testenv.Browser(t, 15*time.Minute)

	walk := func(ctx context.Context, lang, passed string) {
		start := `.lab-card[data-lab="cluster-anatomy"] button.start`
		// The student picks the language on the page (the browser asks for Korean).
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL), chromedp.WaitVisible(start), chromedp.Click("#lang-"+lang), chromedp.WaitVisible(start)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Click(start)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "a ready session", `window.kubeplay.state && window.kubeplay.state.state === "ready"`, 6*time.Minute)
		waitJS(t, ctx, "the lesson", `window.kubeplay.lesson && window.kubeplay.lesson.loaded && document.querySelector("#lesson-content").innerText.length > 0`, time.Minute)
		if got := js[string](t, ctx, `window.kubeplay.lesson.lang`); got != lang {
			t.Errorf("lesson fetched in %q, want %q", got, lang)
		}
		cp := js[string](t, ctx, `window.kubeplay.state.nodes.find(n => n.role === "control-plane").name`)
		waitJS(t, ctx, "the control plane's terminal", `window.kubeplay.terminals[`+jsString(cp)+`] && window.kubeplay.terminals[`+jsString(cp)+`].connected`, time.Minute)
		// The intro, then step 1 (locked pages cannot be skipped to: step 2 must refuse).
		if js[bool](t, ctx, `window.kubeplay.lesson.goto(2)`) {
			t.Error("step 2 opened before step 1 was done")
		}
		if err := chromedp.Do(ctx, chromedp.Click(`#lesson-next`)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "step 1", `window.kubeplay.lesson.page === 1`, 10*time.Second)
		if st := js[string](t, ctx, `document.querySelector("#lesson-status").dataset.state`); st == "passed" {
			t.Fatal("step 1 is green before anything ran")
		}
		// The run button of the block that creates the pod.
		clicked := js[bool](t, ctx, `(() => {
			const b = [...document.querySelectorAll("#lesson-content .kp-block")].find(b => b.innerText.includes("kubectl run where"));
			if (!b) return false;
			b.querySelector(".kp-run").click();
			return true;
		})()`)
		if !clicked {
			t.Fatalf("no run button for the pod's command in:\n%s", js[string](t, ctx, `document.querySelector("#lesson-content").innerHTML`))
		}
		waitJS(t, ctx, "the command in the control plane's terminal", termText(cp)+`.includes("kubectl run where")`, 30*time.Second)
		waitJS(t, ctx, "the pod Ready in the terminal", termText(cp)+`.includes("condition met")`, 3*time.Minute)
		// The page checks by itself after the command; press check as well in case it ran early.
		deadline := time.Now().Add(2 * time.Minute)
		for js[string](t, ctx, `document.querySelector("#lesson-status").dataset.state`) != "passed" {
			if time.Now().After(deadline) {
				t.Fatalf("the check did not turn green: %s", js[string](t, ctx, `document.querySelector("#lesson-status").innerText`))
			}
			if js[string](t, ctx, `document.querySelector("#lesson-status").dataset.state`) != "checking" {
				_ = chromedp.Do(ctx, chromedp.Click(`#lesson-check`))
			}
			time.Sleep(2 * time.Second)
		}
		msg := js[string](t, ctx, `document.querySelector("#lesson-status").innerText`)
		if !strings.Contains(msg, passed) {
			t.Errorf("%s: the passed message %q does not say %q", lang, msg, passed)
		}
		screenshot(t, ctx, "lesson-"+lang)
		// A reload keeps the progress: step 1 is still done.
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "the lesson after a reload", `window.kubeplay.lesson && window.kubeplay.lesson.loaded && window.kubeplay.lesson.current === 2`, time.Minute)
	}
	walk(browser, "ko", "잘했습니다")
	en, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	walk(en, "en", "Well done")
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
