package validate

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// RuleKind is how a metric's real runs and simulated replications are
// compared.
type RuleKind string

const (
	// Exact is for deterministic metrics (frame counts, routing outcomes,
	// printed orders): every real run and every simulated replication must
	// give the same value (in a paired case, each replication the value of
	// the real run fed the same input). A model that differs passes with probability 0;
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
	// with probability at most 5%. A row whose interval lies wholly beyond
	// the margin disagrees; one whose spread is so wide that no model could
	// pass (t·SE ≥ δ) and whose interval straddles the margin is
	// "inconclusive", never "agree".
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
// For a paired case (replication i fed the same input as real run i), Exact
// compares each pair.
func judge(r Rule, real, simv []float64, paired bool) verdict {
	const eps = 1e-9
	switch {
	case paired && (r.Kind == Exact || r.Kind == ""):
		if len(real) != len(simv) {
			return verdict{status: "disagree", reason: "unpaired runs"}
		}
		for i := range real {
			if math.IsNaN(real[i]) || math.Abs(real[i]-simv[i]) > eps {
				return verdict{status: "disagree", reason: fmt.Sprintf("pair %d: real %s, sim %s", i, num(real[i]), num(simv[i]))}
			}
		}
		return verdict{agree: true, status: "agree"}
	}
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

// tost applies stats.TOST at α = tostAlpha: agree when the 90% CI of
// (mean(sim) − mean(real)) lies inside [−δ, δ].
func tost(r Rule, real, simv []float64) verdict {
	delta := r.Margin
	if r.Rel {
		delta = r.Margin * math.Abs(stat.Mean(real, nil))
	}
	e := stats.TOST(real, simv, delta, tostAlpha)
	v := verdict{delta: delta, diffCI: [2]float64{e.Lo, e.Hi}, passIfOff: e.PassIfOff, passIfRight: e.PassIfRight}
	switch {
	case e.Equivalent:
		v.agree, v.status = true, "agree"
	case !e.Conclusive():
		v.status = "inconclusive"
		v.reason = fmt.Sprintf("the real spread is too wide for the margin ±%s (90%% CI of sim − real: [%s, %s])", num(delta), num(e.Lo), num(e.Hi))
	default:
		v.status = "disagree"
	}
	return v
}
