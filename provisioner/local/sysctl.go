package local

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Every node runs systemd, containerd and a kubelet, and each holds inotify instances; all node
// containers share the host's per-user limit (their root is the host's root). Debian's default of
// 512 instances stops the 13th kind cluster from starting (measured here: one 1+1 cluster holds about
// 40). kind's known-issues page gives the same advice.
var hostLimits = []struct {
	path string
	min  int
}{
	{"/proc/sys/fs/inotify/max_user_instances", 8192},
	{"/proc/sys/fs/inotify/max_user_watches", 1048576},
}

// RaiseHostLimits raises the host's inotify limits to what many node containers need, when they are
// lower and this process may write them (root). It returns what it changed, and an error naming the
// limits it could not raise.
func RaiseHostLimits() ([]string, error) {
	var changed, failed []string
	for _, l := range hostLimits {
		raw, err := os.ReadFile(l.path)
		if err != nil {
			continue // not Linux, or no such knob
		}
		cur, err := strconv.Atoi(strings.TrimSpace(string(raw)))
		if err != nil || cur >= l.min {
			continue
		}
		if err := os.WriteFile(l.path, []byte(strconv.Itoa(l.min)), 0o644); err != nil {
			failed = append(failed, fmt.Sprintf("%s is %d (want %d: sysctl -w %s=%d)", l.path, cur, l.min,
				strings.ReplaceAll(strings.TrimPrefix(l.path, "/proc/sys/"), "/", "."), l.min))
			continue
		}
		changed = append(changed, fmt.Sprintf("%s %d -> %d", l.path, cur, l.min))
	}
	if len(failed) > 0 {
		return changed, fmt.Errorf("host limits too low for many clusters: %s", strings.Join(failed, "; "))
	}
	return changed, nil
}
