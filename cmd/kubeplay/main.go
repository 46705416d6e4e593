// Command kubeplay is a self-hosted Kubernetes playground and classroom server.
//
//	kubeplay serve [flags]         start the server (builds the images first when they are missing)
//	kubeplay image build [flags]   build the node image and every image lessons use, offline
//	kubeplay image status          say whether the node image exists
//	kubeplay image server          build the server image for docker run
//	kubeplay cleanup               remove every cluster and network kubeplay made
//	kubeplay cluster create|list|health|delete   manage session clusters by hand
//	kubeplay lab lint DIR...       check lab folders (file:line and a reason for each problem)
//	kubeplay lab test [LAB...]     prove labs in real clusters
//
// Run "kubeplay help" for the flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/kubeplay/kubeplay/provisioner/local"
)

// Main is the program: parse the arguments, run, close.
type Main struct {
	Stdout, Stderr io.Writer
	cmd            command
}

type command interface {
	Run(ctx context.Context) error
}

var errUsage = errors.New("usage")

const usage = `kubeplay: a self-hosted Kubernetes playground and classroom server.

Usage:
  kubeplay serve [flags]          start the server; builds the node image first when it is missing
  kubeplay image build [flags]    build the node image and the lesson images on this host (offline:
                                  Debian packages and Go modules only; cached by content)
  kubeplay image status [flags]   say whether the node image of this version exists
  kubeplay image server [flags]   build the server image kubeplay/server for docker run (in the
                                  repository: the node image first, then the server's)
  kubeplay cleanup [flags]        remove everything kubeplay made on the Docker engine (clusters,
                                  networks, volumes, isolation rules), and only that
  kubeplay cluster create [flags] ID | list | health ID | delete ID...
                                  make and remove session clusters by hand
  kubeplay lab lint DIR...        check lab folders: each problem with file:line and a reason
  kubeplay lab test [flags] [LAB...]
                                  prove labs in real clusters: each check fails before its step's
                                  solution and passes after (the bundled labs, or --dir DIR)
  kubeplay help                   this text

Run "kubeplay serve -h", "kubeplay image build -h" or "kubeplay lab test -h" for their flags.
`

// ParseFlags chooses the subcommand.
func (m *Main) ParseFlags(args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return flag.ErrHelp
	case "serve":
		c := &serveCmd{stderr: m.Stderr}
		if err := c.parse(args[1:]); err != nil {
			return err
		}
		m.cmd = c
		return nil
	case "cluster":
		if len(args) < 2 {
			fmt.Fprint(m.Stderr, usage)
			return errUsage
		}
		c := &clusterCmd{stdout: m.Stdout, stderr: m.Stderr, action: args[1]}
		if err := c.parse(args[2:]); err != nil {
			return err
		}
		m.cmd = c
		return nil
	case "cleanup":
		c := &cleanupCmd{stdout: m.Stdout, stderr: m.Stderr}
		if err := c.parse(args[1:]); err != nil {
			return err
		}
		m.cmd = c
		return nil
	case "lab":
		if len(args) < 2 {
			fmt.Fprint(m.Stderr, labUsage)
			return errUsage
		}
		c := &labCmd{stdout: m.Stdout, stderr: m.Stderr, action: args[1]}
		if err := c.parse(args[2:]); err != nil {
			return err
		}
		m.cmd = c
		return nil
	case "image":
		if len(args) < 2 {
			fmt.Fprint(m.Stderr, usage)
			return errUsage
		}
		c := &imageCmd{stdout: m.Stdout, stderr: m.Stderr, action: args[1]}
		if err := c.parse(args[2:]); err != nil {
			return err
		}
		m.cmd = c
		return nil
	}
	fmt.Fprintf(m.Stderr, "kubeplay: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

// Run runs the chosen subcommand.
func (m *Main) Run(ctx context.Context) error { return m.cmd.Run(ctx) }

// Close releases what Run held.
func (m *Main) Close() error { return nil }

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func main() {
	// The provisioner runs each kind create in a copy of this program (see provisioner/local).
	if os.Getenv(local.ChildEnv) == "1" {
		os.Exit(local.ChildMain(os.Args[1:]))
	}
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr}
	if err := m.ParseFlags(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := m.Run(ctx)
	stop()
	_ = m.Close()
	if err != nil {
		if !errors.Is(err, errSilent) {
			fmt.Fprintln(os.Stderr, "kubeplay:", err)
		}
		os.Exit(1)
	}
}
