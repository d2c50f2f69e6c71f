package mux

// The Mux: registration. Mirrors net/http.ServeMux.registerErr
// (src/net/http/server.go, go1.26): parse, find conflicts through the
// index, then insert into the tree and the index.

import (
	"errors"
	"fmt"
	"strconv"
)

// Mux is a model of one net/http.ServeMux: the Go 1.22+ matcher ([New])
// or the pre-1.22 one ([NewLegacy]). It is not safe for concurrent
// registration; Route may be called concurrently once registration is
// done.
type Mux struct {
	tree     tree
	index    conflictIndex
	patterns []*Pattern
	locs     []string   // registration location of each pattern, for conflict messages
	legacy   *legacyMux // non-nil in legacy mode
}

// New returns an empty Go 1.22+ mux.
func New() *Mux { return &Mux{} }

// NewLegacy returns an empty mux with GODEBUG=httpmuxgo121=1 semantics.
func NewLegacy() *Mux { return &Mux{legacy: &legacyMux{}} }

// Legacy reports whether m has the pre-1.22 semantics.
func (m *Mux) Legacy() bool { return m.legacy != nil }

// Handle registers pattern, as ServeMux.Handle does, but returns the
// error that Handle would panic with. Conflict messages name the
// registration location "pattern N" (N counting from 1); use [Mux.HandleAt]
// to give real locations.
func (m *Mux) Handle(pattern string) error {
	return m.HandleAt(pattern, "pattern "+strconv.Itoa(m.Len()+1))
}

// Len returns the number of registered patterns.
func (m *Mux) Len() int {
	if m.legacy != nil {
		return len(m.legacy.order)
	}
	return len(m.patterns)
}

// HandleAt is Handle with loc as the pattern's registration location
// (net/http uses the caller's file:line).
//
// Errors, with the texts of net/http:
//
//	http: invalid pattern                      (empty pattern)
//	parsing "P": at offset N: REASON           (see [ParsePattern])
//	pattern "P" (registered at L) conflicts with pattern "Q" (registered at M):
//	EXPLANATION
//	non-nil leaf fields                        (net/http panics with this string)
//
// In legacy mode only the first and "http: multiple registrations for P".
func (m *Mux) HandleAt(pattern, loc string) error {
	if m.legacy != nil {
		return m.legacy.handle(pattern)
	}
	if pattern == "" {
		return errors.New("http: invalid pattern")
	}
	p, err := ParsePattern(pattern)
	if err != nil {
		return fmt.Errorf("parsing %q: %w", pattern, err)
	}
	if err := m.index.candidates(p, func(q *Pattern) error {
		if p.ConflictsWith(q) {
			return fmt.Errorf("pattern %q (registered at %s) conflicts with pattern %q (registered at %s):\n%s",
				p, loc, q, m.locOf(q), describeConflict(p, q))
		}
		return nil
	}); err != nil {
		return err
	}
	if m.tree.occupied(p) {
		return errLeafTaken
	}
	m.tree.add(p)
	m.index.add(p)
	m.patterns = append(m.patterns, p)
	m.locs = append(m.locs, loc)
	return nil
}

func (m *Mux) locOf(q *Pattern) string {
	for i, p := range m.patterns {
		if p == q {
			return m.locs[i]
		}
	}
	return "unknown location"
}

// Patterns returns the registered patterns in registration order.
func (m *Mux) Patterns() []string {
	if m.legacy != nil {
		return append([]string(nil), m.legacy.order...)
	}
	out := make([]string, len(m.patterns))
	for i, p := range m.patterns {
		out[i] = p.str
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
