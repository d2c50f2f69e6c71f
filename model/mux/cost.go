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
	// LegacyBase is the fixed cost of a pre-1.22 Handler call.
	LegacyBase float64
	// LegacyPerLookup is one map lookup of the exact-pattern map.
	LegacyPerLookup float64
	// LegacyPerScan is one strings.HasPrefix comparison of the subtree scan.
	LegacyPerScan float64
}

// DefaultCost was calibrated with the real ServeMux (go1.26.8,
// linux/amd64, 2 vCPUs; see the benchmark figures in each comment).
var DefaultCost = CostModel{
	// BenchmarkRealMuxDepth: literal paths of depth 1..8 cost
	// 94, 103, 113, 122, 131, 141, 150, 160 ns/op, i.e. lookups 3..10
	// fit 66.5 ns + 9.4 ns per lookup.
	NewBase:      66.5,
	NewPerLookup: 9.4,
	// BenchmarkRealMuxLegacy (GODEBUG=httpmuxgo121=1): an exact path
	// costs 58 ns/op; a path falling through to "/" after scanning
	// 10, 100, 1000, 10000 subtree patterns costs 96, 352, 3120, 31400
	// ns/op: 3.1 ns per pattern scanned.
	LegacyBase:      40,
	LegacyPerLookup: 6,
	LegacyPerScan:   3.1,
}

// Of prices a result: Lookups and Scanned come from the walk that
// produced it. legacy selects the pre-1.22 constants.
func (c CostModel) Of(r Result, legacy bool) time.Duration {
	if legacy {
		return ns(c.LegacyBase + c.LegacyPerLookup*float64(r.Lookups) + c.LegacyPerScan*float64(r.Scanned))
	}
	return ns(c.NewBase + c.NewPerLookup*float64(r.Lookups))
}

// Route is the closed form for scenarios that do not build a Mux:
//
//	new:    NewBase + NewPerLookup·(depth+3)       (host, method, any-method, one per segment)
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
	return ns(c.NewBase + c.NewPerLookup*float64(max(depth, 0)+3))
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
