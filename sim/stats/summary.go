package stats

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Summary describes one metric across independent replications.
type Summary struct {
	N      int
	Mean   float64
	StdDev float64
	// Lo and Hi bound the Student-t 95% confidence interval of the mean.
	// With one replication (or zero spread) they equal Mean.
	Lo, Hi float64
}

// Summarize returns the mean, sample standard deviation and Student-t 95%
// confidence interval of xs, computed with gonum/stat and distuv.StudentsT.
func Summarize(xs []float64) Summary {
	s := Summary{N: len(xs)}
	if len(xs) == 0 {
		return s
	}
	s.Mean = stat.Mean(xs, nil)
	s.Lo, s.Hi = s.Mean, s.Mean
	if len(xs) < 2 {
		return s
	}
	s.StdDev = stat.StdDev(xs, nil)
	if s.StdDev == 0 || math.IsNaN(s.StdDev) {
		s.StdDev = 0
		return s
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 1)}.Quantile(0.975)
	half := t * s.StdDev / math.Sqrt(float64(len(xs)))
	s.Lo, s.Hi = s.Mean-half, s.Mean+half
	return s
}
