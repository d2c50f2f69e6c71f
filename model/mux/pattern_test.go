package mux

import (
	"reflect"
	"testing"
)

// Builders for expected segments, as in net/http's pattern_test.go.
func lit(s string) Segment   { return Segment{Kind: Literal, Name: s} }
func wild(s string) Segment  { return Segment{Kind: Wildcard, Name: s} }
func multi(s string) Segment { return Segment{Kind: Multi, Name: s} }
func dollar() Segment        { return Segment{Kind: Dollar, Name: "/"} }

func TestParsePattern(t *testing.T) {
	for _, tc := range []struct {
		in           string
		method, host string
		segs         []Segment
	}{
		{"/", "", "", []Segment{multi("")}},
		{"/a/b", "", "", []Segment{lit("a"), lit("b")}},
		{"GET /a/{x}/", "GET", "", []Segment{lit("a"), wild("x"), multi("")}},
		{"POST\t \texample.com/{$}", "POST", "example.com", []Segment{dollar()}},
		{"/b/{bucket}/o/{name...}", "", "", []Segment{lit("b"), wild("bucket"), lit("o"), multi("name")}},
		{"/%61%2Fb/%2F", "", "", []Segment{lit("a/b"), dollar()}},
		{"/a//b", "", "", []Segment{lit("a"), lit(""), lit("b")}},
		{"CONNECT /a/../b", "CONNECT", "", []Segment{lit("a"), lit(".."), lit("b")}},
	} {
		p, err := ParsePattern(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if p.Method() != tc.method || p.Host() != tc.host || !reflect.DeepEqual(p.Segments(), tc.segs) {
			t.Errorf("%q: got %q %q %v, want %q %q %v", tc.in, p.Method(), p.Host(), p.Segments(), tc.method, tc.host, tc.segs)
		}
	}
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		p1, p2 string
		want   Relation
	}{
		{"/a", "/a", Equivalent},
		{"/a/{x}", "/a/{y}", Equivalent},
		{"/", "/a", MoreGeneral},
		{"/a/b", "/a/{x}", MoreSpecific},
		{"GET /a", "/a", MoreSpecific},
		{"GET /a", "HEAD /a", MoreGeneral},
		{"GET /a", "POST /a", Disjoint},
		{"/a/{x}", "/{y}/b", Overlaps},
		{"GET /", "/index.html", Overlaps},
		{"/a/{$}", "/a/{x}", Disjoint},
		{"/a/{$}", "/a/", MoreSpecific},
		{"/a/{x...}", "/a/", Equivalent},
	} {
		p1, _ := ParsePattern(tc.p1)
		p2, _ := ParsePattern(tc.p2)
		if got := p1.Compare(p2); got != tc.want {
			t.Errorf("%s vs %s: %s, want %s", tc.p1, tc.p2, got, tc.want)
		}
		if got := p2.Compare(p1); got != tc.want.inverse() {
			t.Errorf("%s vs %s: %s, want %s", tc.p2, tc.p1, got, tc.want.inverse())
		}
	}
}

// TestIndexAgainstAll checks the conflict index against comparing with
// every pattern (net/http's routing_index_test does the same).
func TestIndexAgainstAll(t *testing.T) {
	var all []*Pattern
	var idx conflictIndex
	for _, s := range []string{"/a", "/a/b", "/{x}/b", "/a/{y}/c", "/a/", "GET /b/{$}", "/c/{z...}", "/{p}/{q}", "POST /{u}/{$}", "/d/e/f"} {
		p, err := ParsePattern(s)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p)
		idx.add(p)
	}
	for _, s := range []string{"/a/{w}", "/{x}/{y}", "/q/{$}", "/{a}/{b}/{c}", "GET /a/b", "/d/{e}/f", "/{x}/"} {
		p, _ := ParsePattern(s)
		got := map[*Pattern]bool{}
		idx.candidates(p, func(q *Pattern) error { got[q] = true; return nil })
		for _, q := range all {
			if p.ConflictsWith(q) && !got[q] {
				t.Errorf("%s conflicts with %s, which the index does not return", p, q)
			}
		}
	}
}

// Bad input never panics the parser.
func TestParsePatternNoPanic(t *testing.T) {
	for _, s := range []string{"", " ", "\t", "{", "}", "/{", "/}", "/{}", "/{...}", "/{$", "a b c", "/\xff{x}", "GET", "/{x}{y}"} {
		ParsePattern(s)
	}
}
