package mux

// Precedence and conflicts. Two patterns are compared as sets of
// (method, path) requests: one is more specific than the other when its
// set is a strict subset. Registration refuses a pattern whose set equals
// or partly overlaps a registered one's, because then no rule could pick
// a winner; the one exception (for compatibility) is that a pattern with
// a host beats one without.
//
// Mirrors net/http.pattern.conflictsWith, comparePathsAndMethods,
// compareMethods, comparePaths, compareSegments, combineRelationships and
// describeConflict (src/net/http/pattern.go, go1.26).

import (
	"fmt"
	"strings"
)

// Relation is how the request set of one pattern relates to another's.
type Relation string

const (
	Equivalent   Relation = "equivalent"   // both match the same requests
	MoreGeneral  Relation = "moreGeneral"  // p1 matches everything p2 does, and more
	MoreSpecific Relation = "moreSpecific" // p2 matches everything p1 does, and more
	Disjoint     Relation = "disjoint"     // no request matches both
	Overlaps     Relation = "overlaps"     // some request matches both; neither is more specific
)

func (r Relation) inverse() Relation {
	switch r {
	case MoreGeneral:
		return MoreSpecific
	case MoreSpecific:
		return MoreGeneral
	}
	return r
}

// combine is the relation of two patterns given the relations r1 and r2
// of two complementary parts of them (method and path, or a prefix of
// segments and the next one).
func combine(r1, r2 Relation) Relation {
	switch r1 {
	case Equivalent:
		return r2
	case Disjoint:
		return Disjoint
	case Overlaps:
		if r2 == Disjoint {
			return Disjoint
		}
		return Overlaps
	}
	// r1 is MoreGeneral or MoreSpecific.
	switch r2 {
	case Equivalent:
		return r1
	case r1.inverse():
		return Overlaps
	}
	return r2
}

// Compare returns the relation of p1 to p2 over methods and paths
// (hosts are not compared; see [Pattern.ConflictsWith]).
func (p1 *Pattern) Compare(p2 *Pattern) Relation {
	m := p1.compareMethods(p2)
	if m == Disjoint {
		return Disjoint
	}
	return combine(m, p1.comparePaths(p2))
}

// ConflictsWith reports whether some request matches both patterns and
// neither takes precedence.
func (p1 *Pattern) ConflictsWith(p2 *Pattern) bool {
	if p1.host != p2.host {
		// One has a host and wins, or the hosts differ and no request
		// matches both.
		return false
	}
	r := p1.Compare(p2)
	return r == Equivalent || r == Overlaps
}

// compareMethods: "" matches every method, GET matches GET and HEAD,
// any other method only itself.
func (p1 *Pattern) compareMethods(p2 *Pattern) Relation {
	switch {
	case p1.method == p2.method:
		return Equivalent
	case p1.method == "":
		return MoreGeneral
	case p2.method == "":
		return MoreSpecific
	case p1.method == "GET" && p2.method == "HEAD":
		return MoreGeneral
	case p1.method == "HEAD" && p2.method == "GET":
		return MoreSpecific
	}
	return Disjoint
}

func (p1 *Pattern) comparePaths(p2 *Pattern) Relation {
	// Without a multi at the end, a pattern matches only paths of its
	// own number of segments.
	if len(p1.segments) != len(p2.segments) && !p1.last().multi() && !p2.last().multi() {
		return Disjoint
	}
	rel := Equivalent
	n := min(len(p1.segments), len(p2.segments))
	for i := 0; i < n; i++ {
		rel = combine(rel, compareSegments(p1.segments[i], p2.segments[i]))
		if rel == Disjoint {
			return rel
		}
	}
	switch {
	case len(p1.segments) == len(p2.segments):
		return rel
	case len(p1.segments) < len(p2.segments) && p1.last().multi():
		return combine(rel, MoreGeneral)
	case len(p2.segments) < len(p1.segments) && p2.last().multi():
		return combine(rel, MoreSpecific)
	}
	return Disjoint
}

