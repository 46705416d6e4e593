package labs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/provisioner"
)

// Harness proves labs in real clusters (kubeplay lab test): for every step with a check, the check
// fails before the step's solution runs and passes after it. Clusters of the same shape are shared
// between labs and reset in between; kubeadm clusters are made fresh for each lab.
type Harness struct {
	Prov   provisioner.Provisioner
	Image  string
	Limits provisioner.Limits
	Log    func(format string, a ...any) // progress lines (nil: quiet)
	// Solutions gives solutions for steps whose lab has none (a Killercoda scenario whose steps say
	// what to do in words): lab id -> step (1-based) -> bash script run on the control plane.
	Solutions map[string]map[int]string
	// SettleFor is how long a check may take to pass after the solution (60 s when 0).
	SettleFor time.Duration

	prefix   string
	n        int
	clusters map[string]*provisioner.Cluster
}

// LabReport is what proving one lab found.
type LabReport struct {
	Lab         string
	Cluster     time.Duration // getting the cluster ready (create or reset)
	Duration    time.Duration // the whole lab, cluster included
	Steps       []StepReport
	Err         error // the first thing that went wrong (nil: the lab is proven)
	ClusterNote string
}

// StepReport is one step's proof.
type StepReport struct {
	Step          int
	Before, After Result        // the check before and after the solution (Before.State "" when no check)
	Solve         time.Duration // running the solution
	Blocks        int           // run blocks executed
}

func (h *Harness) logf(format string, a ...any) {
	if h.Log != nil {
		h.Log(format, a...)
	}
}

// resetScript brings a kind cluster back to its fresh state between labs.
const resetScript = `set -u
export KUBECONFIG=/etc/kubernetes/admin.conf
kubectl config set-context --current --namespace=default >/dev/null
keep='^(default|kube-system|kube-public|kube-node-lease|local-path-storage)$'
for ns in $(kubectl get ns -o jsonpath='{.items[*].metadata.name}'); do
  [[ $ns =~ $keep ]] && [ "$ns" != default ] && continue
  # Pods go at once: a lab's busybox sleeping as PID 1 ignores SIGTERM and would hold for 30 s.
  kubectl delete deploy,rs,rc,ds,sts,job,cronjob -n "$ns" --all --wait=false >/dev/null
  kubectl delete pod -n "$ns" --all --grace-period=0 --force --wait=false >/dev/null 2>&1
  [ "$ns" = default ] || kubectl delete ns "$ns" --wait=false >/dev/null
done
kubectl delete pvc,hpa,ingress,networkpolicy,resourcequota,limitrange,role,rolebinding -n default --all --wait=false >/dev/null
kubectl delete svc -n default --field-selector metadata.name!=kubernetes >/dev/null
kubectl delete cm -n default --field-selector metadata.name!=kube-root-ca.crt >/dev/null
kubectl delete secret -n default --all >/dev/null
kubectl delete sa -n default --field-selector metadata.name!=default >/dev/null
for node in $(kubectl get nodes -o jsonpath='{.items[*].metadata.name}'); do
  kubectl uncordon "$node" >/dev/null
  for l in $(kubectl get node "$node" -o go-template='{{range $k, $v := .metadata.labels}}{{$k}}{{"\n"}}{{end}}'); do
    case $l in kubernetes.io/*|*.kubernetes.io/*|beta.kubernetes.io/*|node-role.kubernetes.io/*|node.kubernetes.io/*) ;; *) kubectl label node "$node" "$l-" >/dev/null ;; esac
  done
  for a in $(kubectl get node "$node" -o go-template='{{range $k, $v := .metadata.annotations}}{{$k}}{{"\n"}}{{end}}'); do
    case $a in *kubernetes.io/*|*.k8s.io/*) ;; *) kubectl annotate node "$node" "$a-" >/dev/null ;; esac
  done
done
for i in $(seq 1 120); do
  left=$(kubectl get ns -o jsonpath='{.items[*].metadata.name}' | tr ' ' '\n' | grep -Evc "$keep")
  pods=$(kubectl get pods -n default --no-headers 2>/dev/null | wc -l)
  [ "$left" = 0 ] && [ "$pods" = 0 ] && break
  sleep 1
done
[ "$left" = 0 ] && [ "$pods" = 0 ] || { echo "reset: $left namespaces and $pods pods still going away"; exit 1; }
rm -rf /root/.kubeplay /root/* 2>/dev/null; true
`

