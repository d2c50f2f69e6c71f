package mux

// walker records a walk through the tree: the explanation lines, the
// nodes entered and the number of child lookups (the unit of routing
// cost). With trace false it only counts.

import (
	"fmt"
	"path"
	"strings"
)

type walker struct {
	trace   bool
	lines   []string
	visited []NodeID
	lookups int
	scanned int // legacy: prefix patterns compared
}

func (w *walker) logf(depth int, format string, args ...any) {
	if !w.trace {
		return
	}
	w.lines = append(w.lines, strings.Repeat("  ", depth)+fmt.Sprintf(format, args...))
}

func (w *walker) visit(n *node) {
	if w.trace {
		w.visited = append(w.visited, n.id)
	}
}

// child is n.child(key), counted as one lookup.
func (w *walker) child(n *node, key string) *node {
	w.lookups++
	return n.child(key)
}

func splitPath(p string) (dir, file string) { return path.Split(p) }

func cleanPathOnly(p string) string { return path.Clean(p) }
