// Package content holds the bundled labs (data only, see README.md for the format), embedded into
// the binary.
package content

import (
	"embed"
	"io/fs"
)

//go:embed *
var files embed.FS

// FS is the folder of bundled labs: one folder per lab.
func FS() fs.FS { return files }
