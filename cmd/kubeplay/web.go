package main

import "io/fs"

// webFS is the built frontend; nil until the frontend package exists.
func webFS() fs.FS { return nil }
