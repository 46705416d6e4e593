package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// The pod network: every node gets a podCIDR from the controller manager (kubeadm's
// --pod-network-cidr, kind's podSubnet). On each node this daemon (a DaemonSet with host networking)
// writes a CNI config that gives pods addresses from the node's podCIDR through point-to-point veths
// (the ptp and host-local plugins), routes every other node's podCIDR to that node's address, and
// masquerades traffic from pods to anything outside the pod range. All nodes share one L2 network
// (the session's Docker network), so plain routes connect them: no overlay is needed.

type cniNode struct {
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		PodCIDR  string   `json:"podCIDR"`
		PodCIDRs []string `json:"podCIDRs"`
	} `json:"spec"`
	Status struct {
		Addresses []struct {
			Type    string `json:"type"`
			Address string `json:"address"`
		} `json:"addresses"`
	} `json:"status"`
}

func (n cniNode) internalIP() string {
	for _, a := range n.Status.Addresses {
		if a.Type == "InternalIP" && net.ParseIP(a.Address).To4() != nil {
			return a.Address
		}
	}
	return ""
}

func (n cniNode) cidr() string {
	if n.Spec.PodCIDR != "" {
		return n.Spec.PodCIDR
	}
	for _, c := range n.Spec.PodCIDRs {
		if ip, _, err := net.ParseCIDR(c); err == nil && ip.To4() != nil {
			return c
		}
	}
	return ""
}

type apiClient struct {
	base   string
	token  string
	client *http.Client
}

func newAPIClient() (*apiClient, error) {
	const sa = "/var/run/secrets/kubernetes.io/serviceaccount"
	endpoint := os.Getenv("CONTROL_PLANE_ENDPOINT")
	if endpoint == "" {
		host, port := os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT")
		if host == "" {
			return nil, errors.New("neither CONTROL_PLANE_ENDPOINT nor KUBERNETES_SERVICE_HOST is set")
		}
		endpoint = net.JoinHostPort(host, port)
	}
	ca, err := os.ReadFile(sa + "/ca.crt")
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	token, err := os.ReadFile(sa + "/token")
	if err != nil {
		return nil, err
	}
	return &apiClient{
		base:  "https://" + endpoint,
		token: strings.TrimSpace(string(token)),
		client: &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		}},
	}, nil
}

func (c *apiClient) nodes(ctx context.Context) ([]cniNode, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/api/v1/nodes", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("list nodes: %s", resp.Status)
	}
	var list struct {
		Items []cniNode `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return nil, err
	}
	return list.Items, nil
}

func runCNI(args []string) error {
	fs := flag.NewFlagSet("cni", flag.ContinueOnError)
	confDir := fs.String("conf-dir", "/etc/cni/net.d", "where to write the CNI config")
	podSubnet := fs.String("pod-subnet", os.Getenv("POD_SUBNET"), "the cluster's pod range (masquerade stops at it)")
	node := fs.String("node", os.Getenv("NODE_NAME"), "this node's name")
	interval := fs.Duration("interval", 10*time.Second, "how often to look at the nodes")
	resync := fs.Duration("resync", 2*time.Minute, "how often to re-apply routes and rules even when nothing changed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *node == "" {
		return errors.New("--node (or NODE_NAME) is required")
	}
	api, err := newAPIClient()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log.Printf("cni: node %s, pod subnet %q, API %s", *node, *podSubnet, api.base)
	// Routes and rules are applied when the nodes change, and every resync period in case someone
	// removed them; in between the daemon only reads the node list, so an idle node stays idle.
	last, lastApply := "", time.Time{}
	for {
		nodes, err := api.nodes(ctx)
		if err != nil {
			log.Printf("cni: %v", err)
		} else if want := desired(nodes); want != last || time.Since(lastApply) > *resync {
			state, err := syncNetwork(ctx, nodes, *node, *podSubnet, *confDir)
			if err != nil {
				log.Printf("cni: %v", err)
			} else {
				if want != last {
					log.Printf("cni: %s", state)
				}
				last, lastApply = want, time.Now()
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(*interval):
		}
	}
}

// desired is what the network depends on: each node's name, podCIDR and address.
func desired(nodes []cniNode) string {
	var b strings.Builder
	for _, n := range nodes {
		fmt.Fprintf(&b, "%s=%s@%s;", n.Metadata.Name, n.cidr(), n.internalIP())
	}
	return b.String()
}

// syncNetwork makes the node's CNI config, routes and masquerade rule match the cluster's nodes and
// returns a one-line summary of the state.
func syncNetwork(ctx context.Context, nodes []cniNode, self, podSubnet, confDir string) (string, error) {
	var summary []string
	for _, n := range nodes {
		cidr, ip := n.cidr(), n.internalIP()
		if n.Metadata.Name == self {
			if cidr == "" {
				return "", errors.New("this node has no podCIDR yet (was the cluster made with a pod network CIDR?)")
			}
			if err := writeCNIConfig(confDir, cidr); err != nil {
				return "", err
			}
			summary = append(summary, "own "+cidr)
			continue
		}
		if cidr == "" || ip == "" {
			continue
		}
		if out, err := exec.CommandContext(ctx, "ip", "route", "replace", cidr, "via", ip).CombinedOutput(); err != nil {
			return "", fmt.Errorf("ip route replace %s via %s: %v: %s", cidr, ip, err, out)
		}
		summary = append(summary, cidr+" via "+ip)
	}
	if podSubnet != "" {
		if err := ensureMasquerade(ctx, podSubnet); err != nil {
			return "", err
		}
	}
	return strings.Join(summary, ", "), nil
}

func writeCNIConfig(dir, cidr string) error {
	mtu := 1500
	if b, err := os.ReadFile("/sys/class/net/eth0/mtu"); err == nil {
		fmt.Sscan(strings.TrimSpace(string(b)), &mtu)
	}
	conf := map[string]any{
		"cniVersion": "0.4.0",
		"name":       "kubeplay",
		"plugins": []any{
			map[string]any{
				"type":   "ptp",
				"ipMasq": false,
				"mtu":    mtu,
				"ipam": map[string]any{
					"type":   "host-local",
					"ranges": [][]map[string]string{{{"subnet": cidr}}},
					"routes": []map[string]string{{"dst": "0.0.0.0/0"}},
				},
			},
			map[string]any{"type": "portmap", "capabilities": map[string]bool{"portMappings": true}},
		},
	}
	data, err := json.MarshalIndent(conf, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "10-kubeplay.conflist")
	if old, err := os.ReadFile(path); err == nil && string(old) == string(data) {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ensureMasquerade keeps one rule: traffic from pods to outside the pod range leaves with the node's
// address.
func ensureMasquerade(ctx context.Context, podSubnet string) error {
	rule := []string{"-t", "nat", "POSTROUTING", "-s", podSubnet, "!", "-d", podSubnet, "-m", "comment", "--comment", "kubeplay pod masquerade", "-j", "MASQUERADE"}
	args := append([]string{rule[0], rule[1], "-C"}, rule[2:]...)
	if exec.CommandContext(ctx, "iptables", args...).Run() == nil {
		return nil
	}
	args = append([]string{rule[0], rule[1], "-A"}, rule[2:]...)
	if out, err := exec.CommandContext(ctx, "iptables", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("iptables %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return nil
}
