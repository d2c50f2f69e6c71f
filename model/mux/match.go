package mux

// Matching a request: path cleaning and its redirect, the tree walk, the
// trailing-slash redirect, and 404 versus 405. Mirrors
// net/http.ServeMux.ServeHTTP, findHandler, matchOrRedirect, exactMatch
// and matchingMethods (src/net/http/server.go, go1.26) and
// routingNode.match, matchMethodAndPath, matchPath, matchingMethods and
// firstSegment (src/net/http/routing_tree.go, go1.26).

import (
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"
)

// PathValue is one named wildcard's value, as r.PathValue(Name) returns it.
type PathValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Result is what a Mux does with a request.
type Result struct {
	// Status is the response status: 200 when a pattern's handler runs,
	// 307 (301 in legacy mode) for redirects, 404, 405, or 400 for "*".
	Status int `json:"status"`
	// Pattern is what ServeMux.Handler returns: the matched pattern, or
	// for a redirect the pattern that will match after it ("" if none;
	// in legacy mode the trailing-slash redirect gives the new path).
	Pattern string `json:"pattern"`
	// Values are the path values in the pattern's wildcard order (200 only).
	Values []PathValue `json:"values"`
	// Missing names the wildcards for which net/http recorded no value,
	// so that r.PathValue(name) panics with an index out of range: a
	// CONNECT path with an empty segment ("//x") walks the wildcard
	// branch as if it were a literal and records nothing (go1.26).
	Missing []string `json:"missing,omitempty"`
	// Location is the Location header of a redirect.
	Location string `json:"location"`
	// Allow is the Allow header of a 405.
	Allow string `json:"allow"`
	// Explain tells how the result came about, one line per step.
	Explain []string `json:"explain"`
	// Visited lists the tree nodes entered, in order (with repeats when
	// the walk enters a node again, for example for the 405 check).
	Visited []NodeID `json:"visited"`
	// Lookups counts child lookups in the tree (new matcher) and Scanned
	// the prefix patterns compared (legacy); they drive [Mux.Cost].
	Lookups int `json:"lookups"`
	Scanned int `json:"scanned"`
}

// Value returns the value of the named wildcard, "" if there is none.
func (r Result) Value(name string) string {
	for _, v := range r.Values {
		if v.Name == name {
			return v.Value
		}
	}
	return ""
}

// Match parses the request as httptest.NewRequest(method, target, nil)
// would ([ParseRequest]) and routes it.
func (m *Mux) Match(method, target string) (Result, error) {
	r, err := ParseRequest(method, target)
	if err != nil {
		return Result{}, err
	}
	return m.Route(r), nil
}

// Route routes r, with an explanation.
func (m *Mux) Route(r Request) Result {
	w := &walker{trace: true}
	res := m.route(w, r)
	res.Explain, res.Visited, res.Lookups, res.Scanned = w.lines, w.visited, w.lookups, w.scanned
	return res
}

// route routes r without filling the walk fields.
func (m *Mux) route(w *walker, r Request) Result {
	var res Result
	if m.legacy != nil {
		res = m.legacy.route(w, r)
	} else {
		res = m.findHandler(w, r)
		if w.trace && (res.Status == 200 || res.Status == 405) {
			m.explainCandidates(w, r, res)
		}
	}
	if r.RequestURI == "*" {
		// ServeHTTP answers "*" (OPTIONS * HTTP/1.1) itself.
		w.logf(0, `request URI "*": ServeHTTP answers 400 without calling a handler`)
		res.Status, res.Location, res.Allow, res.Values, res.Missing = 400, "", "", nil, nil
	}
	return res
}

