package mux

// Pattern parsing. A pattern string "[METHOD ][HOST]/[PATH]" becomes a
// method, a host and a list of path segments in a normalised form that
// makes comparison and matching uniform:
//
//   - a trailing "/" becomes an anonymous multi wildcard ("a/" = "a" + "{...}");
//   - a trailing "{$}" becomes the literal segment "/" ("a/{$}" = "a" + "/");
//   - literal segments are stored unescaped, one by one, so "%2F" inside a
//     segment stays inside it.
//
// Mirrors net/http.parsePattern (src/net/http/pattern.go, go1.26),
// including its error texts and offsets.

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode"
)

// Pattern is a parsed ServeMux pattern. Its zero value is not valid; use
// [ParsePattern].
type Pattern struct {
	str      string
	method   string // "" matches every method
	host     string // "" matches every host
	segments []Segment
}

// SegmentKind says what a [Segment] matches.
type SegmentKind string

const (
	Literal  SegmentKind = "literal"  // one path segment equal to Segment.Name (see NOTE)
	Dollar   SegmentKind = "dollar"   // the trailing slash: from "{$}"
	Wildcard SegmentKind = "wildcard" // any one segment: "{name}"
	Multi    SegmentKind = "multi"    // the rest of the path: "{name...}" or a trailing "/" (Name "")
)

// Segment is one piece of a pattern's path.
//
// NOTE: net/http keys tree children by the literal, with "" meaning the
// single wildcard and "/" the trailing slash. An empty literal (from
// "//" in a method-less or CONNECT pattern) therefore lands on the
// wildcard branch and matches any segment, recording a value that shifts
// later path values; a literal "%2F" behaves as {$}. We keep both quirks
// because the real mux has them.
type Segment struct {
	Kind SegmentKind
	Name string // literal text (unescaped) or wildcard name; "/" for Dollar
}

func (s Segment) wild() bool  { return s.Kind == Wildcard || s.Kind == Multi }
func (s Segment) multi() bool { return s.Kind == Multi }

// String renders the segment in pattern syntax.
func (s Segment) String() string {
	switch s.Kind {
	case Dollar:
		return "{$}"
	case Wildcard:
		return "{" + s.Name + "}"
	case Multi:
		if s.Name == "" {
			return ""
		}
		return "{" + s.Name + "...}"
	}
	return s.Name
}

// String returns the pattern as written.
func (p *Pattern) String() string { return p.str }

// Method returns the pattern's method, "" if it has none.
func (p *Pattern) Method() string { return p.method }

// Host returns the pattern's host, "" if it has none.
func (p *Pattern) Host() string { return p.host }

// Segments returns a copy of the pattern's normalised path segments.
func (p *Pattern) Segments() []Segment { return append([]Segment(nil), p.segments...) }

// Wildcards returns the names of the pattern's named wildcards in order;
// they are the keys of [Result.Values].
func (p *Pattern) Wildcards() []string {
	var names []string
	for _, s := range p.segments {
		if s.wild() && s.Name != "" {
			names = append(names, s.Name)
		}
	}
	return names
}

func (p *Pattern) last() Segment { return p.segments[len(p.segments)-1] }

// ParsePattern parses s. Errors read like net/http's: "at offset N: reason"
// (ServeMux.Handle wraps them as `parsing "s": ...`, see [Mux.Handle]).
// It never panics.
func ParsePattern(s string) (_ *Pattern, err error) {
	if s == "" {
		return nil, errors.New("empty pattern")
	}
	off := 0
	defer func() {
		if err != nil {
			err = fmt.Errorf("at offset %d: %w", off, err)
		}
	}()

	// The method is everything before the first space or tab.
	method, rest := "", s
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		method, rest = s[:i], strings.TrimLeft(s[i+1:], " \t")
		if method != "" && !isToken(method) {
			return nil, fmt.Errorf("invalid method %q", method)
		}
		off = len(method) + 1
	}
	p := &Pattern{str: s, method: method}

	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return nil, errors.New("host/path missing /")
	}
	p.host, rest = rest[:slash], rest[slash:]
	if j := strings.IndexByte(p.host, '{'); j >= 0 {
		off += j
		return nil, errors.New("host contains '{' (missing initial '/'?)")
	}
	off += slash

	// Requests are cleaned before matching (except CONNECT), so such a
	// pattern could never match.
	if method != "" && method != "CONNECT" && rest != cleanPath(rest) {
		return nil, errors.New("non-CONNECT pattern with unclean path can never match")
	}

	seen := map[string]bool{}
	for rest != "" { // invariant: rest[0] == '/'
		rest = rest[1:]
		off = len(s) - len(rest)
		if rest == "" {
			p.segments = append(p.segments, Segment{Kind: Multi})
			break
		}
		seg := rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			seg = rest[:i]
		}
		rest = rest[len(seg):]
		brace := strings.IndexByte(seg, '{')
		if brace < 0 {
			lit := Segment{Kind: Literal, Name: unescape(seg)}
			if lit.Name == "/" {
				// "%2F" alone: net/http stores it exactly like {$}, so
				// "/a/%2F" matches "/a/" too. Keep that quirk.
				lit.Kind = Dollar
			}
			p.segments = append(p.segments, lit)
			continue
		}
		if brace != 0 {
			return nil, errors.New("bad wildcard segment (must start with '{')")
		}
		if seg[len(seg)-1] != '}' {
			return nil, errors.New("bad wildcard segment (must end with '}')")
		}
		name := seg[1 : len(seg)-1]
		if name == "$" {
			if rest != "" {
				return nil, errors.New("{$} not at end")
			}
			p.segments = append(p.segments, Segment{Kind: Dollar, Name: "/"})
			break
		}
		name, multi := strings.CutSuffix(name, "...")
		if multi && rest != "" {
			return nil, errors.New("{...} wildcard not at end")
		}
		if name == "" {
			return nil, errors.New("empty wildcard")
		}
		if !isIdentifier(name) {
			return nil, fmt.Errorf("bad wildcard name %q", name)
		}
		if seen[name] {
			return nil, fmt.Errorf("duplicate wildcard name %q", name)
		}
		seen[name] = true
		kind := Wildcard
		if multi {
			kind = Multi
		}
		p.segments = append(p.segments, Segment{Kind: kind, Name: name})
	}
	return p, nil
}

// isIdentifier reports whether s is a Go identifier (the rule for
// wildcard names).
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !unicode.IsLetter(c) && c != '_' && (i == 0 || !unicode.IsDigit(c)) {
			return false
		}
	}
	return true
}

// isToken reports whether s is an RFC 9110 §5.6.2 token, the rule for
// methods (net/http.validMethod).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// unescape percent-decodes one segment, keeping it as is when it is not
// validly escaped (net/http.pathUnescape).
func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// cleanPath is the canonical form of a request path: rooted, without "."
// or ".." elements or repeated slashes, keeping a trailing slash.
// Mirrors net/http.cleanPath (src/net/http/server.go, go1.26).
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
}
