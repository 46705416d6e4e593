package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kubeplay/kubeplay/tests/testenv"
)

// walkLab is the lab TestBrowserLabWalk takes from its intro to its finish page.
const walkLab = "secrets"

// TestBrowserLabWalk walks one lab of the curriculum in Korean, as a student would, from the intro
// to the finish page: on every step it opens the solution, presses each of its run buttons (the
// commands go to the terminal), and waits for the step's check to turn green before going on.
func TestBrowserLabWalk(t *testing.T) {
	testenv.NodeImage(t)
	removeNewClusters(t)
	srv := startServer(t, t.TempDir(), "--pool", "0")
	ctx := testenv.Browser(t, 20*time.Minute)
	start := fmt.Sprintf(`.lab-card[data-lab=%q] button.start`, walkLab)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL), chromedp.WaitVisible(start), chromedp.Click("#lang-ko"), chromedp.WaitVisible(start)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(start)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "a ready session", `window.kubeplay.state && window.kubeplay.state.state === "ready"`, 6*time.Minute)
	waitJS(t, ctx, "the lesson", `window.kubeplay.lesson && window.kubeplay.lesson.loaded`, time.Minute)
	cp := js[string](t, ctx, `window.kubeplay.state.nodes.find(n => n.role === "control-plane").name`)
	waitJS(t, ctx, "the control plane's terminal", `window.kubeplay.terminals[`+jsString(cp)+`] && window.kubeplay.terminals[`+jsString(cp)+`].connected`, time.Minute)
	if lang := js[string](t, ctx, `window.kubeplay.lesson.lang`); lang != "ko" {
		t.Fatalf("lesson in %q", lang)
	}
	pages := js[int](t, ctx, `window.kubeplay.lesson.pages`)
	began := time.Now()
	for page := 1; page < pages-1; page++ {
		if err := chromedp.Do(ctx, chromedp.Click(`#lesson-next`)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, fmt.Sprintf("step %d", page), fmt.Sprintf(`window.kubeplay.lesson.page === %d`, page), 10*time.Second)
		text := js[string](t, ctx, `document.querySelector("#lesson-content").innerText`)
		if !strings.ContainsAny(text, "가나다라마바사아자차카타파하는을를이가에서합니다") {
			t.Errorf("step %d is not in Korean: %.200s", page, text)
		}
		runs := js[int](t, ctx, `(() => {
			const d = document.querySelector("#lesson-solution");
			if (!d) return 0;
			d.open = true;
			return d.querySelectorAll(".kp-run").length;
		})()`)
		if runs == 0 {
			t.Fatalf("step %d has no solution with run buttons", page)
		}
		for i := 0; i < runs; i++ {
			js[bool](t, ctx, fmt.Sprintf(`(document.querySelectorAll("#lesson-solution .kp-run")[%d].click(), true)`, i))
			time.Sleep(300 * time.Millisecond)
		}
		deadline := time.Now().Add(4 * time.Minute)
		for js[string](t, ctx, `document.querySelector("#lesson-status").dataset.state`) != "passed" {
			if time.Now().After(deadline) {
				t.Fatalf("step %d did not turn green: %s\nterminal:\n%s", page, js[string](t, ctx, `document.querySelector("#lesson-status").innerText`),
					js[string](t, ctx, termText(cp)+`.slice(-3000)`))
			}
			if js[string](t, ctx, `document.querySelector("#lesson-status").dataset.state`) != "checking" {
				_ = chromedp.Do(ctx, chromedp.Click(`#lesson-check`))
			}
			time.Sleep(3 * time.Second)
		}
		t.Logf("step %d done after %s", page, time.Since(began).Round(time.Second))
		screenshot(t, ctx, fmt.Sprintf("walk-%d", page))
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#lesson-next`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the finish page", fmt.Sprintf(`window.kubeplay.lesson.page === %d`, pages-1), 10*time.Second)
	finish := js[string](t, ctx, `document.querySelector("#lesson-content").innerText`)
	if len(finish) < 50 {
		t.Errorf("finish page: %q", finish)
	}
	if done := js[int](t, ctx, `document.querySelectorAll('#lesson-steps .lesson-step[data-state="passed"]').length`); done != pages-2 {
		t.Errorf("%d steps shown done of %d", done, pages-2)
	}
}