// cluster gets a clean cluster of the lab's shape.
func (h *Harness) cluster(ctx context.Context, lab *Lab) (*provisioner.Cluster, string, error) {
	if h.clusters == nil {
		h.clusters = map[string]*provisioner.Cluster{}
		var b [3]byte
		_, _ = rand.Read(b[:])
		h.prefix = "lt" + hex.EncodeToString(b[:])
	}
	key := lab.Cluster.String()
	if c, ok := h.clusters[key]; ok {
		delete(h.clusters, key)
		if lab.Cluster.Mode == "kind" {
			cp, err := ControlPlane(c)
			if err == nil {
				_, err = Runner{}.RunBlock(ctx, cp, resetScript, "en", 3*time.Minute)
			}
			if err == nil {
				return c, "reused " + c.ID + " (reset)", nil
			}
			h.logf("reset of %s failed (%v): making a new cluster", c.ID, err)
		}
		_ = h.Prov.Delete(ctx, c.ID)
	}
	h.n++
	mode := provisioner.ModeKind
	if lab.Cluster.Mode == "kubeadm" {
		mode = provisioner.ModeKubeadm
	}
	spec := provisioner.Spec{ID: fmt.Sprintf("%s-%d", h.prefix, h.n), Mode: mode, Workers: lab.Cluster.ExtraNodes(), Image: h.Image, Limits: h.Limits}
	c, err := h.Prov.Create(ctx, spec, nil)
	if err != nil {
		return nil, "", fmt.Errorf("create a %s cluster: %w", lab.Cluster, err)
	}
	return c, "created " + c.ID, nil
}

// Close deletes the clusters the harness made.
func (h *Harness) Close(ctx context.Context) {
	for k, c := range h.clusters {
		if err := h.Prov.Delete(ctx, c.ID); err != nil {
			h.logf("delete %s: %v", c.ID, err)
		}
		delete(h.clusters, k)
	}
}