func compareSegments(s1, s2 Segment) Relation {
	switch {
	case s1.multi() && s2.multi():
		return Equivalent
	case s1.multi():
		return MoreGeneral
	case s2.multi():
		return MoreSpecific
	case s1.wild() && s2.wild():
		return Equivalent
	case s1.wild():
		if s2.Kind == Dollar { // {x} never matches the trailing slash
			return Disjoint
		}
		return MoreGeneral
	case s2.wild():
		if s1.Kind == Dollar {
			return Disjoint
		}
		return MoreSpecific
	case s1.Name == s2.Name:
		return Equivalent
	}
	return Disjoint
}

// describeConflict explains why p1 and p2 conflict, in net/http's words.
func describeConflict(p1, p2 *Pattern) string {
	mrel := p1.compareMethods(p2)
	prel := p1.comparePaths(p2)
	rel := combine(mrel, prel)
	switch {
	case rel == Equivalent:
		return fmt.Sprintf("%s matches the same requests as %s", p1, p2)
	case rel != Overlaps:
		return fmt.Sprintf("%s and %s do not conflict (%s)", p1, p2, rel)
	case prel == Overlaps:
		return fmt.Sprintf(`%[1]s and %[2]s both match some paths, like %[3]q.
But neither is more specific than the other.
%[1]s matches %[4]q, but %[2]s doesn't.
%[2]s matches %[5]q, but %[1]s doesn't.`,
			p1, p2, commonPath(p1, p2), differencePath(p1, p2), differencePath(p2, p1))
	case mrel == MoreGeneral && prel == MoreSpecific:
		return fmt.Sprintf("%s matches more methods than %s, but has a more specific path pattern", p1, p2)
	case mrel == MoreSpecific && prel == MoreGeneral:
		return fmt.Sprintf("%s matches fewer methods than %s, but has a more general path pattern", p1, p2)
	}
	return fmt.Sprintf("bug: unexpected way for two patterns %s and %s to conflict: methods %s, paths %s", p1, p2, mrel, prel)
}

// writeSeg writes a path piece that seg matches: the literal, the
// wildcard's name as a sample value, or just "/" for a multi or {$}.
func writeSeg(b *strings.Builder, s Segment) {
	b.WriteByte('/')
	if s.Kind == Literal || s.Kind == Wildcard {
		b.WriteString(s.Name)
	}
}

// commonPath is a path that both (overlapping) patterns match.
func commonPath(p1, p2 *Pattern) string {
	var b strings.Builder
	n := min(len(p1.segments), len(p2.segments))
	for i := 0; i < n; i++ {
		if s1 := p1.segments[i]; s1.wild() {
			writeSeg(&b, p2.segments[i])
		} else {
			writeSeg(&b, s1)
		}
	}
	for _, s := range p1.segments[n:] {
		writeSeg(&b, s)
	}
	for _, s := range p2.segments[n:] {
		writeSeg(&b, s)
	}
	return b.String()
}

// differencePath is a path that p1 matches and p2 does not (the patterns
// must overlap).
func differencePath(p1, p2 *Pattern) string {
	var b strings.Builder
	n := min(len(p1.segments), len(p2.segments))
	for i := 0; i < n; i++ {
		s1, s2 := p1.segments[i], p2.segments[i]
		switch {
		case s1.multi() && s2.multi():
			// Same from here on: the difference was earlier.
			b.WriteByte('/')
			return b.String()
		case s1.multi():
			// A trailing slash tells them apart, unless s2 is {$}: then
			// any segment does (the wildcard's name if it has one).
			b.WriteByte('/')
			if s2.Kind == Dollar {
				if s1.Name != "" {
					b.WriteString(s1.Name)
				} else {
					b.WriteString("x")
				}
			}
			return b.String()
		case s2.multi():
			writeSeg(&b, s1)
		case s1.wild() && s2.wild():
			writeSeg(&b, s1)
		case s1.wild():
			// Anything but s2's literal: the wildcard name, tweaked if equal.
			if s1.Name != s2.Name {
				writeSeg(&b, s1)
			} else {
				b.WriteString("/" + s2.Name + "x")
			}
		default:
			writeSeg(&b, s1)
		}
	}
	for _, s := range p1.segments[n:] {
		writeSeg(&b, s)
	}
	for _, s := range p2.segments[n:] {
		writeSeg(&b, s)
	}
	return b.String()
}
