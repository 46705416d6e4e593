package labs

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
)

// Catalog is a set of loaded labs, with each page rendered once per language.
type Catalog struct {
	labs     []*Lab
	byID     map[string]*Lab
	mu       sync.Mutex
	rendered map[string]string // lab/page/kind/lang -> HTML
}

// LoadAll loads every lab folder (a folder with an index.json) of each fsys in order; a lab id found
// again in a later fsys replaces the earlier one (an instructor's own labs over the bundled ones).
// Labs with problems are left out and their problems returned.
func LoadAll(opts Options, fsyss ...fs.FS) (*Catalog, []Problems) {
	c := &Catalog{byID: map[string]*Lab{}, rendered: map[string]string{}}
	var bad []Problems
	for _, fsys := range fsyss {
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			bad = append(bad, Problems{{File: ".", Msg: err.Error()}})
			continue
		}
		for _, e := range entries {
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			if _, err := fs.Stat(fsys, e.Name()+"/index.json"); err != nil {
				continue
			}
			lab, probs := Load(fsys, e.Name(), opts)
			if len(probs) > 0 {
				bad = append(bad, probs)
				delete(c.byID, e.Name())
				continue
			}
			c.byID[lab.ID] = lab
		}
	}
	for _, l := range c.byID {
		c.labs = append(c.labs, l)
	}
	sort.Slice(c.labs, func(i, j int) bool {
		a, b := c.labs[i], c.labs[j]
		if (a.Order == 0) != (b.Order == 0) {
			return a.Order != 0
		}
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		return a.ID < b.ID
	})
	return c, bad
}

// Labs lists the labs in their order.
func (c *Catalog) Labs() []*Lab { return c.labs }

// Lab finds a lab.
func (c *Catalog) Lab(id string) (*Lab, bool) {
	l, ok := c.byID[id]
	return l, ok
}

// HTML renders a page's Markdown (kind: "text", "hint" or "solution") in lang, cached.
func (c *Catalog) HTML(l *Lab, page int, kind, lang string) (string, error) {
	key := fmt.Sprintf("%s/%d/%s/%s", l.ID, page, kind, lang)
	c.mu.Lock()
	h, ok := c.rendered[key]
	c.mu.Unlock()
	if ok {
		return h, nil
	}
	var src Text
	if pg, ok := l.Page(page); ok {
		switch kind {
		case "text":
			src = pg.Text
		case "hint", "solution":
			if page >= 1 && page <= len(l.Steps) {
				if kind == "hint" {
					src = l.Steps[page-1].Hint
				} else {
					src = l.Steps[page-1].Solution
				}
			}
		}
	}
	if len(src) == 0 {
		return "", nil
	}
	h, err := Render(src.In(lang))
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.rendered[key] = h
	c.mu.Unlock()
	return h, nil
}
