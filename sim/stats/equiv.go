package stats

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Equivalence is the outcome of [TOST].
type Equivalence struct {
	Diff   float64 // mean(b) − mean(a)
	SE     float64 // Welch's standard error of Diff
	DF     float64 // Welch–Satterthwaite degrees of freedom (+Inf when SE is 0)
	Lo, Hi float64 // the 1−2α confidence interval of Diff
	Delta  float64 // the margin
	// Equivalent: [Lo, Hi] lies inside [−Delta, Delta] (both one-sided
	// tests reject a difference of Delta or more at level α).
	Equivalent bool
	// Beyond: [Lo, Hi] lies wholly outside [−Delta, Delta].
	Beyond bool
	// PassIfOff and PassIfRight are the probabilities that the test finds
	// equivalence when the true difference is Delta, or 0, given the
	// observed standard error (Diff distributed as true + SE·T(DF)). The
	// first is at most α by construction; it is 0 when the spread is so
	// wide that no difference could pass (t·SE ≥ Delta).
	PassIfOff, PassIfRight float64
}

// TOST is Schuirmann's two one-sided tests of equivalence of the means of a
// and b within ±delta at level alpha (each side), with Welch's standard
// error, so the samples may have different sizes and spreads; a sample of
// one value, or with no spread, adds no variance.
func TOST(a, b []float64, delta, alpha float64) Equivalence {
	ma, mb := stat.Mean(a, nil), stat.Mean(b, nil)
	va, vb := 0.0, 0.0
	if len(a) > 1 {
		va = stat.Variance(a, nil) / float64(len(a))
	}
	if len(b) > 1 {
		vb = stat.Variance(b, nil) / float64(len(b))
	}
	e := Equivalence{Diff: mb - ma, SE: math.Sqrt(va + vb), Delta: delta}
	if e.SE == 0 || math.IsNaN(e.SE) {
		e.SE, e.DF = 0, math.Inf(1)
		e.Lo, e.Hi = e.Diff, e.Diff
		e.Equivalent = math.Abs(e.Diff) <= delta*(1+1e-12)+1e-12
		e.Beyond = !e.Equivalent
		if e.Equivalent {
			e.PassIfRight = 1
		}
		return e
	}
	den := 0.0
	if len(a) > 1 {
		den += va * va / float64(len(a)-1)
	}
	if len(b) > 1 {
		den += vb * vb / float64(len(b)-1)
	}
	e.DF = (va + vb) * (va + vb) / den
	td := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: e.DF}
	t := td.Quantile(1 - alpha)
	e.Lo, e.Hi = e.Diff-t*e.SE, e.Diff+t*e.SE
	e.Equivalent = e.Lo >= -delta && e.Hi <= delta
	e.Beyond = e.Lo > delta || e.Hi < -delta
	pass := func(trueDiff float64) float64 {
		h := delta - t*e.SE
		if h <= 0 {
			return 0
		}
		return max(0, td.CDF((h-trueDiff)/e.SE)-td.CDF((-h-trueDiff)/e.SE))
	}
	e.PassIfOff, e.PassIfRight = pass(delta), pass(0)
	return e
}

// Conclusive reports whether the data could have shown equivalence at all:
// false when the interval's half-width reaches the margin.
func (e Equivalence) Conclusive() bool { return e.Equivalent || e.Beyond || e.Hi-e.Lo < 2*e.Delta }
