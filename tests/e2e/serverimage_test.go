package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/kubeplay/kubeplay/tests/testenv"
)

// TestServerImage builds the server image as README says, runs it with the host's Docker socket,
// gets a lab session with Ready nodes and a working terminal in a headless Chromium, restarts the
// container and finds the session again, and then cleans up: no kubeplay container, network or
// volume is left on the engine.
func TestServerImage(t *testing.T) {
	testenv.NodeImage(t)
	ctx := context.Background()
	bin := kubeplayBinary(t)
	build := exec.Command(bin, "image", "server", "--tag", "e2e")
	build.Dir = testenv.RepoRoot()
	start := time.Now()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("kubeplay image server: %v\n%s", err, tail(string(out), 4000))
	}
	t.Logf("kubeplay image server: %s", time.Since(start).Round(time.Second))
	size := testenv.Run(t, ctx, "docker", "image", "inspect", "--format", "{{.Size}}", "kubeplay/server:e2e")
	t.Logf("server image size: %s bytes", strings.TrimSpace(size))

	name := testenv.RandomName("kp-e2e-server")
	vol := name + "-data"
	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	dockerRun := func(args ...string) []string {
		return append([]string{"run", "--network", "host", "--privileged",
			"-v", "/var/run/docker.sock:/var/run/docker.sock", "-v", vol + ":/data"}, args...)
	}
	t.Cleanup(func() {
		_, _ = testenv.Try(context.Background(), "docker", "rm", "-f", name)
		_, _ = testenv.Try(context.Background(), "docker", dockerRun("--rm", "kubeplay/server:e2e", "cleanup")...)
		_, _ = testenv.Try(context.Background(), "docker", "volume", "rm", "-f", vol)
	})
	started := time.Now()
	testenv.Run(t, ctx, "docker", dockerRun("-d", "--name", name, "-e", "KUBEPLAY_ADDR=127.0.0.1:"+port, "-e", "KUBEPLAY_POOL=0",
		"kubeplay/server:e2e")...)
	url := "http://" + addr
	waitHTTP(t, url+"/", 2*time.Minute)
	logs := testenv.Run(t, ctx, "docker", "logs", name)
	if !strings.Contains(logs, "instructor secret") {
		t.Errorf("the first start's log does not show the instructor secret:\n%s", logs)
	}

	browser := testenv.Browser(t, 15*time.Minute)
	startBtn := `.lab-card[data-lab="playground-kind-1"] button.start`
	if err := chromedp.Do(browser, chromedp.Navigate(url), chromedp.WaitVisible(startBtn)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, browser, "the node image to be found", fmt.Sprintf(`!document.querySelector(%q).disabled`, startBtn), 5*time.Minute)
	if err := chromedp.Do(browser, chromedp.Click(startBtn)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, browser, "a ready session", `window.kubeplay.state && window.kubeplay.state.state === "ready"`, 6*time.Minute)
	cp := js[string](t, browser, `window.kubeplay.state.nodes[0].name`)
	waitJS(t, browser, "the terminal to connect", fmt.Sprintf(`window.kubeplay.terminals[%q] && window.kubeplay.terminals[%q].connected`, cp, cp), time.Minute)
	t.Logf("docker run to a usable terminal (node image present, empty pool): %s", time.Since(started).Round(100*time.Millisecond))
	input := fmt.Sprintf(`.term-pane[data-node=%q] .xterm-helper-textarea`, cp)
	if err := chromedp.Do(browser, chromedp.Focus(input)); err != nil {
		t.Fatal(err)
	}
	typeKeys(t, browser, "kubectl wait --for=condition=Ready node --all --timeout=120s >/dev/null; kubectl get nodes"+kb.Enter)
	ready := termText(cp) + `.split("\n").filter(l => /^kp-\S+\s+Ready\s/.test(l)).length`
	waitJS(t, browser, "every node Ready in the terminal", ready+` === 2`, 3*time.Minute)
	id := js[string](t, browser, `window.kubeplay.state.id`)

	// docker restart: the same session, its terminal works again.
	testenv.Run(t, ctx, "docker", "restart", name)
	waitHTTP(t, url+"/", 2*time.Minute)
	if err := chromedp.Do(browser, chromedp.Navigate(url+"/s/"+id)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, browser, "the session after docker restart", fmt.Sprintf(`window.kubeplay.state && window.kubeplay.state.id === %q && window.kubeplay.state.state === "ready"`, id), 3*time.Minute)
	waitJS(t, browser, "the terminal after docker restart", fmt.Sprintf(`window.kubeplay.terminals[%q] && window.kubeplay.terminals[%q].connected`, cp, cp), 2*time.Minute)
	js[bool](t, browser, fmt.Sprintf(`window.kubeplay.terminals[%q].send("echo after-$((6*7))-restart\n"), true`, cp))
	waitJS(t, browser, "a command after docker restart", termText(cp)+`.includes("after-42-restart")`, time.Minute)

	// Stopping the server leaves the clusters; cleanup (in the image) removes them and only them.
	testenv.Run(t, ctx, "docker", "rm", "-f", name)
	if n := kubeplayObjects(t, ctx); n == "" {
		t.Errorf("stopping the server removed the session's cluster")
	}
	out := testenv.Run(t, ctx, "docker", dockerRun("--rm", "kubeplay/server:e2e", "cleanup")...)
	t.Logf("cleanup: %s", strings.TrimSpace(out))
	testenv.Run(t, ctx, "docker", "volume", "rm", vol)
	if left := kubeplayObjects(t, ctx); left != "" {
		t.Errorf("left on the engine after cleanup:\n%s", left)
	}
}

// kubeplayObjects lists the containers, networks and volumes kubeplay made that are on the engine.
func kubeplayObjects(t *testing.T, ctx context.Context) string {
	t.Helper()
	var b strings.Builder
	for _, args := range [][]string{
		{"ps", "-a", "--filter", "label=io.kubeplay.managed=true", "--format", "container {{.Names}}"},
		{"ps", "-a", "--filter", "label=io.x-k8s.kind.cluster", "--format", "container {{.Names}} kind={{.Label \"io.x-k8s.kind.cluster\"}}"},
		{"network", "ls", "--filter", "label=io.kubeplay.managed=true", "--format", "network {{.Name}}"},
		{"volume", "ls", "--filter", "label=io.kubeplay.managed=true", "--format", "volume {{.Name}}"},
	} {
		for _, l := range strings.Split(testenv.Run(t, ctx, "docker", args...), "\n") {
			// kind clusters that are not kubeplay's (their names do not start with kp-) are not ours.
			if l = strings.TrimSpace(l); l != "" && (!strings.Contains(l, " kind=") || strings.Contains(l, " kind=kp-")) {
				b.WriteString(l + "\n")
			}
		}
	}
	return b.String()
}

func waitHTTP(t *testing.T, url string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not answer: %v", url, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
