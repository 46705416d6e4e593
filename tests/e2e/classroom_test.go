package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/kubeplay/kubeplay/tests/testenv"
)

// TestClassroom runs a class of two seats as an instructor and two students do, each in a browser of
// their own (their own cookies): the instructor signs in at /teach and makes a class of the
// cluster-anatomy lab; the seats' clusters are made one after the other; the students join with the
// code (one with a Korean name) and land in their seat's session; student 1 passes step 1 and the
// instructor's grid shows it without a reload; the instructor watches student 1's terminal read-only
// (sees what the student typed, and what the instructor types never reaches the student); seat 2 is
// reset (a new session, its cluster ready again, its student back in it); the server restarts in the
// middle of the class and the grid, the seats and student 1's terminal come back; ending the class
// removes every cluster it made.
func TestClassroom(t *testing.T) {
	testenv.NodeImage(t)
	removeNewClusters(t)
	before := clusters(t)
	const secret = "s3cret-for-tests"
	args := []string{"--pool", "0", "--instructor-secret", secret}
	data := t.TempDir()
	srv := startServer(t, data, args...)
	teacher := testenv.Browser(t, 35*time.Minute)
	began := time.Now()

	// ---- the instructor signs in (a wrong secret first: the server's message, in Korean)
	if err := chromedp.Do(teacher, chromedp.Navigate(srv.URL+"/teach"), chromedp.WaitVisible("#instructor-secret"),
		chromedp.SendKeys("#instructor-secret", "not-the-secret"), chromedp.Click("#signin")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, teacher, "the sign-in error", `(() => { const e = document.querySelector("#signin-error"); return !!e && !e.hidden && e.innerText.length > 0; })()`, 15*time.Second)
	if msg := js[string](t, teacher, `document.querySelector("#signin-error").innerText`); !strings.Contains(msg, "강사 비밀 키") {
		t.Errorf("the wrong secret's message: %q", msg)
	}
	if err := chromedp.Do(teacher, chromedp.SetValue("#instructor-secret", secret), chromedp.Click("#signin"), chromedp.WaitVisible("#class-form")); err != nil {
		t.Fatal(err)
	}
	// Only labs with a lesson are offered for a class.
	if n := js[int](t, teacher, `[...document.querySelectorAll("#class-lab option")].filter(o => o.value.startsWith("playground-")).length`); n != 0 {
		t.Errorf("the class form offers %d free playgrounds", n)
	}
	if err := chromedp.Do(teacher, chromedp.SetValue("#class-title", "쿠버네티스 입문 (e2e)"), chromedp.SetValue("#class-lab", "cluster-anatomy"),
		chromedp.SetValue("#class-seats", "2"), chromedp.SetValue("#class-minutes", "120"), chromedp.SetValue("#class-lang", "ko"), chromedp.Click("#class-create")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, teacher, "the class page", `location.pathname.startsWith("/teach/") && !!window.kubeplay.classGrid`, 30*time.Second)
	classID := js[string](t, teacher, `window.kubeplay.classGrid.class.id`)
	// The instructor's own session (to show the class later), made while the seats are.
	mine := jsAwait[string](t, teacher, `fetch("/api/sessions", {method: "POST", headers: {"Content-Type": "application/json"},
		body: JSON.stringify({lab: "cluster-anatomy", lang: "ko"})}).then(r => r.json()).then(s => s.id || JSON.stringify(s))`)
	if !strings.HasPrefix(mine, "s") {
		t.Fatalf("the instructor's own session: %s", mine)
	}
	code := js[string](t, teacher, `window.kubeplay.classGrid.class.code`)
	if len(code) != 6 {
		t.Fatalf("join code %q", code)
	}
	shown := js[string](t, teacher, `document.querySelector("#join-code").innerText`)
	if shown != code[:3]+" "+code[3:] {
		t.Errorf("the join code shows as %q, want %q", shown, code[:3]+" "+code[3:])
	}
	if !js[bool](t, teacher, `document.querySelector("#join-url").innerText.endsWith("/join?code=`+code+`") && document.querySelector("#join-qr").src.startsWith("data:image/")`) {
		t.Error("no join URL or QR code on the class page")
	}
	if n := js[int](t, teacher, `document.querySelectorAll("#class-grid tbody tr.seat-row").length`); n != 2 {
		t.Errorf("the grid has %d rows, want 2", n)
	}
	js[bool](t, teacher, `(window.__sameLoad = true)`) // gone if the page reloads
	screenshot(t, teacher, "class-new")

	// ---- the seats' clusters, one after the other (a free seat's cluster waits paused)
	seatReady := func(n int) string {
		return fmt.Sprintf(`(() => { const r = document.querySelector('#class-grid tr[data-seat="%d"]'); return !!r && (r.dataset.state === "ready" || r.dataset.state === "paused"); })()`, n)
	}
	waitJS(t, teacher, "seat 1's cluster", seatReady(1), 8*time.Minute)
	t.Logf("seat 1 ready %s after the class was made", time.Since(began).Round(time.Second))
	waitJS(t, teacher, "seat 2's cluster", seatReady(2), 8*time.Minute)
	t.Logf("both seats ready %s after the class was made", time.Since(began).Round(time.Second))
	screenshot(t, teacher, "class-ready")

	// ---- two students, each in a browser context of their own
	student1, cancel1 := chromedp.NewContext(teacher, chromedp.WithNewBrowserContext())
	defer cancel1()
	student2, cancel2 := chromedp.NewContext(teacher, chromedp.WithNewBrowserContext())
	defer cancel2()
	// A wrong code first: the server's message.
	if err := chromedp.Do(student2, chromedp.Navigate(srv.URL+"/join?code=ZZZZZZ"), chromedp.WaitVisible("#join-name"), chromedp.Click("#lang-ko"),
		chromedp.SetValue("#join-name", "Alex Kim"), chromedp.Click("#join-submit")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, student2, "the unknown code's message", `(() => { const e = document.querySelector("#join-error"); return !!e && !e.hidden && e.innerText.length > 0; })()`, 15*time.Second)
	if msg := js[string](t, student2, `document.querySelector("#join-error").innerText`); !strings.Contains(msg, "코드") {
		t.Errorf("the unknown code's message: %q", msg)
	}
	join := func(ctx context.Context, name string) string {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/join?code="+code), chromedp.WaitVisible("#join-name")); err != nil {
			t.Fatal(err)
		}
		if v := js[string](t, ctx, `document.querySelector("#join-code").value`); strings.ReplaceAll(v, " ", "") != code {
			t.Errorf("the join form's code is %q, want %s", v, code)
		}
		if err := chromedp.Do(ctx, chromedp.SetValue("#join-name", name), chromedp.Click("#join-submit")); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, name+"'s session page", `location.pathname.startsWith("/s/")`, 3*time.Minute)
		return strings.TrimPrefix(js[string](t, ctx, `location.pathname`), "/s/")
	}
	s1 := join(student1, "김민준")
	s2 := join(student2, "Alex Kim")
	if s1 == s2 {
		t.Fatalf("both students got session %s", s1)
	}
	waitJS(t, teacher, "both names in the grid", `(() => {
		const name = (n) => (document.querySelector('#class-grid tr[data-seat="' + n + '"] .seat-name') || {}).innerText || "";
		return [name(1), name(2)].sort().join("|") === ["Alex Kim", "김민준"].sort().join("|");
	})()`, 30*time.Second)
	seatOf := func(session string) int {
		return js[int](t, teacher, fmt.Sprintf(`window.kubeplay.classGrid.seats.find(s => s.session === %q).n`, session))
	}
	seat1, seat2 := seatOf(s1), seatOf(s2)
	t.Logf("student 1 (김민준) has seat %d, session %s; student 2 has seat %d, session %s", seat1, s1, seat2, s2)

	// ---- student 1: the terminal, then step 1
	waitJS(t, student1, "student 1's ready session", `window.kubeplay.state && window.kubeplay.state.state === "ready"`, 3*time.Minute)
	cp := js[string](t, student1, `window.kubeplay.state.nodes.find(n => n.role === "control-plane").name`)
	waitJS(t, student1, "student 1's terminal", `window.kubeplay.terminals[`+jsString(cp)+`] && window.kubeplay.terminals[`+jsString(cp)+`].connected`, time.Minute)
	waitJS(t, student1, "the lesson", `window.kubeplay.lesson && window.kubeplay.lesson.loaded && window.kubeplay.lesson.lang === "ko"`, time.Minute)
	send := func(ctx context.Context, s string) {
		t.Helper()
		js[bool](t, ctx, fmt.Sprintf(`(window.kubeplay.terminals[%s].send(%s), true)`, jsString(cp), strconv.Quote(s)))
	}
	hasLine := func(line string) string {
		return termText(cp) + `.split("\n").some(l => l.trim() === ` + jsString(line) + `)`
	}
	send(student1, "echo hello-from-student-$((0+1))\r")
	waitJS(t, student1, "student 1's echo", hasLine("hello-from-student-1"), 30*time.Second)

	if err := chromedp.Do(student1, chromedp.Click(`#lesson-next`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, student1, "step 1 on screen", `window.kubeplay.lesson.page === 1`, 10*time.Second)
	cell := fmt.Sprintf(`document.querySelector('#class-grid tr[data-seat="%d"] td.step-cell[data-step="1"]')`, seat1)
	if st := js[string](t, teacher, cell+`.dataset.state`); st == "done" {
		t.Fatal("step 1 is done in the grid before the student did anything")
	}
	// When the student's page shows the passing check, and when the instructor's grid shows it.
	js[bool](t, student1, `(() => {
		window.__passedAt = 0;
		const note = () => { const el = document.querySelector("#lesson-status"); if (!window.__passedAt && el && el.dataset.state === "passed") window.__passedAt = Date.now(); };
		new MutationObserver(note).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"]});
		return true;
	})()`)
	js[bool](t, teacher, fmt.Sprintf(`(() => {
		window.__doneAt = 0;
		const note = () => { const c = %s; if (!window.__doneAt && c && c.dataset.state === "done") window.__doneAt = Date.now(); };
		new MutationObserver(note).observe(document.querySelector("#class-grid"), {subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"]});
		return true;
	})()`, cell))
	send(student1, "kubectl run where --image=nginx\rkubectl wait --for=condition=Ready pod/where --timeout=120s\r")
	waitJS(t, student1, "the pod Ready in the terminal", termText(cp)+`.includes("condition met")`, 4*time.Minute)
	// The page checks by itself after the command; press check as well in case it ran too early.
	deadline := time.Now().Add(2 * time.Minute)
	for js[string](t, student1, `document.querySelector("#lesson-status").dataset.state`) != "passed" {
		if time.Now().After(deadline) {
			t.Fatalf("step 1's check did not pass: %s", js[string](t, student1, `document.querySelector("#lesson-status").innerText`))
		}
		if js[string](t, student1, `document.querySelector("#lesson-status").dataset.state`) != "checking" {
			_ = chromedp.Do(student1, chromedp.Click(`#lesson-check`))
		}
		time.Sleep(2 * time.Second)
	}
	waitJS(t, teacher, "step 1 done in the instructor's grid", `window.__doneAt > 0`, 30*time.Second)
	passedAt, doneAt := js[float64](t, student1, `window.__passedAt`), js[float64](t, teacher, `window.__doneAt`)
	t.Logf("grid latency: the student's check passed, the instructor's grid showed step 1 done %d ms later", int64(doneAt-passedAt))
	if !js[bool](t, teacher, `window.__sameLoad === true`) {
		t.Error("the instructor's page was reloaded")
	}
	row := fmt.Sprintf(`document.querySelector('#class-grid tr[data-seat="%d"]')`, seat1)
	if got := js[string](t, teacher, row+`.querySelector(".seat-progress").innerText.trim()`); got != "1/5" {
		t.Errorf("seat %d's progress shows %q, want 1/5", seat1, got)
	}
	if got := js[string](t, teacher, row+`.querySelector(".seat-current").innerText.trim()`); got != "2단계" {
		t.Errorf("seat %d's current step shows %q, want 2단계", seat1, got)
	}
	screenshot(t, teacher, "class-progress")

	// ---- the instructor watches student 1's terminal, read-only
	js[bool](t, teacher, fmt.Sprintf(`(document.querySelector('#class-grid tr[data-seat="%d"] .seat-watch').click(), true)`, seat1))
	waitJS(t, teacher, "the watched terminal", `!!window.kubeplay.watch && window.kubeplay.terminals[`+jsString(cp)+`] && window.kubeplay.terminals[`+jsString(cp)+`].connected`, time.Minute)
	waitJS(t, teacher, "student 1's typing in the instructor's view", hasLine("hello-from-student-1"), 30*time.Second)
	if !js[bool](t, teacher, `window.kubeplay.terminals[`+jsString(cp)+`].readOnly`) {
		t.Error("the instructor's view of the terminal is not read-only")
	}
	if got := js[string](t, teacher, `document.querySelector("#watch-readonly").innerText`); got != "읽기 전용" {
		t.Errorf("the watch panel says %q, want 읽기 전용", got)
	}
	// Typed with the keyboard into the instructor's view, and as if typed: nothing reaches the student.
	if err := chromedp.Do(teacher, chromedp.Focus(fmt.Sprintf(`#watch .term-pane[data-node=%q] .xterm-helper-textarea`, cp))); err != nil {
		t.Fatal(err)
	}
	typeKeys(t, teacher, "echo typed-by-teacher"+kb.Enter)
	send(teacher, "echo sent-by-teacher\r")
	// Input reaches the shell in order: once the student's next command ran, any of the
	// instructor's would have too.
	send(student1, "echo after-teacher-$((40+2))\r")
	waitJS(t, student1, "student 1's next command", hasLine("after-teacher-42"), 30*time.Second)
	waitJS(t, teacher, "student 1's next command in the instructor's view", hasLine("after-teacher-42"), 30*time.Second)
	for _, ctx := range []context.Context{student1, teacher} {
		if txt := js[string](t, ctx, termText(cp)); strings.Contains(txt, "typed-by-teacher") || strings.Contains(txt, "sent-by-teacher") {
			t.Errorf("the instructor's typing reached the student's terminal:\n%s", txt)
		}
	}
	screenshot(t, teacher, "class-watch")

	// ---- "show my terminal to the class": a node of the instructor's own session, read-only for
	// every student beside their own terminals
	waitJS(t, teacher, "the instructor's own session", fmt.Sprintf(`(fetch("/api/sessions/%s").then(r => r.json()).then(s => { window.__mine = s.state; }), window.__mine === "ready")`, mine), 6*time.Minute)
	own, cancelOwn := chromedp.NewContext(teacher) // a tab of the instructor's browser: the same cookie
	defer cancelOwn()
	if err := chromedp.Do(own, chromedp.Navigate(srv.URL+"/s/"+mine)); err != nil {
		t.Fatal(err)
	}
	ownTerm := `Object.values(window.kubeplay.terminals).find(x => x.connected)`
	waitJS(t, own, "the instructor's own terminal", "!!"+ownTerm, time.Minute)
	js[bool](t, teacher, `(document.querySelector("#broadcast-reload").click(), true)`)
	waitJS(t, teacher, "the instructor's nodes to show", `!!document.querySelector("#broadcast-node") && !document.querySelector("#broadcast-start").disabled`, 30*time.Second)
	js[bool](t, teacher, `(document.querySelector("#broadcast-start").click(), true)`)
	waitJS(t, teacher, "the broadcast on", `!!document.querySelector("#broadcast-on")`, 30*time.Second)
	waitJS(t, student1, "the instructor's tab on student 1's page", `!!document.querySelector("#broadcast-tab")`, time.Minute)
	js[bool](t, student1, `(document.querySelector("#broadcast-tab").click(), true)`)
	waitJS(t, student1, "the instructor's terminal on student 1's page", `!!window.kubeplay.broadcast && window.kubeplay.broadcast.connected`, 30*time.Second)
	typedAt := time.Now()
	js[bool](t, own, `(`+ownTerm+`.send("echo shown-to-class-$((6*7))\r"), true)`)
	waitJS(t, student1, "the instructor's typing on student 1's page", `window.kubeplay.broadcast.text().includes("shown-to-class-42")`, 30*time.Second)
	t.Logf("broadcast: the instructor's command's output on student 1's page %s after it was typed", time.Since(typedAt).Round(time.Millisecond))
	js[bool](t, student1, `(window.kubeplay.broadcast.send("echo typed-by-student\r"), true)`)
	js[bool](t, own, `(`+ownTerm+`.send("echo then-the-teacher-$((1+1))\r"), true)`)
	waitJS(t, student1, "the instructor's next command on student 1's page", `window.kubeplay.broadcast.text().includes("then-the-teacher-2")`, 30*time.Second)
	if txt := js[string](t, own, ownTerm+`.text()`); strings.Contains(txt, "typed-by-student") {
		t.Errorf("a student's typing reached the instructor's terminal:\n%s", txt)
	}
	screenshot(t, student1, "class-broadcast")
	js[bool](t, teacher, `(document.querySelector("#broadcast-stop").click(), true)`)
	waitJS(t, student1, "the instructor's tab gone", `!document.querySelector("#broadcast-tab") && !window.kubeplay.broadcast`, time.Minute)
	waitJS(t, student1, "student 1's own terminal again", `window.kubeplay.terminals[`+jsString(cp)+`] && window.kubeplay.terminals[`+jsString(cp)+`].connected`, 30*time.Second)
	if st := jsAwait[string](t, own, fmt.Sprintf(`fetch("/api/sessions/%s", {method: "DELETE"}).then(r => String(r.status))`, mine)); st != "204" {
		t.Errorf("ending the instructor's own session: %s", st)
	}
	cancelOwn()

	// ---- reset seat 2: a new session, its cluster ready again, and its student back in it
	nodes2 := js[[]string](t, teacher, fmt.Sprintf(`(window.kubeplay.classGrid.seats.find(s => s.n === %d).nodes || []).map(n => n.name)`, seat2))
	if len(nodes2) == 0 {
		t.Fatalf("seat %d has no nodes in the grid", seat2)
	}
	oldCluster2 := clusterOf(t, nodes2[0])
	cluster1 := clusterOf(t, cp)
	js[bool](t, teacher, fmt.Sprintf(`(document.querySelector('#class-grid tr[data-seat="%d"] .seat-reset').click(), true)`, seat2))
	waitJS(t, teacher, "the reset dialog", `!!document.querySelector("#reset-dialog[open]")`, 10*time.Second)
	if js[bool](t, teacher, `document.querySelector("#reset-keep").checked`) {
		t.Error("keep progress is checked by default")
	}
	js[bool](t, teacher, `(document.querySelector("#reset-confirm").click(), true)`)
	resetAt := time.Now()
	waitJS(t, teacher, "seat 2's new session", fmt.Sprintf(`(() => { const s = window.kubeplay.classGrid.seats.find(s => s.n === %d); return !!s.session && s.session !== %q; })()`, seat2, s2), 30*time.Second)
	s2new := js[string](t, teacher, fmt.Sprintf(`window.kubeplay.classGrid.seats.find(s => s.n === %d).session`, seat2))
	waitJS(t, teacher, "seat 2's new cluster", seatReady(seat2), 8*time.Minute)
	t.Logf("seat %d reset: session %s -> %s, its new cluster ready in %s", seat2, s2, s2new, time.Since(resetAt).Round(time.Second))
	if left := containersOf(t, oldCluster2); left != "" {
		t.Errorf("seat %d's old cluster %s still has containers: %s", seat2, oldCluster2, left)
	}
	// The student's page finds its session gone and joins again: the seat's new session.
	waitJS(t, student2, "student 2 in the seat's new session", fmt.Sprintf(`location.pathname === "/s/%s" && window.kubeplay.state && window.kubeplay.state.state === "ready"`, s2new), 3*time.Minute)
	nodes2 = js[[]string](t, teacher, fmt.Sprintf(`(window.kubeplay.classGrid.seats.find(s => s.n === %d).nodes || []).map(n => n.name)`, seat2))
	if len(nodes2) == 0 {
		t.Fatalf("seat %d has no nodes in the grid after the reset", seat2)
	}
	newCluster2 := clusterOf(t, nodes2[0])

	// ---- the server restarts in the middle of the class
	restartedAt := time.Now()
	srv = restartServer(t, srv, args...)
	t.Logf("server restarted in %s", time.Since(restartedAt).Round(100*time.Millisecond))
	since := restartedAt.UnixMilli()
	waitJS(t, teacher, "the grid after the restart", fmt.Sprintf(`(() => {
		const g = window.kubeplay.classGrid;
		if (!g || Date.parse(g.now) < %d) return false;
		const s1 = g.seats.find(s => s.n === %d), s2 = g.seats.find(s => s.n === %d);
		return s1.session === %q && s1.name === "김민준" && s1.state === "ready" && s1.steps["1"] && s1.steps["1"].done &&
			s2.session === %q && s2.name === "Alex Kim" && (s2.state === "ready" || s2.state === "paused");
	})()`, since, seat1, seat2, s1, s2new), 2*time.Minute)
	waitJS(t, teacher, "the grid's cell after the restart", cell+`.dataset.state === "done"`, 30*time.Second)
	waitJS(t, teacher, "live events after the restart", `document.querySelector("#class-live").dataset.live === "true"`, time.Minute)
	waitJS(t, student1, "student 1's terminal after the restart", `window.kubeplay.terminals[`+jsString(cp)+`] && window.kubeplay.terminals[`+jsString(cp)+`].connected`, 2*time.Minute)
	send(student1, "echo back-after-restart-$((6*7))\r")
	waitJS(t, student1, "student 1's terminal works after the restart", hasLine("back-after-restart-42"), time.Minute)
	waitJS(t, teacher, "the instructor's view after the restart", hasLine("back-after-restart-42"), time.Minute)
	if !js[bool](t, teacher, `window.__sameLoad === true`) {
		t.Error("the instructor's page was reloaded")
	}
	screenshot(t, teacher, "class-after-restart")

	// ---- extend, results
	expires := js[string](t, teacher, `window.kubeplay.classGrid.class.expires`)
	js[bool](t, teacher, `(document.querySelector("#extend-30").click(), true)`)
	waitJS(t, teacher, "the class extended", fmt.Sprintf(`Date.parse(window.kubeplay.classGrid.class.expires) - Date.parse(%q) >= 29 * 60000`, expires), 30*time.Second)
	csv, err := chromedp.Run(teacher, chromedp.Evaluate[string](fmt.Sprintf(`fetch("/api/classes/%s/results.csv").then(r => r.text())`, classID), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv, "김민준") || !strings.Contains(csv, "step1") {
		t.Errorf("results.csv:\n%s", csv)
	}

	// ---- the end: every cluster of the class is removed
	js[bool](t, teacher, `(window.confirm = () => true, true)`)
	endAt := time.Now()
	js[bool](t, teacher, `(document.querySelector("#class-end").click(), true)`)
	waitJS(t, teacher, "the class list after the end", `location.pathname === "/teach" && !!document.querySelector("#class-form")`, 2*time.Minute)
	t.Logf("class ended (back on the class list) in %s", time.Since(endAt).Round(100*time.Millisecond))
	if n := js[int](t, teacher, fmt.Sprintf(`document.querySelectorAll('#class-list tr[data-class="%s"]').length`, classID)); n != 0 {
		t.Error("the ended class is still listed")
	}
	// Its clusters go in the background.
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(time.Second) {
		nets, _ := testenv.Try(context.Background(), "docker", "network", "ls", "-q", "--filter", "name=kubeplay-"+cluster1, "--filter", "name=kubeplay-"+newCluster2)
		if containersOf(t, cluster1)+containersOf(t, newCluster2)+strings.TrimSpace(nets) == "" {
			break
		}
	}
	t.Logf("the class's clusters removed %s after the end", time.Since(endAt).Round(100*time.Millisecond))
	for _, id := range []string{cluster1, oldCluster2, newCluster2} {
		if left := containersOf(t, id); left != "" {
			t.Errorf("cluster %s of the class still has containers after the end: %s", id, left)
		}
		if out, _ := testenv.Try(context.Background(), "docker", "network", "ls", "-q", "--filter", "name=kubeplay-"+id); strings.TrimSpace(out) != "" {
			t.Errorf("cluster %s's network is still there after the end", id)
		}
	}
	for id := range clusters(t) {
		if !before[id] {
			t.Errorf("cluster %s, made during the test, is still there after the class ended", id)
		}
	}
	// Student 1's page finds its session gone, tries to join again and is told why not.
	waitJS(t, student1, "student 1 told the class is over", `location.pathname === "/join" && (() => { const e = document.querySelector("#join-error"); return !!e && !e.hidden && e.innerText.length > 0; })()`, time.Minute)
	t.Logf("student 1 after the end: %s", js[string](t, student1, `document.querySelector("#join-error").innerText`))
	t.Logf("whole class: %s", time.Since(began).Round(time.Second))
}

// clusterOf is the cluster id a node container belongs to: kind's cluster label (kp-<id>) on a kind
// node, the provisioner's io.kubeplay.cluster on a bare one.
func clusterOf(t *testing.T, node string) string {
	t.Helper()
	out, err := testenv.Try(context.Background(), "docker", "inspect", "--format",
		`{{index .Config.Labels "io.x-k8s.kind.cluster"}} {{index .Config.Labels "io.kubeplay.cluster"}}`, node)
	f := strings.Fields(out)
	if err != nil || len(f) == 0 {
		t.Fatalf("the cluster of node %s: %v %s", node, err, out)
	}
	if strings.HasPrefix(f[0], "kp-") {
		return strings.TrimPrefix(f[0], "kp-")
	}
	return f[0]
}

// containersOf lists the containers (running or not) of a cluster, kind's or bare.
func containersOf(t *testing.T, cluster string) string {
	t.Helper()
	var ids []string
	for _, label := range []string{"io.x-k8s.kind.cluster=kp-" + cluster, "io.kubeplay.cluster=" + cluster} {
		out, err := testenv.Try(context.Background(), "docker", "ps", "-aq", "--filter", "label="+label)
		if err != nil {
			t.Fatalf("docker ps: %v %s", err, out)
		}
		ids = append(ids, strings.Fields(out)...)
	}
	return strings.Join(ids, " ")
}

// restartServer stops a server and starts it again on the same address and data folder (the
// browsers' pages keep their address), and waits until it is ready.
func restartServer(t *testing.T, old *server, args ...string) *server {
	t.Helper()
	old.stop()
	addr := strings.TrimPrefix(old.URL, "http://")
	cmd := exec.Command(kubeplayBinary(t), append([]string{"serve", "--addr", addr, "--data", old.Data}, args...)...)
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return watchServer(t, cmd, old.URL, old.Data, log)
}
