// Package nodeimage_test proves the offline node image: it builds (or finds in the cache) with
// kubeplay's builder, a rebuild with nothing changed builds nothing, and sigs.k8s.io/kind as a library
// makes a working 1 control-plane + 2 worker cluster from it with no registry reachable.
package nodeimage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/provisioner/nodeimage"
	"github.com/kubeplay/kubeplay/tests/testenv"
)

func TestRebuildHitsTheCache(t *testing.T) {
	testenv.NodeImage(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var progress strings.Builder
	b, err := nodeimage.New(ctx, nodeimage.Options{}, &progress)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	img, results, err := b.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.Cached {
			t.Errorf("stage %s was built again although nothing changed", r.Stage)
		}
	}
	if img == nil {
		t.Fatal("no node image after a cached build")
	}
	t.Logf("cached rebuild of %d stages: %s\n%s", len(results), time.Since(start).Round(time.Millisecond), progress.String())
}

// dockerObjects counts what Docker holds of one kind: containers, networks or volumes.
func dockerObjects(t *testing.T, ctx context.Context, kind string) map[string]bool {
	args := map[string][]string{
		"containers": {"ps", "-aq"},
		"networks":   {"network", "ls", "-q"},
		"volumes":    {"volume", "ls", "-q"},
	}[kind]
	out := testenv.Run(t, ctx, "docker", args...)
	set := map[string]bool{}
	for _, l := range strings.Fields(out) {
		set[l] = true
	}
	return set
}

