// Package mux is gohttpsim's model of net/http.ServeMux routing: the Go
// 1.22+ pattern matcher (methods, hosts, wildcards, precedence, conflicts,
// 405s and redirects) and, for comparison, the pre-1.22 matcher that
// GODEBUG=httpmuxgo121=1 restores. It is our own implementation, written
// so that it can explain itself, and it is tested differentially against
// the real ServeMux of the Go it is built with (go1.26).
//
// # Patterns
//
// [ParsePattern] reads "[METHOD ][HOST]/[PATH]" with {name}, {name...},
// {$} and trailing-slash segments and rejects invalid patterns with the
// same messages as net/http. [Mux.Handle] registers a pattern, refusing
// one that conflicts with an earlier one with the error text that
// ServeMux.Handle panics with (minus the caller location, which we do not
// have; we print the location the caller gives, see [Mux.HandleAt]).
//
// # Matching
//
// [Mux.Route] routes a [Request] through a routing tree whose levels are
// host, method and path segments (see tree.go). At each segment the
// literal child is tried first, then the single wildcard, then the multi
// wildcard, backtracking on failure; this order is what makes the more
// specific pattern win, because conflicting patterns were refused at
// registration. The [Result] carries the status (200, 301/307 redirects,
// 404, 405 with Allow, 400 for "*"), the matched pattern, the path values
// in pattern order, the redirect Location, the nodes visited and an
// explanation: the walk, and every other registered pattern that also
// matched and why it lost.
//
// # Legacy mode
//
// [NewLegacy] returns a Mux with the pre-1.22 semantics (servemux121.go):
// patterns are literal strings, exact paths are found in a map and
// subtree patterns (ending in "/") by a scan of all of them, longest
// first. Redirects are 301 there, 307 in the new matcher since go1.26
// (golang/go#77741).
//
// # Cost
//
// [CostModel] turns the work a match does (tree nodes visited, or prefix
// patterns scanned) into CPU time, with constants calibrated by the
// BenchmarkRealMux benchmarks of the real ServeMux; [Mux.Cost] prices one
// request. [SyntheticPatterns] and [SyntheticPaths] build a realistic
// routing table of any size and requests for it.
//
// # Views
//
// [Mux.Tree] is a read-only dump of the routing tree (parent indices,
// kinds, labels) for drawing; [Result.Visited] names the nodes of a walk.
package mux