// Test proves one lab.
func (h *Harness) Test(ctx context.Context, lab *Lab) (rep LabReport) {
	start := time.Now()
	rep.Lab = lab.ID
	defer func() { rep.Duration = time.Since(start) }()
	c, note, err := h.cluster(ctx, lab)
	rep.Cluster, rep.ClusterNote = time.Since(start), note
	if err != nil {
		rep.Err = err
		return rep
	}
	h.logf("%s: cluster %s in %s", lab.ID, note, rep.Cluster.Round(100*time.Millisecond))
	keep := true
	defer func() {
		if keep {
			h.clusters[lab.Cluster.String()] = c
		} else {
			_ = h.Prov.Delete(context.WithoutCancel(ctx), c.ID)
		}
	}()
	if err := lab.Setup(ctx, c); err != nil {
		rep.Err = err
		return rep
	}
	langs := lab.Languages
	if len(langs) == 0 {
		langs = []string{"en"}
	}
	if _, err := lab.Enter(ctx, c, 0, langs[0]); err != nil {
		rep.Err = err
		return rep
	}
	settle := h.SettleFor
	if settle <= 0 {
		settle = 60 * time.Second
	}
	cp, err := ControlPlane(c)
	if err != nil {
		rep.Err = err
		return rep
	}
	run := Runner{}
	for i, st := range lab.Steps {
		n := i + 1
		sr := StepReport{Step: n}
		fail := func(format string, a ...any) LabReport {
			rep.Steps = append(rep.Steps, sr)
			rep.Err = fmt.Errorf("step %d: %s", n, fmt.Sprintf(format, a...))
			keep = false // a lab that failed halfway may leave anything behind
			return rep
		}
		if _, err := lab.Enter(ctx, c, n, langs[0]); err != nil {
			return fail("%v", err)
		}
		if st.Verify != "" {
			for _, lang := range langs {
				sr.Before = run.Check(ctx, cp, st.Verify, lang)
				if sr.Before.State == NotRun {
					return fail("the check could not run: %v", sr.Before.Err)
				}
				if sr.Before.Passed() {
					return fail("the check passes before the step's solution ran (%s)", lang)
				}
				if sr.Before.State != Failed {
					return fail("the check before the solution ended %s", sr.Before.State)
				}
				if len(lab.Languages) > 0 && sr.Before.Message == "" {
					return fail("the check fails without saying why in %s (print a reason with fail \"…\" \"…\")", lang)
				}
			}
		}
		t0 := time.Now()
		blocks, err := h.solution(lab, n, langs[0])
		if err != nil {
			return fail("%v", err)
		}
		for _, b := range blocks {
			node := cp
			if b.Node != "" {
				if node = lab.Node(c, b.Node); node == nil {
					return fail("a run block names node %q, which the cluster does not have", b.Node)
				}
			}
			if _, err := run.RunBlock(ctx, node, b.Code, langs[0], 5*time.Minute); err != nil {
				return fail("solution block at line %d on %s:\n%s\n%v", b.Line, node.Hostname(), b.Code, err)
			}
			sr.Blocks++
		}
		sr.Solve = time.Since(t0)
		if st.Verify != "" {
			deadline := time.Now().Add(settle)
			for {
				sr.After = run.Check(ctx, cp, st.Verify, langs[0])
				if sr.After.Passed() || time.Now().After(deadline) || ctx.Err() != nil {
					break
				}
				time.Sleep(2 * time.Second)
			}
			if !sr.After.Passed() {
				return fail("the check does not pass after the solution (%s): %s", sr.After.State, sr.After.Message)
			}
			for _, lang := range langs[1:] {
				if r := run.Check(ctx, cp, st.Verify, lang); !r.Passed() {
					return fail("the check passes in %s but not in %s: %s", langs[0], lang, r.Message)
				}
			}
		}
		h.logf("%s: step %d ok (check before: %s in %s; solution: %d blocks in %s; check after: %s in %s)", lab.ID, n,
			orNone(sr.Before.State), sr.Before.Duration.Round(10*time.Millisecond), sr.Blocks, sr.Solve.Round(100*time.Millisecond),
			orNone(sr.After.State), sr.After.Duration.Round(10*time.Millisecond))
		rep.Steps = append(rep.Steps, sr)
	}
	if _, err := lab.Enter(ctx, c, len(lab.Steps)+1, langs[0]); err != nil {
		rep.Err = err
	}
	return rep
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// solution is what lab test runs for step n: the run blocks of its solution text, else those of its
// own text, else a solution given to the harness.
func (h *Harness) solution(lab *Lab, n int, lang string) ([]Block, error) {
	st := lab.Steps[n-1]
	var blocks []Block
	src := st.Solution
	if len(src) == 0 {
		src = st.Text
	}
	for _, b := range Blocks(src.In(lang)) {
		if b.Action == "exec" {
			blocks = append(blocks, b)
		}
	}
	if s, ok := h.Solutions[lab.ID][n]; ok {
		blocks = append(blocks, Block{Code: s, Action: "exec", Line: 0})
	}
	if len(blocks) == 0 && st.Verify != "" {
		return nil, errors.New("the step has a check but no solution to run (give it a solution text with run blocks)")
	}
	return blocks, nil
}

// Summary is a report's one line.
func (r LabReport) Summary() string {
	var b strings.Builder
	state := "ok"
	if r.Err != nil {
		state = "FAIL"
	}
	fmt.Fprintf(&b, "%-4s %-22s %3d steps  %6.1fs (cluster %5.1fs, %s)", state, r.Lab, len(r.Steps), r.Duration.Seconds(), r.Cluster.Seconds(), r.ClusterNote)
	if r.Err != nil {
		fmt.Fprintf(&b, "\n     %v", r.Err)
	}
	return b.String()
}
