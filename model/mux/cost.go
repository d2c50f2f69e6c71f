package mux

// The cost of routing. A Go 1.22+ match is a walk down the tree: a
// constant part (cleaning the path, stripping the port, the read lock,
// the Handler call) plus one child lookup per level (host, method, each
// path segment, and each backtracking try), so about O(path depth) and
// independent of the number of patterns. A pre-1.22 match is a map
// lookup or two plus, for a path that is not registered exactly, a scan
// of the subtree patterns longest first until one is a prefix: O(number
// of subtree patterns) in the worst case, which is the "linear scan" of
// the old documentation.
//
// The constants were measured on this project's build machine by the
// BenchmarkRealMux* benchmarks in cost_test.go (the real ServeMux's
// Handler, not our model) and fitted by least squares; see the comments
// on [DefaultCost]. Re-measure with
//
//	go test -run X -bench RealMux ./model/mux
//	GODEBUG=httpmuxgo121=1 go test -run X -bench RealMuxLegacy ./model/mux

import (
	"math"
	"time"
)

// CostModel converts the work of one match into CPU time. Fields are
// nanoseconds (float, since per-step costs are a few ns).
type CostModel struct {
	// NewBase is the fixed cost of a Go 1.22+ ServeMux.Handler call.
	NewBase float64
	// NewPerLookup is the cost of one child lookup in the routing tree
	// (including unescaping the segment).
	NewPerLookup float64
	// NewPerValue is the cost of recording one wildcard value.
	NewPerValue float64
	// LegacyBase is the fixed cost of a pre-1.22 Handler call.
	LegacyBase float64
	// LegacyPerLookup is one map lookup of the exact-pattern map.
	LegacyPerLookup float64
	// LegacyPerScan is one strings.HasPrefix comparison of the subtree scan.
	LegacyPerScan float64
}

// DefaultCost was calibrated with the real ServeMux.Handler (go1.26.8,
// linux/amd64, 2 vCPUs of a shared VM, so ±20% noise between runs).
// Slopes come from micro-benchmarks of one hot request; the bases are
// then set so that the mixed workload of the synthetic tables (1024
// different requests in rotation, as the routing scenario sends them)
// comes out right, because a varied request mix is slower than one hot
// request (cache misses on request and tree).
var DefaultCost = CostModel{
	// BenchmarkRealMuxSynthetic/n=10 (new): 265-305 ns/op, mean 8.9
	// lookups and 0.4 values per request, so base = 290 - 19.2·8.9 -
	// 11·0.4 ≈ 115 ns. At n=10000 the real mux takes 330-352 ns/op (maps
	// instead of slices of children, colder caches); the model says 290:
	// it underestimates big tables by about 15%.
	NewBase: 115,
	// BenchmarkRealMuxDepth: literal paths of depth 1..8 (3..10 lookups)
	// took 83, 88, 108, 145, 148, 170, 191, 213 ns/op: least squares
	// slope 19.2 ns per lookup (intercept 18 ns for a hot request).
	NewPerLookup: 19.2,
	// BenchmarkRealMuxWildDepth: all-wildcard paths of depth 1..8 took
	// 85, 139, 239, 253, 374, 426, 463, 454 ns/op (medians of 3), about
	// 11 ns per recorded value above the per-lookup cost (appending to
	// the matches slice, which allocates).
	NewPerValue: 11,
	// GODEBUG=httpmuxgo121=1 BenchmarkRealMuxLegacy/synthetic: n=10
	// 133 ns/op (3.8 lookups, 2.1 scanned), n=10000 5975 ns/op (1802
	// scanned): 3.25 ns per subtree pattern compared. /scan=N, where
	// every comparison fails on length, gives only 0.88 ns per pattern
	// (144, 274, 996, 8915 ns/op for N = 10, 100, 1000, 10000).
	LegacyPerScan: 3.25,
	// BenchmarkRealMuxLegacy/exact: 56 ns/op for 3 map lookups of a hot
	// request; the per-lookup share includes building host+path and
	// path+"/" for the redirect check. Base set from synthetic n=10:
	// 133 - 15·3.8 - 3.25·2.1 ≈ 69 ns.
	LegacyBase:      69,
	LegacyPerLookup: 15,
}

// Of prices a result: Lookups and Scanned come from the walk that
// produced it. legacy selects the pre-1.22 constants.
func (c CostModel) Of(r Result, legacy bool) time.Duration {
	if legacy {
		return ns(c.LegacyBase + c.LegacyPerLookup*float64(r.Lookups) + c.LegacyPerScan*float64(r.Scanned))
	}
	return ns(c.NewBase + c.NewPerLookup*float64(r.Lookups) + c.NewPerValue*float64(len(r.Values)))
}

// Route is the closed form for scenarios that do not build a Mux:
//
//	new:    NewBase + NewPerLookup·(depth+2)       (host, method, one per literal segment)
//	legacy: LegacyBase + LegacyPerLookup·4 + LegacyPerScan·scanned
//
// where for legacy, scanned is the number of subtree patterns compared
// before the match: pass 0 for an exactly registered path and the
// number of subtree patterns for a path that falls through to "/"
// (about half of them on average for paths spread over the table).
// patterns is ignored by the new matcher, which is the point.
func (c CostModel) Route(patterns, depth int, legacy bool) time.Duration {
	if legacy {
		return ns(c.LegacyBase + 4*c.LegacyPerLookup + c.LegacyPerScan*float64(max(patterns, 0)))
	}
	return ns(c.NewBase + c.NewPerLookup*float64(max(depth, 0)+2))
}

func ns(f float64) time.Duration { return time.Duration(math.Round(f)) }

// Cost returns the routing CPU time of one request under [DefaultCost]:
// the request is routed (without the explanation) and its work priced.
// An unparsable request costs 0.
func (m *Mux) Cost(method, target string) time.Duration {
	r, err := ParseRequest(method, target)
	if err != nil {
		return 0
	}
	return m.CostOf(DefaultCost, r)
}

// CostOf is Cost for a parsed request and a given model.
func (m *Mux) CostOf(c CostModel, r Request) time.Duration {
	w := &walker{}
	res := m.route(w, r)
	res.Lookups, res.Scanned = w.lookups, w.scanned
	return c.Of(res, m.legacy != nil)
}