func TestKindClusterFromOfflineImage(t *testing.T) {
	img := testenv.NodeImage(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	before := map[string]map[string]bool{}
	for _, k := range []string{"containers", "networks", "volumes"} {
		before[k] = dockerObjects(t, ctx, k)
	}

	t.Run("cluster", func(t *testing.T) {
		c := testenv.NewKindCluster(t, img.Ref, 2)
		t.Logf("kind create 1+2 to all nodes Ready: %s", c.Created.Round(time.Second))
		checkCluster(t, ctx, c, img)
	})

	// After the cluster is deleted, nothing it made is left on the engine.
	for _, k := range []string{"containers", "networks", "volumes"} {
		for id := range dockerObjects(t, ctx, k) {
			if !before[k][id] {
				t.Errorf("left behind: %s %s", k, id)
			}
		}
	}
}

func checkCluster(t *testing.T, ctx context.Context, c *testenv.KindCluster, img *nodeimage.NodeImage) {
	nodes := c.Nodes()

	t.Run("systemd boots cleanly", func(t *testing.T) {
		for _, n := range nodes {
			out, _ := c.Exec(ctx, n, "systemctl", "is-system-running")
			if strings.TrimSpace(out) != "running" {
				failed, _ := c.Exec(ctx, n, "systemctl", "--failed", "--no-legend")
				t.Errorf("%s: systemd is %q; failed units:\n%s", n, strings.TrimSpace(out), failed)
			}
		}
	})

	t.Run("all nodes Ready", func(t *testing.T) {
		c.Kubectl(ctx, "wait", "--for=condition=Ready", "nodes", "--all", "--timeout=180s")
		out := c.Kubectl(ctx, "get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.nodeInfo.kubeletVersion}{\"\\n\"}{end}")
		for _, n := range nodes {
			if !strings.Contains(out, n+" "+img.Version) {
				t.Errorf("node %s with kubelet %s not in:\n%s", n, img.Version, out)
			}
		}
	})

	t.Run("versions, completion and the k alias", func(t *testing.T) {
		out := c.Kubectl(ctx, "version")
		if !strings.Contains(out, "Client Version: "+img.Version) || !strings.Contains(out, "Server Version: "+img.Version) {
			t.Errorf("kubectl version:\n%s", out)
		}
		kv, err := c.Exec(ctx, c.ControlPlane(), "kubeadm", "version", "-o", "short")
		if err != nil || strings.TrimSpace(kv) != img.Version {
			t.Errorf("kubeadm version: %q %v", kv, err)
		}
		sh, err := c.Exec(ctx, c.ControlPlane(), "bash", "-ic", "k get nodes -o name | wc -l; complete -p k")
		if err != nil || !strings.Contains(sh, "3") || !strings.Contains(sh, "__start_kubectl") {
			t.Errorf("k alias and completion in an interactive shell: %v\n%s", err, sh)
		}
	})

	t.Run("CoreDNS answers", func(t *testing.T) {
		c.Kubectl(ctx, "run", "dns", "--image=busybox:1.28", "--restart=Never", "--command", "--", "nslookup", "kubernetes.default.svc.cluster.local")
		waitPodPhase(t, ctx, c, "dns", "Succeeded", 3*time.Minute)
		logs := c.Kubectl(ctx, "logs", "dns")
		if !strings.Contains(logs, "10.96.0.1") {
			t.Errorf("nslookup kubernetes.default did not answer 10.96.0.1:\n%s", logs)
		}
	})

	t.Run("pods across nodes, Service by DNS, NodePort", func(t *testing.T) {
		c.Apply(ctx, helloDeployment)
		c.Kubectl(ctx, "rollout", "status", "deployment/hello", "--timeout=180s")
		pods := strings.Fields(c.Kubectl(ctx, "get", "pods", "-l", "app=hello", "-o", "jsonpath={range .items[*]}{.metadata.name},{.spec.nodeName},{.status.podIP} {end}"))
		if len(pods) != 2 {
			t.Fatalf("want 2 hello pods, got %v", pods)
		}
		a, b := strings.Split(pods[0], ","), strings.Split(pods[1], ",")
		if a[1] == b[1] || a[1] == c.ControlPlane() || b[1] == c.ControlPlane() {
			t.Fatalf("the 2 replicas are not on the 2 workers: %v", pods)
		}
		out := c.Kubectl(ctx, "exec", a[0], "--", "wget", "-qO-", "-T", "10", "http://"+b[2]+":8080/")
		if !strings.Contains(out, "Hello from "+b[0]+" on "+b[1]) {
			t.Errorf("pod %s on %s reaching %s on %s by IP got: %q", a[0], a[1], b[0], b[1], out)
		}
		seen := map[string]bool{}
		for i := 0; i < 20 && len(seen) < 2; i++ {
			out := c.Kubectl(ctx, "exec", a[0], "--", "wget", "-qO-", "-T", "10", "http://hello.default.svc.cluster.local/")
			if !strings.HasPrefix(out, "Hello from ") {
				t.Fatalf("service by DNS name: %q", out)
			}
			seen[strings.Fields(out)[2]] = true
		}
		if len(seen) < 2 {
			t.Errorf("the Service sent 20 requests to one pod only: %v", seen)
		}
		port := c.Kubectl(ctx, "get", "service", "hello", "-o", "jsonpath={.spec.ports[0].nodePort}")
		workerIP := strings.TrimSpace(testenv.Run(t, ctx, "docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", nodes[2]))
		out, err := c.Exec(ctx, nodes[1], "curl", "-sS", "--max-time", "10", "http://"+workerIP+":"+port+"/")
		if err != nil || !strings.HasPrefix(out, "Hello from ") {
			t.Errorf("NodePort %s of %s from %s: %v %q", port, nodes[2], nodes[1], err, out)
		}
	})

	t.Run("a PVC binds and keeps data across a pod restart", func(t *testing.T) {
		c.Apply(ctx, pvcManifest("writer", "echo kept-$(date +%s) > /data/file && cat /data/file"))
		waitPodPhase(t, ctx, c, "writer", "Succeeded", 3*time.Minute)
		written := c.Kubectl(ctx, "logs", "writer")
		if phase := c.Kubectl(ctx, "get", "pvc", "data", "-o", "jsonpath={.status.phase}"); phase != "Bound" {
			t.Fatalf("pvc is %s", phase)
		}
		c.Kubectl(ctx, "delete", "pod", "writer", "--wait=true")
		c.Apply(ctx, pvcManifest("reader", "cat /data/file"))
		waitPodPhase(t, ctx, c, "reader", "Succeeded", 3*time.Minute)
		if read := c.Kubectl(ctx, "logs", "reader"); read != written || !strings.HasPrefix(read, "kept-") {
			t.Errorf("wrote %q, read %q", written, read)
		}
	})

	t.Run("tutorial names run offline", func(t *testing.T) {
		c.Kubectl(ctx, "run", "web", "--image=nginx")
		c.Kubectl(ctx, "run", "box", "--image=busybox", "--", "sleep", "3600")
		c.Kubectl(ctx, "create", "deployment", "r", "--image=redis")
		for _, p := range []string{"web", "box"} {
			waitPodPhase(t, ctx, c, p, "Running", 3*time.Minute)
		}
		c.Kubectl(ctx, "rollout", "status", "deployment/r", "--timeout=180s")
		ip := c.Kubectl(ctx, "get", "pod", "web", "-o", "jsonpath={.status.podIP}")
		if out := c.Kubectl(ctx, "exec", "box", "--", "wget", "-qO-", "http://"+ip+"/"); !strings.Contains(out, "Welcome to nginx!") {
			t.Errorf("nginx page: %q", out)
		}
	})

	t.Run("an unknown image fails fast", func(t *testing.T) {
		start := time.Now()
		c.Kubectl(ctx, "run", "nope", "--image=example.invalid/nothing/here:1.0")
		c.Kubectl(ctx, "run", "nope2", "--image=nginx:1.161")
		for _, p := range []string{"nope", "nope2"} {
			deadline := time.Now().Add(60 * time.Second)
			reason := ""
			for time.Now().Before(deadline) {
				reason = c.Kubectl(ctx, "get", "pod", p, "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}")
				if reason == "ErrImagePull" || reason == "ImagePullBackOff" {
					break
				}
				time.Sleep(time.Second)
			}
			if reason != "ErrImagePull" && reason != "ImagePullBackOff" {
				t.Errorf("pod %s: waiting reason %q, want ErrImagePull", p, reason)
			}
		}
		t.Logf("unknown images reported after %s", time.Since(start).Round(time.Second))
	})
}

func waitPodPhase(t *testing.T, ctx context.Context, c *testenv.KindCluster, pod, phase string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	got := ""
	for time.Now().Before(deadline) {
		got = c.Kubectl(ctx, "get", "pod", pod, "-o", "jsonpath={.status.phase}")
		if got == phase {
			return
		}
		if got == "Failed" {
			break
		}
		time.Sleep(2 * time.Second)
	}
	desc := c.Kubectl(ctx, "describe", "pod", pod)
	t.Fatalf("pod %s is %q, want %s\n%s", pod, got, phase, desc)
}

const helloDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 2
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels:
            app: hello
      containers:
      - name: hello
        image: kubeplay/hello:v1
        env:
        - name: NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        ports:
        - containerPort: 8080
        readinessProbe:
          httpGet:
            path: /ready
            port: 8080
          periodSeconds: 2
---
apiVersion: v1
kind: Service
metadata:
  name: hello
spec:
  type: NodePort
  selector:
    app: hello
  ports:
  - port: 80
    targetPort: 8080`

func pvcManifest(name, script string) string {
	pvc := `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 64Mi
---
`
	return pvc + fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata:
  name: %s
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox:1.37
    command: ["sh", "-c", %q]
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data`, name, script)
}
