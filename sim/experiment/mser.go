package experiment

import "math"

// MSER5 returns the number of leading observations of xs to discard as
// warm-up by the MSER-5 rule (White 1997; Franklin and White 2008): average
// xs in consecutive batches of 5, then choose the batch count d minimising
// the marginal standard error
//
//	MSER(d) = Σ_{j>d} (Y_j − Ȳ_d)² / (n − d)²
//
// over d in [0, n/2]. ok is false when the minimum sits at the n/2 limit,
// the rule's sign that the run is too short to show a steady state.
// Incomplete trailing batches are ignored. O(len(xs)).
func MSER5(xs []float64) (drop int, ok bool) {
	const b = 5
	n := len(xs) / b
	if n < 4 {
		return 0, n > 0
	}
	y := make([]float64, n)
	for j := range y {
		s := 0.0
		for _, x := range xs[j*b : j*b+b] {
			s += x
		}
		y[j] = s / b
	}
	// Suffix sums of y and y² give each MSER(d) in O(1).
	var s1, s2 float64
	suf1 := make([]float64, n+1)
	suf2 := make([]float64, n+1)
	for j := n - 1; j >= 0; j-- {
		s1 += y[j]
		s2 += y[j] * y[j]
		suf1[j], suf2[j] = s1, s2
	}
	best, bestD := math.Inf(1), 0
	for d := 0; d <= n/2; d++ {
		m := float64(n - d)
		mean := suf1[d] / m
		ss := suf2[d] - m*mean*mean
		if ss < 0 {
			ss = 0 // rounding
		}
		if v := ss / (m * m); d == 0 || v < best-1e-15*math.Abs(best) {
			best, bestD = v, d
		}
	}
	return bestD * b, bestD < n/2
}
