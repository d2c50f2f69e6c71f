package mux

// Benchmarks of the real ServeMux that calibrate [DefaultCost], and
// tests of the cost model and the synthetic tables.

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func realMuxWith(tb testing.TB, pats []string) *http.ServeMux {
	mux := http.NewServeMux()
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for _, p := range pats {
		mux.Handle(p, h)
	}
	return mux
}

// depthPatterns registers "/l1", "/l1/l2", ... "/l1/.../l8".
func depthPatterns() []string {
	var out []string
	p := ""
	for d := 1; d <= 8; d++ {
		p += "/l" + strconv.Itoa(d)
		out = append(out, p)
	}
	return out
}

// BenchmarkRealMuxDepth: ServeMux.Handler on literal paths of depth d.
func BenchmarkRealMuxDepth(b *testing.B) {
	legacySkip(b, false)
	pats := depthPatterns()
	mux := realMuxWith(b, pats)
	for d := 1; d <= 8; d++ {
		r := httptest.NewRequest("GET", pats[d-1], nil)
		b.Run("d="+strconv.Itoa(d), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				mux.Handler(r)
			}
		})
	}
}

// BenchmarkRealMuxWildDepth: ServeMux.Handler on paths of depth d that
// match "/{w1}/.../{wd}" (each segment a wildcard, so each records a value).
func BenchmarkRealMuxWildDepth(b *testing.B) {
	legacySkip(b, false)
	pats, paths := wildDepth()
	mux := realMuxWith(b, pats)
	for d := 1; d <= 8; d++ {
		r := httptest.NewRequest("GET", paths[d-1], nil)
		b.Run("d="+strconv.Itoa(d), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				mux.Handler(r)
			}
		})
	}
}

func wildDepth() (pats, paths []string) {
	p, q := "", ""
	for d := 1; d <= 8; d++ {
		p += "/{w" + strconv.Itoa(d) + "}"
		q += "/v" + strconv.Itoa(d)
		pats, paths = append(pats, p), append(paths, q)
	}
	return pats, paths
}

// BenchmarkRealMuxLegacy runs only under GODEBUG=httpmuxgo121=1 (read
// by net/http at process start): the subtree scan.
func BenchmarkRealMuxLegacy(b *testing.B) {
	legacySkip(b, true)
	for _, n := range []int{10, 100, 1000, 10000} {
		var pats []string
		for i := range n {
			pats = append(pats, "/p"+strconv.Itoa(i)+"/")
		}
		pats = append(pats, "/", "/exact")
		mux := realMuxWith(b, pats)
		miss := httptest.NewRequest("GET", "/zzz", nil)
		b.Run("scan="+strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				mux.Handler(miss)
			}
		})
	}
	mux := realMuxWith(b, []string{"/", "/exact"})
	exact := httptest.NewRequest("GET", "/exact", nil)
	b.Run("exact", func(b *testing.B) {
		for b.Loop() {
			mux.Handler(exact)
		}
	})
	b.Run("synthetic", func(b *testing.B) { benchSynthetic(b, SyntheticLegacyPatterns) })
}

// BenchmarkRealMuxSynthetic: the synthetic table at 10 and 10,000
// patterns, requests spread over it. The new matcher should be flat.
func BenchmarkRealMuxSynthetic(b *testing.B) {
	legacySkip(b, false)
	benchSynthetic(b, SyntheticPatterns)
}

func benchSynthetic(b *testing.B, table func(int) []string) {
	for _, n := range []int{10, 10000} {
		mux := realMuxWith(b, table(n))
		var reqs []*http.Request
		for _, p := range SyntheticPaths(n, 1024) {
			reqs = append(reqs, httptest.NewRequest("GET", p, nil))
		}
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			i := 0
			for b.Loop() {
				mux.Handler(reqs[i&1023])
				i++
			}
		})
	}
}

func legacySkip(b *testing.B, wantLegacy bool) {
	legacy := strings.Contains(os.Getenv("GODEBUG"), "httpmuxgo121=1")
	if legacy != wantLegacy {
		b.Skip("run with GODEBUG=httpmuxgo121=1 set for the legacy benchmarks, unset for the others")
	}
}

// BenchmarkModelRoute: our model's own speed (not a calibration).
func BenchmarkModelRoute(b *testing.B) {
	m := New()
	for _, p := range SyntheticPatterns(10000) {
		if err := m.Handle(p); err != nil {
			b.Fatal(err)
		}
	}
	r, _ := ParseRequest("GET", "/users/u7/alice/posts/3")
	b.ReportAllocs()
	for b.Loop() {
		m.CostOf(DefaultCost, r)
	}
}

func TestSyntheticTables(t *testing.T) {
	for _, n := range []int{1, 2, 10, 11, 10000} {
		for _, legacy := range []bool{false, true} {
			m, table := New(), SyntheticPatterns(n)
			if legacy {
				m, table = NewLegacy(), SyntheticLegacyPatterns(n)
			}
			if len(table) != n {
				t.Fatalf("n=%d legacy=%v: %d patterns", n, legacy, len(table))
			}
			for _, p := range table {
				if err := m.Handle(p); err != nil {
					t.Fatalf("n=%d legacy=%v: %v", n, legacy, err)
				}
			}
			seen := map[string]bool{}
			for _, p := range SyntheticPaths(n, 3*n+5) {
				r, err := ParseRequest("GET", p)
				res := m.route(&walker{}, r) // untraced: the candidate list is O(patterns)
				if err != nil || res.Status != 200 {
					t.Fatalf("n=%d legacy=%v: GET %s: %v %+v", n, legacy, p, err, res)
				}
				seen[res.Pattern] = true
			}
			if len(seen) != n {
				t.Errorf("n=%d legacy=%v: requests hit %d of %d patterns", n, legacy, len(seen), n)
			}
		}
	}
}

func TestCostShape(t *testing.T) {
	small, big := New(), New()
	lsmall, lbig := NewLegacy(), NewLegacy()
	for _, p := range SyntheticPatterns(10) {
		small.Handle(p)
	}
	for _, p := range SyntheticPatterns(10000) {
		big.Handle(p)
	}
	for _, p := range SyntheticLegacyPatterns(10) {
		lsmall.Handle(p)
	}
	for _, p := range SyntheticLegacyPatterns(10000) {
		lbig.Handle(p)
	}
	mean := func(m *Mux, n int) time.Duration {
		var sum time.Duration
		for _, p := range SyntheticPaths(n, 1000) {
			sum += m.Cost("GET", p)
		}
		return sum / 1000
	}
	ns, nb, ls, lb := mean(small, 10), mean(big, 10000), mean(lsmall, 10), mean(lbig, 10000)
	t.Logf("mean routing cost: new 10=%v 10000=%v; legacy 10=%v 10000=%v", ns, nb, ls, lb)
	if nb > 2*ns {
		t.Errorf("new matcher should be about flat in pattern count: %v vs %v", ns, nb)
	}
	if lb < 20*ls {
		t.Errorf("legacy matcher should grow with the subtree patterns: %v vs %v", ls, lb)
	}
	if d1, d8 := DefaultCost.Route(10, 1, false), DefaultCost.Route(10, 8, false); d8 <= d1 {
		t.Errorf("Route should grow with depth: %v %v", d1, d8)
	}
}
