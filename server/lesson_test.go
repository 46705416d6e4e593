package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/kubeplay/kubeplay/labs"
	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/provisioner/fake"
	"github.com/kubeplay/kubeplay/sessions"
)

// lessonWorld is a playground with the test labs, whose check answers what the test says.
type lessonWorld struct {
	srv      *httptest.Server
	pg       *Playground
	mu       sync.Mutex
	answer   int    // the check's exit code
	says     string // what it prints
	setups   int    // asset copies seen
	progress *labs.MemProgress
}

func newLessonWorld(t testing.TB) *lessonWorld {
	w := &lessonWorld{answer: 1, says: "파일이 없습니다.", progress: &labs.MemProgress{}}
	prov := fake.New()
	prov.Handler = func(node string, cmd []string) (*provisioner.ExecResult, bool) {
		w.mu.Lock()
		defer w.mu.Unlock()
		if len(cmd) >= 6 && cmd[0] == "bash" && strings.Contains(cmd[5], "/tmp/x") {
			return &provisioner.ExecResult{Stdout: []byte(w.says + "\n"), ExitCode: w.answer}, true
		}
		if len(cmd) == 3 && strings.HasPrefix(cmd[2], "tar -x") {
			w.setups++
			return &provisioner.ExecResult{}, true
		}
		return nil, false
	}
	cat, bad := labs.LoadAll(labs.Options{}, os.DirFS("../labs/testdata/good"))
	if len(bad) > 0 {
		t.Fatal(bad)
	}
	id, err := LoadIdentity(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pg := &Playground{Prov: prov, Identity: id, Log: log, Catalog: LabCatalog{Set: cat}, Metrics: NewMetrics(),
		Lessons: &Lessons{Labs: cat, Progress: w.progress}}
	cfg := sessions.Config{Image: "kubeplay/node:test", OnEnd: pg.CloseStreams}
	pg.Sessions = sessions.New(prov, sessions.NewMemStore(), cfg, nil, log)
	w.pg = pg
	mux := http.NewServeMux()
	pg.Register(mux)
	w.srv = httptest.NewServer(mux)
	t.Cleanup(w.srv.Close)
	return w
}

func (w *lessonWorld) set(code int, says string) {
	w.mu.Lock()
	w.answer, w.says = code, says
	w.mu.Unlock()
}

func TestLessonAPI(t *testing.T) {
	w := newLessonWorld(t)
	ko := newClient(t, w.srv, "ko")
	if code, labsList := ko.do("GET", "/api/labs", nil); code != 200 || !strings.Contains(toJSON(labsList), `"안녕"`) || !strings.Contains(toJSON(labsList), "입문") {
		t.Fatalf("labs: %d %v", code, labsList)
	}
	code, s := ko.do("POST", "/api/sessions", map[string]string{"lab": "hello", "lang": "ko"})
	if code != http.StatusAccepted && code != http.StatusCreated && code != 200 {
		t.Fatalf("create: %d %v", code, s)
	}
	id := s["id"].(string)
	ready := ko.waitReady(id)
	nodes := ready["nodes"].([]any)
	worker := ""
	for _, n := range nodes {
		if n.(map[string]any)["role"] == string(provisioner.RoleWorker) {
			worker = n.(map[string]any)["name"].(string)
		}
	}

	code, l := ko.do("GET", "/api/sessions/"+id+"/lesson", nil)
	if code != 200 || l["title"] != "안녕" || l["current"] != float64(1) {
		t.Fatalf("lesson: %d %v", code, l)
	}
	step := l["steps"].([]any)[0].(map[string]any)
	if step["check"] != true || step["status"].(map[string]any)["state"] != "none" ||
		!strings.Contains(step["html"].(string), `<code data-kp-action="exec">touch /tmp/x</code>`) {
		t.Errorf("step: %v", step)
	}
	if worker == "" || !strings.Contains(step["solution"].(string), `data-kp-node="`+worker+`"`) {
		t.Errorf("the solution's {{exec worker}} should name the session's worker %q: %v", worker, step["solution"])
	}

	if code, e := ko.do("POST", "/api/sessions/"+id+"/lesson/steps/0/enter", nil); code != 200 || e["foreground"] != "" {
		t.Errorf("enter: %d %v", code, e)
	}
	ko.do("POST", "/api/sessions/"+id+"/lesson/steps/0/enter", nil)
	if w.setups != 1 {
		t.Errorf("assets copied %d times, want once", w.setups)
	}

	code, r := ko.do("POST", "/api/sessions/"+id+"/lesson/steps/1/check", nil)
	if code != 200 || r["state"] != "failed" || r["message"] != "파일이 없습니다." || r["current"] != float64(1) {
		t.Errorf("failing check: %d %v", code, r)
	}
	w.set(124, "")
	if _, r := ko.do("POST", "/api/sessions/"+id+"/lesson/steps/1/check", nil); r["state"] != "failed" || !strings.Contains(r["message"].(string), "15초") {
		t.Errorf("timed out check: %v", r)
	}
	w.set(0, "")
	if _, r := ko.do("POST", "/api/sessions/"+id+"/lesson/steps/1/check", nil); r["state"] != "passed" || r["current"] != float64(2) || r["message"] != "잘했습니다! 이 단계를 마쳤습니다." {
		t.Errorf("passing check: %v", r)
	}
	w.set(1, "gone")
	ko.do("POST", "/api/sessions/"+id+"/lesson/steps/1/check", nil)
	en := *ko
	en.lang = "en"
	_, l = en.do("GET", "/api/sessions/"+id+"/lesson", nil)
	if l["title"] != "Hello" || l["current"] != float64(2) {
		t.Errorf("a step once passed stays done: %v", l)
	}

	for _, bad := range []string{"0", "2", "x", "-1"} {
		if code, e := ko.do("POST", "/api/sessions/"+id+"/lesson/steps/"+bad+"/check", nil); code != 404 || e["error"] != "no-step" {
			t.Errorf("check of step %s: %d %v", bad, code, e)
		}
	}
	stranger := newClient(t, w.srv, "en")
	if code, _ := stranger.do("POST", "/api/sessions/"+id+"/lesson/steps/1/check", nil); code != 404 {
		t.Errorf("a stranger's check: %d", code)
	}

	_, s = ko.do("POST", "/api/sessions", map[string]string{"lab": "playground-kind-1", "lang": "ko"})
	free := s["id"].(string)
	if code, e := ko.do("GET", "/api/sessions/"+free+"/lesson", nil); code != 404 || e["error"] != "lesson-none" || !strings.Contains(e["message"].(string), "자유 실습") {
		t.Errorf("a playground's lesson: %d %v", code, e)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
