// Package frontend holds kubeplay's web UI: the sources under src/ (plain JavaScript, xterm.js from
// npm, bundled by esbuild with `npm run build`) and the built site in dist/, which is committed so
// that `go build` needs no npm. TestDistIsUpToDate checks that dist/ matches the sources.
package frontend

import (
	"embed"
	"io/fs"
)

// Dist is the built site: dist/index.html and dist/assets/{app.js,app.css}.
//
//go:embed dist
var Dist embed.FS

// FS returns the built site with dist/ as its root: index.html, assets/app.js, assets/app.css.
func FS() fs.FS {
	sub, err := fs.Sub(Dist, "dist")
	if err != nil {
		panic(err) // "dist" is a valid path; fs.Sub fails only for invalid ones
	}
	return sub
}
