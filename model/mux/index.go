package mux

// The conflict index narrows the patterns a new one must be compared
// with, so that registering n patterns costs about O(n) comparisons
// instead of O(n²) when the patterns have distinguishing literals.
// A pattern can only conflict with a multi pattern (ending in "/" or
// {x...}), or with one that has, at some literal position of the new
// pattern, the same literal or a wildcard. The index maps (position,
// literal-or-"") to patterns and keeps multis in a list; a new pattern is
// compared with the multis plus the patterns at its most selective
// literal position.
//
// Mirrors net/http.routingIndex (src/net/http/routing_index.go, go1.26).
// Returning extra candidates is always safe: the precise test is
// [Pattern.ConflictsWith].

import "math"

type indexKey struct {
	pos int
	s   string // the literal, or "" for a wildcard (and the empty literal)
}

type conflictIndex struct {
	segments map[indexKey][]*Pattern
	multis   []*Pattern
	keys     []indexKey // insertion order, so that all-wildcard scans are deterministic
}

func (idx *conflictIndex) add(p *Pattern) {
	if p.last().multi() {
		idx.multis = append(idx.multis, p)
		return
	}
	if idx.segments == nil {
		idx.segments = map[indexKey][]*Pattern{}
	}
	for pos, seg := range p.segments {
		k := indexKey{pos: pos}
		if !seg.wild() {
			k.s = seg.Name
		}
		if _, ok := idx.segments[k]; !ok {
			idx.keys = append(idx.keys, k)
		}
		idx.segments[k] = append(idx.segments[k], p)
	}
}

// candidates calls f on every registered pattern that might conflict
// with p, stopping at the first non-nil error.
func (idx *conflictIndex) candidates(p *Pattern, f func(*Pattern) error) error {
	apply := func(ps []*Pattern) error {
		for _, q := range ps {
			if err := f(q); err != nil {
				return err
			}
		}
		return nil
	}
	if err := apply(idx.multis); err != nil {
		return err
	}
	if p.last().Kind == Dollar {
		// Only {$} patterns with the {$} at the same position (or multis)
		// match paths ending in a slash at that depth.
		return apply(idx.segments[indexKey{pos: len(p.segments) - 1, s: "/"}])
	}
	var lits, wilds []*Pattern
	best, hasLit := math.MaxInt, false
	for i, seg := range p.segments {
		if seg.multi() {
			break
		}
		if !seg.wild() {
			hasLit = true
			l := idx.segments[indexKey{pos: i, s: seg.Name}]
			w := idx.segments[indexKey{pos: i}]
			if len(l)+len(w) < best {
				lits, wilds, best = l, w, len(l)+len(w)
			}
		}
	}
	if hasLit {
		if err := apply(lits); err != nil {
			return err
		}
		return apply(wilds)
	}
	// All wildcards: compare with everything.
	for _, k := range idx.keys {
		if err := apply(idx.segments[k]); err != nil {
			return err
		}
	}
	return nil
}
