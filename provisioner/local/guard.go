package local

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"
)

// Guard keeps session networks away from the host: a node may not open connections to the host's
// own addresses (the kubeplay server's port, anything else listening there). Docker already keeps
// its bridge networks from reaching each other.
type Guard interface {
	Isolate(ctx context.Context, networkID string) error
	Release(ctx context.Context, networkID string) error
}

// HostGuard uses the host's iptables: a chain KUBEPLAY-ISOLATION, jumped to first from INPUT, drops
// new connections that arrive from a session's bridge; replies to connections the host opened pass.
type HostGuard struct{}

const guardChain = "KUBEPLAY-ISOLATION"

var guardMu sync.Mutex

func bridgeName(networkID string) string {
	if len(networkID) > 12 {
		networkID = networkID[:12]
	}
	return "br-" + networkID
}

func iptables(ctx context.Context, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, "iptables", append([]string{"-w", "5"}, args...)...).CombinedOutput()
	return string(out), err
}

func (HostGuard) ensureChain(ctx context.Context) error {
	if _, err := iptables(ctx, "-n", "-L", guardChain); err != nil {
		if out, err := iptables(ctx, "-N", guardChain); err != nil && !strings.Contains(out, "exists") {
			return fmt.Errorf("iptables -N %s: %v: %s", guardChain, err, out)
		}
	}
	if _, err := iptables(ctx, "-C", "INPUT", "-j", guardChain); err != nil {
		if out, err := iptables(ctx, "-I", "INPUT", "1", "-j", guardChain); err != nil {
			return fmt.Errorf("iptables -I INPUT: %v: %s", err, out)
		}
	}
	return nil
}

func guardRules(br string) [][]string {
	return [][]string{
		{"-i", br, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "RETURN"},
		{"-i", br, "-j", "DROP"},
	}
}

// Isolate adds the rules of one network.
func (g HostGuard) Isolate(ctx context.Context, networkID string) error {
	guardMu.Lock()
	defer guardMu.Unlock()
	if err := g.ensureChain(ctx); err != nil {
		return err
	}
	for _, r := range guardRules(bridgeName(networkID)) {
		if _, err := iptables(ctx, append([]string{"-C", guardChain}, r...)...); err == nil {
			continue
		}
		if out, err := iptables(ctx, append([]string{"-A", guardChain}, r...)...); err != nil {
			return fmt.Errorf("iptables: %v: %s", err, out)
		}
	}
	return nil
}

// Release removes them.
func (g HostGuard) Release(ctx context.Context, networkID string) error {
	guardMu.Lock()
	defer guardMu.Unlock()
	for _, r := range guardRules(bridgeName(networkID)) {
		for {
			if _, err := iptables(ctx, append([]string{"-D", guardChain}, r...)...); err != nil {
				break
			}
		}
	}
	return nil
}

// NoGuard isolates nothing (for engines where the host's firewall is not ours to change).
type NoGuard struct{}

func (NoGuard) Isolate(context.Context, string) error { return nil }
func (NoGuard) Release(context.Context, string) error { return nil }

// RemoveChain removes the isolation chain and the INPUT rule that jumps to it (cleanup).
func (HostGuard) RemoveChain(ctx context.Context) error {
	guardMu.Lock()
	defer guardMu.Unlock()
	if _, err := iptables(ctx, "-n", "-L", guardChain); err != nil {
		return nil // no chain: nothing to do
	}
	for {
		if _, err := iptables(ctx, "-D", "INPUT", "-j", guardChain); err != nil {
			break
		}
	}
	if out, err := iptables(ctx, "-F", guardChain); err != nil {
		return fmt.Errorf("iptables -F %s: %v: %s", guardChain, err, out)
	}
	if out, err := iptables(ctx, "-X", guardChain); err != nil {
		return fmt.Errorf("iptables -X %s: %v: %s", guardChain, err, out)
	}
	return nil
}