// findHandler mirrors net/http.ServeMux.findHandler.
func (m *Mux) findHandler(w *walker, r Request) Result {
	host := r.URL.Host
	escaped := r.URL.EscapedPath()
	path := escaped
	var n *node
	var matches []string
	if r.Method == "CONNECT" {
		// CONNECT paths are not cleaned; the subtree redirect still applies.
		w.logf(0, "CONNECT: path %q is used as is; host from the URL %q for the redirect check", path, host)
		if _, _, u := m.matchOrRedirect(w, host, r.Method, path, r.URL); u != nil {
			return m.redirect(w, r, u.String(), u.Path)
		}
		w.logf(0, "CONNECT: match again with the Host header %q", r.Host)
		n, matches, _ = m.matchOrRedirect(w, r.Host, r.Method, path, nil)
	} else {
		host = stripHostPort(r.Host)
		path = cleanPath(path)
		if host != r.Host {
			w.logf(0, "host %q: port stripped to %q", r.Host, host)
		}
		if path != escaped {
			w.logf(0, "path %q cleans to %q; match the clean path, then redirect to it", escaped, path)
		}
		var u *url.URL
		n, matches, u = m.matchOrRedirect(w, host, r.Method, path, r.URL)
		if u != nil {
			return m.redirect(w, r, u.String(), n.pattern.str)
		}
		if path != escaped {
			pat := ""
			if n != nil {
				pat = n.pattern.str
			}
			return m.redirect(w, r, (&url.URL{Path: path, RawQuery: r.URL.RawQuery}).String(), pat)
		}
	}
	if n == nil {
		allow := m.matchingMethods(w, host, path)
		if len(allow) > 0 {
			w.logf(0, "no pattern for method %s, but %s match the path: 405", r.Method, strings.Join(allow, ", "))
			return Result{Status: 405, Allow: strings.Join(allow, ", ")}
		}
		w.logf(0, "no pattern matches: 404")
		return Result{Status: 404}
	}
	res := Result{Status: 200, Pattern: n.pattern.str}
	for i, name := range n.pattern.Wildcards() {
		if i >= len(matches) {
			res.Missing = append(res.Missing, name)
			continue
		}
		res.Values = append(res.Values, PathValue{name, matches[i]})
	}
	if len(res.Missing) > 0 {
		w.logf(0, "net/http recorded no value for %s: r.PathValue panics for it (index out of range)", strings.Join(res.Missing, ", "))
	}
	w.logf(0, "matched %q: 200", n.pattern.str)
	return res
}

func (m *Mux) redirect(w *walker, r Request, target, pattern string) Result {
	loc := redirectLocation(r, target)
	w.logf(0, "redirect 307 to %q", loc)
	return Result{Status: 307, Pattern: pattern, Location: loc}
}

// redirectLocation is the Location header that net/http.Redirect writes
// for target (src/net/http/server.go, go1.26): relative targets are made
// absolute against the request path and cleaned, keeping a trailing
// slash, and non-ASCII bytes are hex-escaped.
func redirectLocation(r Request, target string) string {
	if u, err := url.Parse(target); err == nil && u.Scheme == "" && u.Host == "" {
		old := r.URL.EscapedPath()
		if old == "" {
			old = "/"
		}
		if target == "" || target[0] != '/' {
			dir, _ := splitPath(old)
			target = dir + target
		}
		query := ""
		if i := strings.Index(target, "?"); i != -1 {
			target, query = target[:i], target[i:]
		}
		trailing := strings.HasSuffix(target, "/")
		target = cleanPathOnly(target)
		if trailing && !strings.HasSuffix(target, "/") {
			target += "/"
		}
		target += query
	}
	return hexEscapeNonASCII(target)
}

