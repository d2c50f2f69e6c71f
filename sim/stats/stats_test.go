package stats

import (
	"math"
	"slices"
	"testing"

	"github.com/gohttpsim/gohttpsim/sim"
)

// The histogram's quantiles stay within 1% of the exact ones.
func TestHistogramRelativeError(t *testing.T) {
	r := sim.NewStream(3, "hist")
	var h Histogram
	xs := make([]int64, 200000)
	for i := range xs {
		v := int64(math.Exp(r.NormFloat64()*2 + 12)) // lognormal, ~160µs median, wide tail
		xs[i] = v
		h.Record(v)
	}
	slices.Sort(xs)
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		rank := int(math.Ceil(q*float64(len(xs)))) - 1
		exact := float64(xs[rank])
		got := h.Quantile(q)
		if rel := math.Abs(got-exact) / exact; rel > 0.01 {
			t.Errorf("q%.3f: got %.0f exact %.0f rel err %.4f", q, got, exact, rel)
		}
	}
	if h.Quantile(1) != float64(xs[len(xs)-1]) || h.Max() != xs[len(xs)-1] {
		t.Errorf("max: %v vs %v", h.Quantile(1), xs[len(xs)-1])
	}
	var sum float64
	for _, v := range xs {
		sum += float64(v)
	}
	if math.Abs(h.Mean()-sum/float64(len(xs))) > 1e-6*h.Mean() {
		t.Errorf("mean %v exact %v", h.Mean(), sum/float64(len(xs)))
	}
}

func TestHistogramSmallAndEdge(t *testing.T) {
	var h Histogram
	if h.Quantile(0.5) != 0 || h.Mean() != 0 {
		t.Fatal("empty histogram must report 0")
	}
	for _, v := range []int64{1, 2, 3, 4, 100} {
		h.Record(v)
	}
	if h.Quantile(0.5) != 3 {
		t.Fatalf("p50 of 1,2,3,4,100 = %v, want 3 (small values are exact)", h.Quantile(0.5))
	}
	h.Record(-5)
	if h.Min() != 0 {
		t.Fatal("negative values count as 0")
	}
	h.Record(math.MaxInt64)
	if h.Quantile(1) != float64(math.MaxInt64) {
		t.Fatal("max int64 must be representable")
	}
	var o Histogram
	o.Record(7)
	h.Merge(&o)
	if h.Count() != 8 {
		t.Fatalf("merged count %d", h.Count())
	}
	for i := 0; i < histBuckets; i++ {
		lo, hi := histBounds(i)
		if hi < 1<<52 && (histIndex(int64(lo)) != i || histIndex(int64(hi-1)) != i) {
			t.Fatalf("bucket %d bounds [%v,%v) do not round-trip", i, lo, hi)
		}
	}
}

func TestTimeWeighted(t *testing.T) {
	var tw TimeWeighted
	tw.Set(0, 2)
	tw.Set(10, 4)
	tw.Add(30, -4)
	// 2 for 10, 4 for 20, 0 for 10: area 100 over 40.
	if m := tw.Mean(40); m != 2.5 {
		t.Fatalf("mean %v, want 2.5", m)
	}
	if tw.Peak() != 4 {
		t.Fatalf("peak %v", tw.Peak())
	}
	tw.Restart(40)
	tw.Set(50, 1)
	if m := tw.Mean(60); m != 0.5 {
		t.Fatalf("after restart mean %v, want 0.5", m)
	}
}

func TestSummarize(t *testing.T) {
	s := Summarize([]float64{1, 2, 3, 4, 5})
	// mean 3, sd sqrt(2.5), t(4, .975) = 2.776445
	half := 2.776445105 * math.Sqrt(2.5) / math.Sqrt(5)
	if s.Mean != 3 || math.Abs(s.Lo-(3-half)) > 1e-6 || math.Abs(s.Hi-(3+half)) > 1e-6 {
		t.Fatalf("got %+v, want 3 ± %v", s, half)
	}
	one := Summarize([]float64{7})
	if one.Lo != 7 || one.Hi != 7 {
		t.Fatalf("single: %+v", one)
	}
	if z := Summarize(nil); z.N != 0 {
		t.Fatal("empty")
	}
}

func BenchmarkHistogramRecord(b *testing.B) {
	var h Histogram
	v := int64(12345)
	b.ReportAllocs()
	h.Record(1)
	for b.Loop() {
		v = v*6364136223846793005 + 1442695040888963407
		h.Record(v >> 40)
	}
}
