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
//
// A second chain, KUBEPLAY-EGRESS, jumped to first from DOCKER-USER (Docker inserts its own rules
// at the top of FORWARD for every new network, but always jumps to DOCKER-USER first), refuses what leaves a session's
// bridge for a cluster's own ranges (Services and pods). Such a packet only leaves a node when
// kube-proxy or the pod network has not yet set up the route in the node, and then it must fail at
// once: sent on to the host's default route it may reach a stranger (a transparent proxy answered
// the API server's first connection to metrics-server's Service with 404s, and the API server kept
// that connection for minutes).
type HostGuard struct{}

const (
	guardChain  = "KUBEPLAY-ISOLATION"
	egressChain = "KUBEPLAY-EGRESS"
)

// clusterRanges are the Service and pod ranges of every cluster kubeplay makes: kind's and kubeadm's
// Service range (10.96.0.0/16 inside 10.96.0.0/12) and the pod range of kind and of the lessons'
// kubeadm init (10.244.0.0/16).
var clusterRanges = []string{"10.96.0.0/12", "10.244.0.0/16"}

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

// ensureChain makes a chain and the rule that jumps to it first from a built-in chain.
func ensureChain(ctx context.Context, chain, from string) error {
	if _, err := iptables(ctx, "-n", "-L", chain); err != nil {
		if out, err := iptables(ctx, "-N", chain); err != nil && !strings.Contains(out, "exists") {
			return fmt.Errorf("iptables -N %s: %v: %s", chain, err, out)
		}
	}
	if _, err := iptables(ctx, "-C", from, "-j", chain); err != nil {
		if out, err := iptables(ctx, "-I", from, "1", "-j", chain); err != nil {
			return fmt.Errorf("iptables -I %s: %v: %s", from, err, out)
		}
	}
	return nil
}

// forwardHook is the chain that sees forwarded packets first: DOCKER-USER, or FORWARD when Docker
// does not manage iptables.
func forwardHook(ctx context.Context) string {
	if _, err := iptables(ctx, "-n", "-L", "DOCKER-USER"); err == nil {
		return "DOCKER-USER"
	}
	return "FORWARD"
}

// guardRules are one network's rules, each as chain + rule.
func guardRules(br string) [][]string {
	rules := [][]string{
		{guardChain, "-i", br, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "RETURN"},
		{guardChain, "-i", br, "-j", "DROP"},
	}
	for _, r := range clusterRanges {
		rules = append(rules, []string{egressChain, "-i", br, "!", "-o", br, "-d", r, "-j", "REJECT"})
	}
	return rules
}

// Isolate adds the rules of one network.
func (g HostGuard) Isolate(ctx context.Context, networkID string) error {
	guardMu.Lock()
	defer guardMu.Unlock()
	if err := ensureChain(ctx, guardChain, "INPUT"); err != nil {
		return err
	}
	if err := ensureChain(ctx, egressChain, forwardHook(ctx)); err != nil {
		return err
	}
	for _, r := range guardRules(bridgeName(networkID)) {
		if _, err := iptables(ctx, append([]string{"-C"}, r...)...); err == nil {
			continue
		}
		if out, err := iptables(ctx, append([]string{"-A"}, r...)...); err != nil {
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
			if _, err := iptables(ctx, append([]string{"-D"}, r...)...); err != nil {
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

// RemoveChain removes the chains and the rules that jump to them (cleanup).
func (HostGuard) RemoveChain(ctx context.Context) error {
	guardMu.Lock()
	defer guardMu.Unlock()
	for _, c := range []struct {
		chain string
		from  []string
	}{{guardChain, []string{"INPUT"}}, {egressChain, []string{"DOCKER-USER", "FORWARD"}}} {
		if _, err := iptables(ctx, "-n", "-L", c.chain); err != nil {
			continue // no chain: nothing to do
		}
		for _, from := range c.from {
			for {
				if _, err := iptables(ctx, "-D", from, "-j", c.chain); err != nil {
					break
				}
			}
		}
		if out, err := iptables(ctx, "-F", c.chain); err != nil {
			return fmt.Errorf("iptables -F %s: %v: %s", c.chain, err, out)
		}
		if out, err := iptables(ctx, "-X", c.chain); err != nil {
			return fmt.Errorf("iptables -X %s: %v: %s", c.chain, err, out)
		}
	}
	return nil
}