func hexEscapeNonASCII(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 {
			b.WriteByte('%')
			b.WriteString(strings.ToLower(hex2(c)))
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// stripHostPort mirrors net/http.stripHostPort.
func stripHostPort(h string) string {
	if !strings.Contains(h, ":") {
		return h
	}
	host, _, err := net.SplitHostPort(h)
	if err != nil {
		return h
	}
	return host
}

// matchOrRedirect mirrors net/http.ServeMux.matchOrRedirect: a match,
// and if it is not exact and u is non-nil, a second try with a trailing
// slash that, if exact, becomes the redirect.
func (m *Mux) matchOrRedirect(w *walker, host, method, path string, u *url.URL) (*node, []string, *url.URL) {
	n, matches := m.match(w, host, method, path)
	if !exactMatch(n, path) && u != nil && !strings.HasSuffix(path, "/") && path != "" {
		w.logf(0, "no exact match for %q: try %q for a trailing-slash redirect", path, path+"/")
		n2, _ := m.match(w, host, method, path+"/")
		if exactMatch(n2, path+"/") {
			w.logf(0, "%q matches %q exactly: redirect", path+"/", n2.pattern.str)
			return n2, nil, &url.URL{Path: cleanPath(u.Path) + "/", RawQuery: u.RawQuery}
		}
		w.logf(0, "no exact match for %q either: keep the first result", path+"/")
	}
	return n, matches, nil
}

// exactMatch reports whether n's pattern matched path without a multi
// wildcard swallowing a non-empty rest (net/http.exactMatch): "/a/" is an
// exact match for "/a/" but "/" is not for "/a".
func exactMatch(n *node, path string) bool {
	if n == nil {
		return false
	}
	if !n.pattern.last().multi() {
		return true
	}
	if len(path) > 0 && path[len(path)-1] != '/' {
		return false
	}
	return len(n.pattern.segments) == strings.Count(path, "/")
}

// match finds the leaf for host, method and path: patterns for the host
// first, then patterns without a host.
func (m *Mux) match(w *walker, host, method, path string) (*node, []string) {
	root := m.tree.root()
	w.visit(root)
	if host != "" {
		hn := w.child(root, host)
		if hn == nil {
			w.logf(0, "host %q: no patterns", host)
		} else {
			w.logf(0, "host %q: #%d", host, hn.id)
			if n, v := m.matchMethodAndPath(w, hn, method, path); n != nil {
				return n, v
			}
			w.logf(0, "host %q: no match; try patterns without a host", host)
		}
	}
	if root.wild == nil {
		w.logf(0, "no patterns without a host")
		return nil, nil
	}
	w.logf(0, "any host: #%d", root.wild.id)
	return m.matchMethodAndPath(w, root.wild, method, path)
}

func (m *Mux) matchMethodAndPath(w *walker, hn *node, method, path string) (*node, []string) {
	w.visit(hn)
	try := func(mn *node, what string) (*node, []string) {
		if mn == nil {
			w.logf(1, "%s: no patterns", what)
			return nil, nil
		}
		w.logf(1, "%s: #%d, path %q", what, mn.id, path)
		return w.matchPath(mn, path, nil, 2)
	}
	if n, v := try(w.child(hn, method), "method "+method); n != nil {
		return n, v
	}
	if method == "HEAD" {
		if n, v := try(w.child(hn, "GET"), "method GET (serves HEAD)"); n != nil {
			return n, v
		}
	}
	return try(hn.wild, "any method")
}

// matchPath walks the path below n: literal child, then {x} (never for a
// trailing slash), then {x...}. matches holds the wildcard values so far.
func (w *walker) matchPath(n *node, path string, matches []string, depth int) (*node, []string) {
	if n == nil {
		return nil, nil
	}
	w.visit(n)
	if path == "" {
		if n.pattern == nil {
			w.logf(depth, "#%d: end of path, but no pattern ends here", n.id)
			return nil, nil
		}
		w.logf(depth, "#%d: end of path: pattern %q", n.id, n.pattern.str)
		return n, matches
	}
	seg, rest := firstSegment(path)
	if c := w.child(n, seg); c != nil {
		if seg == "" {
			w.logf(depth, "#%d: empty segment: net/http looks up \"\" and gets the wildcard child #%d, without recording a value", n.id, c.id)
		} else {
			w.logf(depth, "#%d: segment %q: literal child #%d", n.id, seg, c.id)
		}
		if l, v := w.matchPath(c, rest, matches, depth+1); l != nil {
			return l, v
		}
		w.logf(depth, "#%d: back up from literal %q", n.id, seg)
	}
	if seg != "/" && n.wild != nil {
		w.lookups++
		w.logf(depth, "#%d: segment %q: wildcard child #%d", n.id, seg, n.wild.id)
		if l, v := w.matchPath(n.wild, rest, append(matches, seg), depth+1); l != nil {
			return l, v
		}
		w.logf(depth, "#%d: back up from {} for %q", n.id, seg)
	}
	if c := n.multi; c != nil {
		w.lookups++
		w.visit(c)
		if c.pattern.last().Name != "" {
			matches = append(matches, unescape(path[1:]))
		}
		w.logf(depth, "#%d: rest %q: multi child #%d: pattern %q", n.id, path, c.id, c.pattern.str)
		return c, matches
	}
	w.logf(depth, "#%d: nothing matches %q", n.id, path)
	return nil, nil
}

// firstSegment splits path ("/seg/rest") into its unescaped first segment
// and the rest; "/" alone is the segment "/" (a trailing slash).
func firstSegment(path string) (seg, rest string) {
	if path == "/" {
		return "/", ""
	}
	path = path[1:]
	i := strings.IndexByte(path, '/')
	if i < 0 {
		i = len(path)
	}
	return unescape(path[:i]), path[i:]
}

// matchingMethods returns, sorted, the methods that would match host
// and path (or path+"/"), for the Allow header of a 405.
func (m *Mux) matchingMethods(w *walker, host, path string) []string {
	set := map[string]bool{}
	quiet := &walker{} // the 405 check is not part of the narrated walk
	m.methodsFor(quiet, host, path, set)
	if !strings.HasSuffix(path, "/") {
		m.methodsFor(quiet, host, path+"/", set)
	}
	w.lookups += quiet.lookups
	return slices.Sorted(maps.Keys(set))
}

func (m *Mux) methodsFor(w *walker, host, path string, set map[string]bool) {
	root := m.tree.root()
	each := func(hn *node) {
		if hn == nil {
			return
		}
		// Only keyed methods: a method-less pattern would have matched.
		for _, mn := range hn.kids {
			if n, _ := w.matchPath(mn, path, nil, 0); n != nil {
				set[mn.key] = true
			}
		}
	}
	if host != "" {
		each(root.child(host))
	}
	each(root.wild)
	if set["GET"] {
		set["HEAD"] = true
	}
}
