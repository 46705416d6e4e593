package labs

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kubeplay/kubeplay/provisioner"
)

// Check outcomes.
const (
	Passed   = "passed"
	Failed   = "failed"
	TimedOut = "timeout"  // the check ran past its time limit and was killed
	TooMuch  = "too-much" // the check printed more than MaxCheckOutput and was cut off
	NotRun   = "error"    // the check could not be run (node down, paused, engine error)
)

// Limits of a check.
const (
	DefaultCheckTimeout = 15 * time.Second
	MaxCheckOutput      = 64 << 10 // bytes kept; a check printing more is stopped
	MaxMessage          = 1000     // characters of the output shown to the student
)

// Env is what checks and solutions find in their environment.
const prelude = `# kubeplay check environment
export KUBECONFIG="${KUBECONFIG:-/etc/kubernetes/admin.conf}" HOME=/root
cd /root 2>/dev/null || cd /
fail() { if [ "$KUBEPLAY_LANG" = ko ]; then printf '%s\n' "$1"; else printf '%s\n' "${2:-$1}"; fi; exit 1; }
k() { kubectl "$@"; }
`

// Result is the outcome of a check.
type Result struct {
	State    string // Passed, Failed, TimedOut, TooMuch, NotRun
	Message  string // the end of what the check printed (its reason, in the student's language)
	Duration time.Duration
	Err      error // NotRun: why
}

// Passed says whether the check passed.
func (r Result) Passed() bool { return r.State == Passed }

// Runner runs scripts on a node.
type Runner struct {
	Timeout time.Duration // per check (DefaultCheckTimeout when 0)
}

// Check runs a check script on node for a student reading lang.
func (r Runner) Check(ctx context.Context, node provisioner.Node, script, lang string) Result {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultCheckTimeout
	}
	start := time.Now()
	out, code, err := runScript(ctx, node, script, lang, timeout, MaxCheckOutput)
	res := Result{Duration: time.Since(start)}
	switch {
	case err != nil:
		res.State, res.Err = NotRun, err
	case len(out) > MaxCheckOutput:
		res.State = TooMuch
	case code == 124 || code == 137:
		res.State = TimedOut
	case code == 0:
		res.State = Passed
	default:
		res.State = Failed
	}
	if res.State == Passed || res.State == Failed {
		res.Message = lastChars(strings.TrimSpace(string(out)), MaxMessage)
	}
	return res
}

// runScript runs prelude+script with bash on the node with a time limit, its stdout and stderr
// merged and cut after max bytes (max+1 are returned when there was more). code is the script's exit
// code; err is set when it could not be run at all.
func runScript(ctx context.Context, node provisioner.Node, script, lang string, timeout time.Duration, max int) ([]byte, int, error) {
	secs := strconv.Itoa(int((timeout + time.Second - 1) / time.Second))
	ctx, cancel := context.WithTimeout(ctx, timeout+10*time.Second)
	defer cancel()
	// head stops a flood: the script dies of SIGPIPE once max+1 bytes are out.
	wrapper := `timeout -k 2 "$1" bash -c "$2" kubeplay-script 2>&1 </dev/null | head -c "$3"; exit "${PIPESTATUS[0]}"`
	res, err := node.Exec(ctx, []string{"bash", "-c", wrapper, "kubeplay", secs, prelude + script, strconv.Itoa(max + 1)},
		provisioner.ExecOptions{Env: []string{"KUBEPLAY_LANG=" + lang, "LANG=C.UTF-8", "TERM=dumb"}, MaxOutput: max + 2})
	var ee *provisioner.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.Result.Stdout, ee.Result.ExitCode, nil
	case err != nil:
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, 124, nil
		}
		return nil, 0, err
	}
	return res.Stdout, 0, nil
}

// lastChars keeps the last n characters of s, on a rune boundary.
func lastChars(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return "…" + string(r[len(r)-n:])
}

// RunBlock runs a solution block (or a background script) on node and returns its output; a failure
// keeps the output in the error.
func (r Runner) RunBlock(ctx context.Context, node provisioner.Node, code, lang string, timeout time.Duration) (string, error) {
	out, exit, err := runScript(ctx, node, code, lang, timeout, 1<<20)
	if err != nil {
		return "", err
	}
	if exit != 0 {
		return string(out), fmt.Errorf("exited with %d: %s", exit, lastChars(strings.TrimSpace(string(out)), 2000))
	}
	return string(out), nil
}
