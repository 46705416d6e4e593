package labs

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/provisioner"
)

// Nodes orders a cluster's nodes as labs name them: the control plane (node1 in kubeadm mode) first,
// then the workers (node2, ...).
func Nodes(c *provisioner.Cluster) []provisioner.Node {
	nodes := append([]provisioner.Node(nil), c.Nodes...)
	sort.SliceStable(nodes, func(i, j int) bool {
		ci, cj := nodes[i].Role() == provisioner.RoleControlPlane, nodes[j].Role() == provisioner.RoleControlPlane
		if ci != cj {
			return ci
		}
		hi, hj := nodes[i].Hostname(), nodes[j].Hostname()
		if len(hi) != len(hj) { // node2 before node10
			return len(hi) < len(hj)
		}
		return hi < hj
	})
	return nodes
}

// Node finds the node a marker names ("" or unknown: nil).
func (l *Lab) Node(c *provisioner.Cluster, name string) provisioner.Node {
	i, ok := l.Cluster.nodeIndex(name)
	nodes := Nodes(c)
	if !ok || i >= len(nodes) {
		return nil
	}
	return nodes[i]
}

// ControlPlane is where checks run.
func ControlPlane(c *provisioner.Cluster) (provisioner.Node, error) {
	nodes := Nodes(c)
	if len(nodes) == 0 {
		return nil, fmt.Errorf("cluster %s has no node", c.ID)
	}
	return nodes[0], nil
}

// Page returns the intro (0), step n (1..len(Steps)) or the finish page (len(Steps)+1).
func (l *Lab) Page(n int) (Page, bool) {
	switch {
	case n == 0:
		return l.Intro, true
	case n >= 1 && n <= len(l.Steps):
		return l.Steps[n-1].Page, true
	case n == len(l.Steps)+1:
		return l.Finish, true
	}
	return Page{}, false
}

// Setup prepares a fresh cluster for the lab: copies the assets into the control-plane node.
func (l *Lab) Setup(ctx context.Context, c *provisioner.Cluster) error {
	if len(l.Assets) == 0 {
		return nil
	}
	cp, err := ControlPlane(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	var chmods []string
	for _, a := range l.Assets {
		data, err := l.AssetData(a)
		if err != nil {
			return fmt.Errorf("asset %s: %w", a.Path, err)
		}
		target := a.Target
		if target == "~" || strings.HasPrefix(target, "~/") {
			target = "/root" + strings.TrimPrefix(target, "~")
		}
		name := path.Join(strings.TrimPrefix(target, "/"), path.Base(a.Path))
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: time.Unix(0, 0), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
		if a.Chmod != "" {
			chmods = append(chmods, fmt.Sprintf("chmod %s %q", shellWord(a.Chmod), "/"+name))
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	script := "tar -x -C / --no-same-owner"
	if len(chmods) > 0 {
		script += " && " + strings.Join(chmods, " && ")
	}
	if _, err := cp.Exec(ctx, []string{"bash", "-c", script}, provisioner.ExecOptions{Stdin: &buf}); err != nil {
		return fmt.Errorf("copy assets: %w", err)
	}
	return nil
}

// shellWord keeps a chmod mode to the characters modes use.
func shellWord(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune("ugoa+-=rwxXst01234567,", r) {
			return r
		}
		return -1
	}, s)
}

// Enter runs what a page does when the student first opens it: its background script, detached, on
// the control plane; its foreground script is written to the node and the command that runs it in
// the student's terminal is returned ("" when there is none).
func (l *Lab) Enter(ctx context.Context, c *provisioner.Cluster, n int, lang string) (foreground string, err error) {
	pg, ok := l.Page(n)
	if !ok {
		return "", fmt.Errorf("lab %s has no page %d", l.ID, n)
	}
	if pg.Background == "" && pg.Foreground == "" {
		return "", nil
	}
	cp, err := ControlPlane(c)
	if err != nil {
		return "", err
	}
	if pg.Background != "" {
		script := fmt.Sprintf(`mkdir -p /root/.kubeplay && cat > /root/.kubeplay/background-%d.sh && setsid -f bash /root/.kubeplay/background-%d.sh >/root/.kubeplay/background-%d.log 2>&1 </dev/null`, n, n, n)
		if _, err := cp.Exec(ctx, []string{"bash", "-c", script}, provisioner.ExecOptions{Stdin: strings.NewReader(prelude + pg.Background),
			Env: []string{"KUBEPLAY_LANG=" + lang}}); err != nil {
			return "", fmt.Errorf("background script of page %d: %w", n, err)
		}
	}
	if pg.Foreground != "" {
		file := fmt.Sprintf("/root/.kubeplay/foreground-%d.sh", n)
		if _, err := cp.Exec(ctx, []string{"bash", "-c", "mkdir -p /root/.kubeplay && cat > " + file}, provisioner.ExecOptions{Stdin: strings.NewReader(pg.Foreground)}); err != nil {
			return "", fmt.Errorf("foreground script of page %d: %w", n, err)
		}
		foreground = "bash " + file
	}
	return foreground, nil
}
