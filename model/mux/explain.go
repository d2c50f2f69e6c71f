package mux

// Explaining precedence. After the tree walk, every registered pattern
// is matched on its own against the request (a readable reference
// matcher, independent of the tree) and each one that also matches is
// listed with the reason it lost: the winner has a host, or its method
// or a path segment is more specific. Patterns whose path matches but
// whose method does not are listed as the source of a 405's Allow.

import "strings"

// matchAlone reports whether p alone matches (host, method, path) and
// its wildcard values. path must be clean. It ignores net/http's tree
// quirks for empty literal segments (see [Segment]).
func (p *Pattern) matchAlone(host, method, path string) (values []string, pathOK, methodOK bool) {
	if p.host != "" && p.host != host {
		return nil, false, false
	}
	values, pathOK = matchSegments(p.segments, path, nil)
	methodOK = p.method == "" || p.method == method || (p.method == "GET" && method == "HEAD")
	return values, pathOK, methodOK
}

func matchSegments(segs []Segment, path string, vals []string) ([]string, bool) {
	if len(segs) == 0 {
		return vals, path == ""
	}
	s := segs[0]
	if s.Kind == Multi {
		if path == "" || path[0] != '/' {
			return nil, false
		}
		if s.Name != "" {
			vals = append(vals, unescape(path[1:]))
		}
		return vals, true
	}
	if path == "" {
		return nil, false
	}
	seg, rest := firstSegment(path)
	switch s.Kind {
	case Dollar:
		if seg != "/" {
			return nil, false
		}
	case Wildcard:
		if seg == "/" {
			return nil, false
		}
		vals = append(vals, seg)
	default:
		if seg != s.Name {
			return nil, false
		}
	}
	return matchSegments(segs[1:], rest, vals)
}

// explainCandidates appends, for a 200 or 405, the other patterns that
// match the request and why they lost.
func (m *Mux) explainCandidates(w *walker, r Request, res Result) {
	host, path := stripHostPort(r.Host), cleanPath(r.URL.EscapedPath())
	if r.Method == "CONNECT" {
		host, path = r.Host, r.URL.EscapedPath()
	}
	var winner *Pattern
	for _, p := range m.patterns {
		if p.str == res.Pattern {
			winner = p
		}
	}
	header := false
	for _, p := range m.patterns {
		if p == winner {
			continue
		}
		_, pathOK, methodOK := p.matchAlone(host, r.Method, path)
		if !pathOK {
			continue
		}
		if !header {
			w.logf(0, "other candidates:")
			header = true
		}
		switch {
		case !methodOK:
			w.logf(1, "%q: path matches, but method %s is not %s", p.str, r.Method, methodOrAny(p))
		case winner == nil:
			w.logf(1, "%q: matches", p.str)
		default:
			w.logf(1, "%q: matches, but loses: %s", p.str, whyWins(winner, p))
		}
	}
	if !header {
		w.logf(0, "no other pattern matches this request")
	}
}

func methodOrAny(p *Pattern) string {
	if p.method == "GET" {
		return "GET or HEAD"
	}
	return p.method
}

// whyWins says why winner takes precedence over loser; both match.
func whyWins(winner, loser *Pattern) string {
	if winner.host != loser.host {
		return "the winner names the host " + winner.host + " (a pattern with a host beats one without)"
	}
	var why []string
	if winner.compareMethods(loser) == MoreSpecific {
		why = append(why, "method "+winner.method+" is more specific than "+orAny(loser.method))
	}
	for i := 0; i < len(winner.segments) && i < len(loser.segments); i++ {
		ws, ls := winner.segments[i], loser.segments[i]
		if compareSegments(ws, ls) == MoreSpecific {
			why = append(why, "segment "+itoa(i+1)+": "+segDesc(ws)+" is more specific than "+segDesc(ls))
			break
		}
	}
	if len(why) == 0 {
		why = append(why, "the winner matches a strict subset of its requests")
	}
	return strings.Join(why, "; ")
}

func orAny(m string) string {
	if m == "" {
		return "any method"
	}
	return m
}

func segDesc(s Segment) string {
	switch s.Kind {
	case Literal:
		return "literal " + quote(s.Name)
	case Dollar:
		return "{$}"
	case Wildcard:
		return "{" + s.Name + "}"
	}
	if s.Name == "" {
		return "trailing /"
	}
	return "{" + s.Name + "...}"
}

func quote(s string) string { return `"` + s + `"` }
