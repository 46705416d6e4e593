package main

import (
	"io/fs"

	"github.com/kubeplay/kubeplay/frontend"
)

// webFS is the built frontend, embedded in the binary.
func webFS() fs.FS { return frontend.FS() }
