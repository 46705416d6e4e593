package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kubeplay/kubeplay/classroom"
	"github.com/kubeplay/kubeplay/content"
	"github.com/kubeplay/kubeplay/labs"
	"github.com/kubeplay/kubeplay/provisioner"
	"github.com/kubeplay/kubeplay/provisioner/local"
	"github.com/kubeplay/kubeplay/provisioner/nodeimage"
	"github.com/kubeplay/kubeplay/server"
	"github.com/kubeplay/kubeplay/sessions"
	"github.com/kubeplay/kubeplay/store"
)

type serveCmd struct {
	stderr    io.Writer
	addr      string
	data      string
	opts      nodeimage.Options
	pool      string
	cfg       sessions.Config
	nodeMB    int
	cpus      float64
	secret    string
	nodeImage string
	classPace int
	secure    bool
	origin    string
	labs      string
}

func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "kubeplay")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "kubeplay")
	}
	return "kubeplay-data"
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func (c *serveCmd) parse(args []string) error {
	fs := flag.NewFlagSet("kubeplay serve", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.StringVar(&c.addr, "addr", envOr("KUBEPLAY_ADDR", ":8080"), "listen address (env KUBEPLAY_ADDR)")
	fs.StringVar(&c.data, "data", envOr("KUBEPLAY_DATA", defaultDataDir()), "data directory: state database, cookie key, instructor secret, server ID, kubeconfigs (env KUBEPLAY_DATA)")
	fs.StringVar(&c.opts.CacheDir, "cache", nodeimage.DefaultCacheDir(), "image build cache (env KUBEPLAY_CACHE)")
	fs.StringVar(&c.nodeImage, "node-image", os.Getenv("KUBEPLAY_NODE_IMAGE"), "use this node image (it must be on the engine) instead of finding or building the one of this version (env KUBEPLAY_NODE_IMAGE; the server image sets it)")
	fs.StringVar(&c.opts.Mirror, "mirror", "", "Debian mirror for the image build (default: this host's apt mirror)")
	fs.StringVar(&c.pool, "pool", envOr("KUBEPLAY_POOL", "kind-1=1"), "clusters made ahead, as shape=count[,...]; shapes kind-0..3, kubeadm-0..3 (env KUBEPLAY_POOL)")
	fs.DurationVar(&c.cfg.Length, "session-length", envDuration("KUBEPLAY_SESSION_LENGTH", time.Hour), "a new session's length (env KUBEPLAY_SESSION_LENGTH)")
	fs.DurationVar(&c.cfg.MaxLength, "max-length", envDuration("KUBEPLAY_MAX_LENGTH", 3*time.Hour), "the longest a session may be extended to (env KUBEPLAY_MAX_LENGTH)")
	fs.IntVar(&c.cfg.MaxPerClient, "max-per-client", envInt("KUBEPLAY_MAX_PER_CLIENT", 2), "live sessions per browser (env KUBEPLAY_MAX_PER_CLIENT)")
	fs.IntVar(&c.cfg.MaxTotal, "max-sessions", envInt("KUBEPLAY_MAX_SESSIONS", 20), "live sessions in all (env KUBEPLAY_MAX_SESSIONS)")
	fs.DurationVar(&c.cfg.IdleAfter, "idle-pause", envDuration("KUBEPLAY_IDLE_PAUSE", 15*time.Minute), "pause a session's cluster after this long unused; it resumes in seconds when the student returns; negative: never (env KUBEPLAY_IDLE_PAUSE)")
	fs.BoolVar(&c.cfg.PoolRunning, "pool-running", false, "keep the pool's clusters running instead of paused (faster to hand out, costs CPU)")
	fs.IntVar(&c.nodeMB, "node-memory", envInt("KUBEPLAY_NODE_MEMORY", int(provisioner.DefaultLimits().MemoryBytes>>20)), "memory limit per node, MiB (env KUBEPLAY_NODE_MEMORY)")
	fs.Float64Var(&c.cpus, "node-cpus", provisioner.DefaultLimits().CPUs, "CPU limit per node, in cores")
	fs.StringVar(&c.secret, "instructor-secret", os.Getenv("KUBEPLAY_INSTRUCTOR_SECRET"), "instructor secret (env KUBEPLAY_INSTRUCTOR_SECRET; default: generated at the first start, logged then, kept in DATA/instructor.secret)")
	fs.IntVar(&c.classPace, "class-pace", envInt("KUBEPLAY_CLASS_PACE", 1), "class seats' clusters made at once (env KUBEPLAY_CLASS_PACE; 1 suits 2 cores)")
	fs.BoolVar(&c.secure, "secure-cookies", os.Getenv("KUBEPLAY_SECURE_COOKIES") == "1", "mark cookies Secure (when served over https)")
	fs.StringVar(&c.origin, "allowed-origins", os.Getenv("KUBEPLAY_ALLOWED_ORIGINS"), "extra origins allowed to open terminals, comma separated (a reverse proxy's public URL)")
	fs.StringVar(&c.labs, "labs", os.Getenv("KUBEPLAY_LABS"), "a folder of your own labs, listed beside the bundled ones (a lab with the same name replaces the bundled one); labs that fail lint are left out and the log says why (env KUBEPLAY_LABS)")
	fs.Usage = func() {
		fmt.Fprint(c.stderr, "Usage: kubeplay serve [flags]\n\nStarts the server. The first start builds the node image (about 30 minutes, progress on the page\nand in the log); later starts find it and re-adopt the sessions and clusters an earlier run left.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := parsePool(c.pool); err != nil {
		return err
	}
	c.cfg.Limits = provisioner.Limits{MemoryBytes: int64(c.nodeMB) << 20, CPUs: c.cpus}
	return nil
}

// parsePool reads "kind-1=1,kubeadm-1=2".
func parsePool(s string) (map[sessions.Shape]int, error) {
	out := map[sessions.Shape]int{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" || part == "0" {
			continue
		}
		name, count, ok := strings.Cut(part, "=")
		n, err := strconv.Atoi(count)
		shape, serr := sessions.ParseShape(name)
		if !ok || err != nil || serr != nil || n < 0 {
			return nil, fmt.Errorf("--pool %q: want shape=count, e.g. kind-1=1,kubeadm-1=1", part)
		}
		out[shape] = n
	}
	return out, nil
}

// preparer builds the node image when it is missing, or, given one (--node-image: the server
// image names the node image it was built with), makes sure it is on the engine.
type preparer struct {
	opts  nodeimage.Options
	image string
}

func (p preparer) Prepare(ctx context.Context, progress func(string)) (string, error) {
	if p.image != "" {
		progress("node image " + p.image)
		ok, err := (&nodeimage.Docker{}).ImageExists(ctx, p.image)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", fmt.Errorf("the node image %s is not on this Docker engine: build it with `kubeplay image server` (or `kubeplay image build`) "+
				"in the kubeplay repository on this host, or `docker load` it from a host that has it", p.image)
		}
		return p.image, nil
	}
	b, err := nodeimage.New(ctx, p.opts, lineFunc(progress))
	if err != nil {
		return "", err
	}
	img, _, err := b.Build(ctx, "node")
	if err != nil {
		return "", err
	}
	return img.Ref, nil
}

