package mux

// Synthetic routing tables for the routing scenario: n patterns shaped
// like a REST service with static files and docs, never conflicting,
// and requests that hit them. Everything is a pure function of n (and
// the request index), so runs are reproducible.

import "strconv"

// Synthetic pattern kinds, cycling in this order after the catch-all "/".
// Each resource k contributes one of each, all under literals that
// contain k, so patterns of different k are disjoint:
//
//	kind  Go 1.22+ pattern                    pre-1.22 equivalent   request path
//	0     GET /api/v1/r{k}/{id}               /api/v1/r{k}/         /api/v1/r{k}/{j}
//	1     /api/v1/r{k}                        /api/v1/r{k}          /api/v1/r{k}
//	2     /static/r{k}/                       /static/r{k}/         /static/r{k}/app.js
//	3     /docs/r{k}/intro                    /docs/r{k}/intro      /docs/r{k}/intro
//	4     GET /users/u{k}/{name}/posts/{id}   /users/u{k}/          /users/u{k}/alice/posts/{j}
//	-     /  (pattern 0, the catch-all)       /                     /missing/{j}
const syntheticKinds = 5

// SyntheticPatterns returns n non-conflicting Go 1.22+ patterns: "/"
// then resources of [syntheticKinds] patterns each (literals, {x}
// wildcards, subtrees, GET-only routes). Deterministic.
func SyntheticPatterns(n int) []string { return synthetic(n, false) }

// SyntheticLegacyPatterns returns the n pre-1.22 patterns that route the
// same requests as SyntheticPatterns(n) to corresponding handlers
// (wildcard routes become subtree patterns), for the legacy matcher.
func SyntheticLegacyPatterns(n int) []string { return synthetic(n, true) }

func synthetic(n int, legacy bool) []string {
	if n <= 0 {
		return nil
	}
	out := make([]string, 0, n)
	out = append(out, "/")
	for i := 1; i < n; i++ {
		k := strconv.Itoa((i - 1) / syntheticKinds)
		switch (i - 1) % syntheticKinds {
		case 0:
			out = append(out, pick(legacy, "/api/v1/r"+k+"/", "GET /api/v1/r"+k+"/{id}"))
		case 1:
			out = append(out, "/api/v1/r"+k)
		case 2:
			out = append(out, "/static/r"+k+"/")
		case 3:
			out = append(out, "/docs/r"+k+"/intro")
		case 4:
			out = append(out, pick(legacy, "/users/u"+k+"/", "GET /users/u"+k+"/{name}/posts/{id}"))
		}
	}
	return out
}

func pick(legacy bool, old, new string) string {
	if legacy {
		return old
	}
	return new
}

// SyntheticPath returns the path of GET request number j for the
// patterns SyntheticPatterns(n): it targets pattern (j·7919) mod n, so
// consecutive requests spread over the whole table. All requests route
// with status 200 under both matchers.
func SyntheticPath(n, j int) string {
	if n <= 0 {
		return "/"
	}
	i := int((int64(j) * 7919) % int64(n))
	if i < 0 {
		i += n
	}
	id := strconv.Itoa(j)
	if i == 0 {
		return "/missing/" + id
	}
	k := strconv.Itoa((i - 1) / syntheticKinds)
	switch (i - 1) % syntheticKinds {
	case 0:
		return "/api/v1/r" + k + "/" + id
	case 1:
		return "/api/v1/r" + k
	case 2:
		return "/static/r" + k + "/app.js"
	case 3:
		return "/docs/r" + k + "/intro"
	}
	return "/users/u" + k + "/alice/posts/" + id
}

// SyntheticPaths returns the first count request paths for
// SyntheticPatterns(n) ([SyntheticPath] j = 0..count-1).
func SyntheticPaths(n, count int) []string {
	out := make([]string, count)
	for j := range out {
		out[j] = SyntheticPath(n, j)
	}
	return out
}
