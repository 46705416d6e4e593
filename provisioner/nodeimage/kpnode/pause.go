package main

import (
	"os"
	"os/signal"
	"syscall"
)

// runPause is a pod sandbox's process: it sleeps until told to stop and reaps orphaned children.
func runPause(args []string) error {
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range sigs {
		if s == syscall.SIGCHLD {
			for {
				var ws syscall.WaitStatus
				pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
				if pid <= 0 || err != nil {
					break
				}
			}
			continue
		}
		return nil
	}
	return nil
}
