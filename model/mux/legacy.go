package mux

// The pre-1.22 matcher, restored in go1.26 by GODEBUG=httpmuxgo121=1.
// Patterns are plain strings: no methods, no wildcards, no unescaping
// ("GET /x" and "/{id}" are literal text; a pattern not starting with
// "/" begins with a host, so "GET /x" is the host "GET " + path "/x" and
// never matches). A request looks up host+path (when any pattern has a
// host) and then path: first in a map of exact patterns, then in a slice
// of the patterns ending in "/" sorted longest first, taking the first
// that is a prefix. That scan is the O(number of subtree patterns) cost
// the old documentation's "linear scan" refers to.
//
// Mirrors net/http.serveMux121 (src/net/http/servemux121.go, go1.26),
// which still redirects with 301 where the new matcher uses 307.

import (
	"errors"
	"net/url"
	"sort"
	"strings"
)

type legacyMux struct {
	exact  map[string]bool
	prefix []string // patterns ending in "/", longest first (stable among equal lengths)
	order  []string // registration order
	hosts  bool     // some pattern does not start with "/"
}

func (l *legacyMux) handle(pattern string) error {
	if pattern == "" {
		return errors.New("http: invalid pattern")
	}
	if l.exact[pattern] {
		return errors.New("http: multiple registrations for " + pattern)
	}
	if l.exact == nil {
		l.exact = map[string]bool{}
	}
	l.exact[pattern] = true
	l.order = append(l.order, pattern)
	if pattern[len(pattern)-1] == '/' {
		// Insert before the first strictly shorter entry (appendSorted).
		i := sort.Search(len(l.prefix), func(i int) bool { return len(l.prefix[i]) < len(pattern) })
		l.prefix = append(l.prefix, "")
		copy(l.prefix[i+1:], l.prefix[i:])
		l.prefix[i] = pattern
	}
	if pattern[0] != '/' {
		l.hosts = true
	}
	return nil
}

// route mirrors serveMux121.findHandler. Legacy ServeHTTP sets no
// r.Pattern and no path values; Result.Pattern is what Handler returns.
func (l *legacyMux) route(w *walker, r Request) Result {
	if r.Method == "CONNECT" {
		w.logf(0, "CONNECT: path %q is used as is", r.URL.Path)
		if u, ok := l.redirectToPathSlash(w, r.URL.Host, r.URL.Path, r.URL); ok {
			return l.redirect(w, r, u)
		}
		return l.handler(w, r.Host, r.URL.Path)
	}
	host := stripHostPort(r.Host)
	path := cleanPath(r.URL.Path)
	if u, ok := l.redirectToPathSlash(w, host, path, r.URL); ok {
		return l.redirect(w, r, u)
	}
	if path != r.URL.Path {
		w.logf(0, "path %q is not clean (%q): redirect", r.URL.Path, path)
		res := l.handler(w, host, path)
		u := &url.URL{Path: path, RawQuery: r.URL.RawQuery}
		loc := redirectLocation(r, u.String())
		w.logf(0, "redirect 301 to %q", loc)
		return Result{Status: 301, Pattern: res.Pattern, Location: loc}
	}
	return l.handler(w, host, r.URL.Path)
}

func (l *legacyMux) redirect(w *walker, r Request, u *url.URL) Result {
	loc := redirectLocation(r, u.String())
	w.logf(0, "redirect 301 to %q", loc)
	return Result{Status: 301, Pattern: u.Path, Location: loc}
}

func (l *legacyMux) handler(w *walker, host, path string) Result {
	var pat string
	var ok bool
	if l.hosts {
		pat, ok = l.match(w, host+path)
	}
	if !ok {
		pat, ok = l.match(w, path)
	}
	if !ok {
		w.logf(0, "no pattern matches: 404 (the pre-1.22 mux has no 405)")
		return Result{Status: 404}
	}
	w.logf(0, "matched %q: 200", pat)
	return Result{Status: 200, Pattern: pat}
}

// match looks path up exactly, then scans the subtree patterns.
func (l *legacyMux) match(w *walker, path string) (string, bool) {
	w.lookups++
	if l.exact[path] {
		w.logf(0, "%q: exact pattern", path)
		return path, true
	}
	w.logf(0, "%q: no exact pattern; scan %d subtree patterns, longest first", path, len(l.prefix))
	for i, p := range l.prefix {
		w.scanned++
		if strings.HasPrefix(path, p) {
			w.logf(1, "%d. %q is a prefix: match", i+1, p)
			return p, true
		}
		if w.trace && i < 20 {
			w.logf(1, "%d. %q is not a prefix", i+1, p)
		} else if w.trace && i == 20 {
			w.logf(1, "...")
		}
	}
	return "", false
}

// redirectToPathSlash mirrors serveMux121.redirectToPathSlash and
// shouldRedirectRLocked: redirect path to path+"/" when path+"/" (or
// host+path+"/") is registered and path (or host+path) is not.
func (l *legacyMux) redirectToPathSlash(w *walker, host, path string, u *url.URL) (*url.URL, bool) {
	cands := []string{path, host + path}
	for _, c := range cands {
		w.lookups++
		if l.exact[c] {
			return u, false
		}
	}
	if len(path) == 0 {
		return u, false
	}
	for _, c := range cands {
		w.lookups++
		if l.exact[c+"/"] {
			if path[len(path)-1] == '/' {
				return u, false
			}
			w.logf(0, "%q is registered but %q is not: redirect", c+"/", c)
			return &url.URL{Path: path + "/", RawQuery: u.RawQuery}, true
		}
	}
	return u, false
}

func (l *legacyMux) dump() string {
	var b strings.Builder
	b.WriteString("exact:\n")
	for _, p := range l.order {
		b.WriteString("  " + p + "\n")
	}
	b.WriteString("prefix scan (longest first):\n")
	for _, p := range l.prefix {
		b.WriteString("  " + p + "\n")
	}
	return b.String()
}
