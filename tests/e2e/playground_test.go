package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/tests/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestPlaygroundFromThePoolAndAcrossARestart: a server with a warm pool hands a student a Ready kind
// cluster in seconds, the terminal runs kubectl against it, and a restart of the server keeps the
// session, its cluster and a working terminal; a session that expires meanwhile is cleaned up after
// the restart; ending a session removes its cluster.
func TestPlaygroundFromThePoolAndAcrossARestart(t *testing.T) {
	testenv.NodeImage(t)
	removeNewClusters(t)
	data := t.TempDir()
	// Sessions last 2 minutes unless extended: bob's will expire across the restart.
	srv := startServer(t, data, "--pool", "kind-1=1", "--session-length", "2m")
	srv.waitMetric(`kubeplay_pool_clusters{shape="kind-1"}`, 1, 5*time.Minute)

	alice := newStudent(t, "ko-KR,ko;q=0.9")
	start := time.Now()
	code, s := alice.do(srv, "POST", "/api/sessions", map[string]any{"lab": "playground-kind-1"})
	if code != 202 {
		t.Fatalf("create: %d %v", code, s)
	}
	id := s["id"].(string)
	ready := alice.waitReady(srv, id, 2*time.Minute)
	took := time.Since(start)
	t.Logf("session from the pool ready in %s", took.Round(100*time.Millisecond))
	nodes := ready["nodes"].([]any)
	if len(nodes) != 2 {
		t.Fatalf("nodes: %v", nodes)
	}
	cp := nodes[0].(map[string]any)["name"].(string)

	term := alice.terminal(srv, id, cp)
	run(t, term, "kubectl wait --for=condition=Ready node --all --timeout=90s >/dev/null && echo NODES-READY-$((6*7))", "NODES-READY-42", 2*time.Minute)
	run(t, term, "kubectl create configmap before-restart --from-literal=k=v && echo MADE-$((1+1))", "MADE-2", time.Minute)

	if code, m := alice.do(srv, "POST", "/api/sessions/"+id+"/extend", nil); code != 200 {
		t.Fatalf("extend: %d %v", code, m)
	}
	bob := newStudent(t, "en")
	code, b := bob.do(srv, "POST", "/api/sessions", map[string]any{"lab": "playground-kubeadm"})
	if code != 202 {
		t.Fatalf("bob's create: %d %v", code, b)
	}
	bobID := b["id"].(string)
	bobNode := bob.waitReady(srv, bobID, 2*time.Minute)["nodes"].([]any)[0].(map[string]any)["name"].(string)
	bobExpires, _ := time.Parse(time.RFC3339Nano, b["expires"].(string))

	// Another browser cannot see or open it.
	mallory := newStudent(t, "en")
	if code, m := mallory.do(srv, "GET", "/api/sessions/"+id, nil); code != 404 || !strings.Contains(m["message"].(string), "not found") {
		t.Errorf("another browser: %d %v", code, m)
	}

	// The server restarts; the session, its cluster and its terminal carry on.
	containersBefore := containerIDs(t, cp)
	srv.stop()
	srv = startServer(t, data, "--pool", "kind-1=1", "--session-length", "2m")
	again := alice.waitReady(srv, id, 2*time.Minute)
	if again["id"] != id || len(again["nodes"].([]any)) != 2 {
		t.Fatalf("after restart: %v", again)
	}
	if after := containerIDs(t, cp); after != containersBefore {
		t.Errorf("the node container changed across the restart: %s -> %s", containersBefore, after)
	}
	term = alice.terminal(srv, id, cp)
	run(t, term, "kubectl get configmap before-restart -o jsonpath='{.data.k}{\"-\"}{.metadata.name}{\"\\n\"}'", "v-before-restart", time.Minute)

	// Bob's session expired (or expires now): the restarted server's reaper removes it and its nodes.
	deadline := bobExpires.Add(90 * time.Second)
	for containerIDs(t, bobNode) != "" && time.Now().Before(deadline) {
		time.Sleep(2 * time.Second)
	}
	if containerIDs(t, bobNode) != "" {
		t.Errorf("bob's expired session still has its node %s", bobNode)
	}
	if code, _ := bob.do(srv, "GET", "/api/sessions/"+bobID, nil); code != 404 {
		t.Errorf("bob's expired session answers %d", code)
	}

	// Ending the session removes its cluster.
	if code, _ := alice.do(srv, "DELETE", "/api/sessions/"+id, nil); code != 204 {
		t.Fatalf("delete: %d", code)
	}
	if containerIDs(t, cp) != "" {
		t.Error("the session's node container is still there after the session ended")
	}
}

func containerIDs(t *testing.T, name string) string {
	t.Helper()
	out, _ := testenv.Try(context.Background(), "docker", "ps", "-aq", "--filter", "name=^"+name+"$")
	return strings.TrimSpace(out)
}
