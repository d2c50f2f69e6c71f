package validate

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// RuleKind is how a metric's real runs and simulated replications are
// compared.
type RuleKind string

const (
	// Exact is for deterministic metrics (frame counts, routing outcomes,
	// printed orders): every real run and every simulated replication must
	// give the same value. A model that differs passes with probability 0;
	// a real side that varies makes the row disagree (the metric is not
	// deterministic, and the case must say so with another rule).
	Exact RuleKind = "exact"
	// Mode is for discrete metrics whose real value varies from run to run
	// for a stated reason (the P's schedtick left by this process's
	// history, say): every simulated replication must give the same value,
	// and that value must be the one a strict majority of the K real runs
	// gave. A wrong value passes only when it is the majority real outcome.
	Mode RuleKind = "mode"
	// Equiv is for continuous, noisy metrics: a two one-sided tests (TOST)
	// equivalence test at α = 0.05 with a practical margin δ stated per
	// metric. The 90% Welch confidence interval of (simulated mean − real
	// mean), from the K real runs' and R replications' spreads, must lie
	// inside [−δ, +δ]. A model whose true mean is off by δ or more passes
	// with probability at most 5%; a real spread so wide that no model
	// could pass (t·SE ≥ δ) makes the row "inconclusive", not "agree".
	Equiv RuleKind = "equiv"
)

// Rule is the agreement rule of one metric.
type Rule struct {
	Kind RuleKind
	// Margin is Equiv's practical margin δ: in the metric's unit, or a
	// fraction of the real mean when Rel is set.
	Margin float64
	Rel    bool
}

// ExactRule, ModeRule and the Equiv constructors name the rules of the
// case tables.
var (
	ExactRule = Rule{Kind: Exact}
	ModeRule  = Rule{Kind: Mode}
)

// EquivAbs is an equivalence rule with an absolute margin.
func EquivAbs(delta float64) Rule { return Rule{Kind: Equiv, Margin: delta} }

// EquivRel is an equivalence rule with a margin relative to the real mean.
func EquivRel(frac float64) Rule { return Rule{Kind: Equiv, Margin: frac, Rel: true} }

// String is the rule as the table shows it: "exact", "mode", "±5%",
// "±0.5".
func (r Rule) String() string {
	switch r.Kind {
	case Equiv:
		if r.Rel {
			return fmt.Sprintf("±%g%%", r.Margin*100)
		}
		return fmt.Sprintf("±%g", r.Margin)
	case "":
		return string(Exact)
	}
	return string(r.Kind)
}

// tostAlpha is the size of each one-sided test of Equiv.
const tostAlpha = 0.05

// verdict is the outcome of one rule on one metric.
type verdict struct {
	agree       bool
	status      string     // "agree", "disagree", "inconclusive"
	delta       float64    // Equiv: the margin in the metric's unit
	diffCI      [2]float64 // Equiv: the 90% CI of sim − real
	passIfOff   float64    // Equiv: P(pass) for a model whose true mean is off by δ
	passIfRight float64    // Equiv: P(pass) for a model whose true mean is right
	reason      string     // why a row disagrees, for the detail line
}

// judge applies r to the real runs and simulated replications of one metric.
func judge(r Rule, real, simv []float64) verdict {
	const eps = 1e-9
	switch r.Kind {
	case Mode:
		v, n := mode(real)
		for _, s := range simv {
			if math.Abs(s-simv[0]) > eps {
				return verdict{status: "disagree", reason: "the simulated replications differ"}
			}
		}
		if 2*n <= len(real) {
			return verdict{status: "disagree", reason: fmt.Sprintf("no real value in a majority of %d runs", len(real))}
		}
		if math.Abs(simv[0]-v) > eps {
			return verdict{status: "disagree", reason: fmt.Sprintf("real mode %s (%d of %d runs)", num(v), n, len(real))}
		}
		return verdict{agree: true, status: "agree"}
	case Equiv:
		return tost(r, real, simv)
	default: // Exact
		want := real[0]
		for _, x := range append(slices.Clone(real), simv...) {
			if math.IsNaN(x) || math.Abs(x-want) > eps {
				return verdict{status: "disagree"}
			}
		}
		return verdict{agree: true, status: "agree"}
	}
}

// mode returns the most frequent value of xs and its count (the smallest
// such value on a tie).
func mode(xs []float64) (float64, int) {
	s := slices.Clone(xs)
	slices.Sort(s)
	best, bn := s[0], 0
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		if j-i > bn {
			best, bn = s[i], j-i
		}
		i = j
	}
	return best, bn
}

// tost is Schuirmann's two one-sided tests with Welch's standard error and
// Welch–Satterthwaite degrees of freedom: agree when the 1−2α confidence
// interval of (mean(sim) − mean(real)) lies inside [−δ, δ].
func tost(r Rule, real, simv []float64) verdict {
	mx, my := stat.Mean(real, nil), stat.Mean(simv, nil)
	delta := r.Margin
	if r.Rel {
		delta = r.Margin * math.Abs(mx)
	}
	vx, vy := 0.0, 0.0
	if len(real) > 1 {
		vx = stat.Variance(real, nil) / float64(len(real))
	}
	if len(simv) > 1 {
		vy = stat.Variance(simv, nil) / float64(len(simv))
	}
	d := my - mx
	se := math.Sqrt(vx + vy)
	v := verdict{delta: delta}
	if se == 0 || math.IsNaN(se) {
		v.diffCI = [2]float64{d, d}
		v.agree = math.Abs(d) <= delta+1e-9
		v.passIfRight, v.passIfOff = 1, 0
		if v.agree {
			v.status = "agree"
		} else {
			v.status = "disagree"
		}
		return v
	}
	// Welch–Satterthwaite; a side with one value or no spread adds nothing.
	den := 0.0
	if len(real) > 1 {
		den += vx * vx / float64(len(real)-1)
	}
	if len(simv) > 1 {
		den += vy * vy / float64(len(simv)-1)
	}
	df := (vx + vy) * (vx + vy) / den
	tdist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	t := tdist.Quantile(1 - tostAlpha)
	v.diffCI = [2]float64{d - t*se, d + t*se}
	// The estimate d̂ is distributed as Δ + se·T(df) for a true difference
	// Δ; it passes when |d̂| ≤ δ − t·se.
	pass := func(trueDiff float64) float64 {
		h := delta - t*se
		if h <= 0 {
			return 0
		}
		return max(0, tdist.CDF((h-trueDiff)/se)-tdist.CDF((-h-trueDiff)/se))
	}
	v.passIfOff, v.passIfRight = pass(delta), pass(0)
	switch {
	case v.diffCI[0] >= -delta && v.diffCI[1] <= delta:
		v.agree, v.status = true, "agree"
	case t*se >= delta:
		v.status = "inconclusive"
		v.reason = fmt.Sprintf("the real spread is too wide for the margin ±%s (t·SE = %s)", num(delta), num(t*se))
	default:
		v.status = "disagree"
	}
	return v
}