type lineFunc func(string)

func (f lineFunc) Write(p []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		f(l)
	}
	return len(p), nil
}

// instructorSecret returns the configured secret, or the one kept in the data directory (made and
// announced the first time).
func instructorSecret(dir, given string, log *slog.Logger) (string, error) {
	if given != "" {
		return given, nil
	}
	p := filepath.Join(dir, "instructor.secret")
	if b, err := os.ReadFile(p); err == nil && len(strings.TrimSpace(string(b))) >= 16 {
		return strings.TrimSpace(string(b)), nil
	}
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := hex.EncodeToString(b)
	if err := os.WriteFile(p+".tmp", []byte(secret+"\n"), 0o600); err != nil {
		return "", err
	}
	if err := os.Rename(p+".tmp", p); err != nil {
		return "", err
	}
	log.Info("instructor secret generated (kept in the data directory; set --instructor-secret to choose one)", "secret", secret, "file", p)
	return secret, nil
}

// serverID returns this server's ID, kept in the data directory (made at the first start): the
// clusters it makes carry it, so that servers with data directories of their own can share an engine.
func serverID(dir string) (string, error) {
	p := filepath.Join(dir, "server.id")
	if b, err := os.ReadFile(p); err == nil && len(strings.TrimSpace(string(b))) >= 8 {
		return strings.TrimSpace(string(b)), nil
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := hex.EncodeToString(b)
	if err := os.WriteFile(p+".tmp", []byte(id+"\n"), 0o644); err != nil {
		return "", err
	}
	return id, os.Rename(p+".tmp", p)
}

func (c *serveCmd) Run(ctx context.Context) error {
	log := slog.New(slog.NewTextHandler(c.stderr, nil))
	if err := os.MkdirAll(c.data, 0o700); err != nil {
		return err
	}
	secret, err := instructorSecret(c.data, c.secret, log)
	if err != nil {
		return fmt.Errorf("instructor secret: %w", err)
	}
	sid, err := serverID(c.data)
	if err != nil {
		return fmt.Errorf("server id: %w", err)
	}
	log.Info("kubeplay "+local.Version, "url", publicURL(c.addr), "data", c.data, "server", sid)
	id, err := server.LoadIdentity(c.data, c.secure)
	if err != nil {
		return fmt.Errorf("cookie key: %w", err)
	}
	db, err := store.Open(ctx, filepath.Join(c.data, "state.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	pool, _ := parsePool(c.pool)
	c.cfg.Pool = pool
	catalog, err := c.loadLabs(log)
	if err != nil {
		return err
	}
	lessons := &server.Lessons{Labs: catalog, Progress: db.Progress()}
	metrics := server.NewMetrics()
	var origins []string
	for _, o := range strings.Split(c.origin, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	var started atomic.Pointer[classroom.Manager] // the classes, once the playground starts
	s := &server.Server{Addr: c.addr, Images: preparer{opts: c.opts, image: c.nodeImage}, Log: log, Metrics: metrics, Web: webFS()}
	s.Start = func(ctx context.Context, image string) (*server.Playground, error) {
		if changed, err := local.RaiseHostLimits(); err != nil {
			log.Warn("node containers may fail to start beyond a dozen clusters", "err", err)
		} else if len(changed) > 0 {
			log.Info("raised host limits for many node containers", "changed", changed)
		}
		prov, err := local.New(local.Options{StateDir: filepath.Join(c.data, "clusters"), Log: log})
		if err != nil {
			return nil, err
		}
		if err := prov.Ping(ctx); err != nil {
			return nil, err
		}
		pg := &server.Playground{Prov: prov, Identity: id, Log: log, Catalog: server.LabCatalog{Set: catalog}, Lessons: lessons,
			Metrics: metrics, AllowedOrigins: origins}
		cfg := c.cfg
		cfg.Image, cfg.OnReady, cfg.ServerID = image, metrics.ObserveReady, sid
		cfg.OnEnd = func(sessionID string) {
			pg.CloseStreams(sessionID)
			if err := lessons.Forget(context.Background(), sessionID); err != nil {
				log.Warn("forget lesson progress", "session", sessionID, "err", err)
			}
		}
		m := sessions.New(prov, db.Sessions(), cfg, nil, log)
		pg.Sessions = m
		classes := classroom.New(db.Classes(), m, db.Progress(), classroom.Config{Concurrency: c.classPace}, nil, log)
		started.Store(classes)
		pg.Classes = &server.Classes{Manager: classes, Secret: secret}
		if err := m.Adopt(ctx); err != nil {
			return nil, fmt.Errorf("re-adopting the clusters of an earlier run: %w", err)
		}
		shapes := make([]sessions.Shape, 0, len(pool))
		for sh := range pool {
			shapes = append(shapes, sh)
		}
		sort.Slice(shapes, func(i, j int) bool { return shapes[i].String() < shapes[j].String() })
		metrics.WatchSessions(m, shapes)
		go m.RunPool(ctx)
		go m.Run(ctx, 30*time.Second)
		go classes.Run(ctx, 3*time.Second)
		return pg, nil
	}
	err = s.Run(ctx)
	if classes := started.Load(); classes != nil {
		// An ended class's clusters are being removed: give that a moment (docker stop waits 10 s);
		// what is left ends with its sessions' time after the next start.
		sctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
		_ = classes.Settle(sctx)
		cancel()
	}
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// loadLabs loads the bundled labs and the --labs folder; a lab that fails lint is logged and left out.
func (c *serveCmd) loadLabs(log *slog.Logger) (*labs.Catalog, error) {
	sources := []fs.FS{content.FS()}
	opts := labs.Options{}
	if c.labs != "" {
		if st, err := os.Stat(c.labs); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("--labs %s: not a folder", c.labs)
		}
		sources = append(sources, os.DirFS(c.labs))
		opts = lintOptions
	}
	catalog, bad := labs.LoadAll(opts, sources...)
	for _, p := range bad {
		log.Error("a lab fails lint and is not listed", "problems", p.Error())
	}
	ids := make([]string, 0, len(catalog.Labs()))
	for _, l := range catalog.Labs() {
		ids = append(ids, l.ID)
	}
	log.Info("labs loaded", "count", len(ids), "labs", strings.Join(ids, ","), "own", c.labs)
	return catalog, nil
}

// publicURL is the address to open for a listen address (":8080" is every interface of this host).
func publicURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + "/"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}
