// Command kpnode holds the small programs that run inside kubeplay's nodes and lesson images, in one
// static binary with no dependencies beyond Go's standard library (the image builder compiles it from
// the source embedded in kubeplay):
//
//	registry  the node's read-only image registry: serves the images baked into the node image to
//	          containerd, so tutorial names (nginx, busybox, redis, ...) pull with no internet
//	cni       the pod network daemon: a CNI config for the node's podCIDR, routes to the other nodes'
//	          pod ranges, masquerade for traffic leaving the pod range
//	pause     the pod sandbox's process
//	hello     the lessons' web app: prints its pod, node and version (v3 never becomes ready)
//	logship   the sidecar lesson's log shipper: follows files and ships their lines
//	tcpproxy  the ambassador lesson's proxy: TCP, or Redis-aware (writes to the master, reads to replicas)
//	wget      a small wget (-q, -O, -T, --spider) for images whose busybox wget is broken
//
// It runs the program named by argv[0]'s base name, or by its first argument.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

var programs = map[string]func(args []string) error{
	"registry": runRegistry,
	"cni":      runCNI,
	"pause":    runPause,
	"hello":    runHello,
	"logship":  runLogship,
	"tcpproxy": runTCPProxy,
	"wget":     runWget,
}

func main() {
	name := filepath.Base(os.Args[0])
	args := os.Args[1:]
	if _, ok := programs[name]; !ok && len(args) > 0 {
		name, args = args[0], args[1:]
	}
	run, ok := programs[name]
	if !ok {
		var names []string
		for n := range programs {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "usage: kpnode PROGRAM [ARGS...]\nprograms: %v\n", names)
		os.Exit(2)
	}
	if err := run(args); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}
