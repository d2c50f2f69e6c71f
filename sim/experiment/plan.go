package experiment

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// PlanConfig describes a capacity search: the smallest value of Key in
// [Lo, Hi] at which every SLO holds at 95% confidence.
type PlanConfig struct {
	Scenario  *scenario.Scenario
	Base      *scenario.Values
	Key       string
	Lo, Hi    string // in the key's syntax
	SLOs      []SLO
	Reps      int
	Seed      uint64
	Parallel  int
	Warmup    time.Duration
	MaxEvents uint64
	// Evaluated, when set, is called after each evaluation (for progress).
	Evaluated func(e *Evaluation)
}

// Evaluation is the outcome at one value of the key.
type Evaluation struct {
	Value string  // canonical
	X     float64 // numeric (durations in ns)
	Point *Point
	Met   []bool // per SLO
	Pass  bool
	Note  string // why a point fails regardless of its SLO metrics
}

// PlanResult is the planner's answer and its evidence.
type PlanResult struct {
	Key   string
	Kind  scenario.Kind // of the key
	SLOs  []SLO
	Found bool
	// Answer is the smallest passing value; when none passes, Best is the
	// value closest to passing.
	Answer, Best *Evaluation
	// Largest is set when the SLO metrics worsen as the key grows (Lo
	// passes, Hi fails, e.g. a load rate): the answer is then the largest
	// passing value.
	Largest bool
	// Neighbour is the failing evaluation next to the answer: just below it
	// (just above when Largest); nil when the answer is Lo.
	Neighbour *Evaluation
	Evaluated []*Evaluation // sorted by X
	Warnings  []string
}

// ParseSearch parses "KEY=LO:HI".
func ParseSearch(s string) (key, lo, hi string, err error) {
	key, r, ok := strings.Cut(s, "=")
	lo, hi, ok2 := strings.Cut(r, ":")
	if !ok || !ok2 || strings.TrimSpace(key) == "" {
		return "", "", "", scenario.Usage(fmt.Errorf("-search %q: want KEY=LO:HI", s))
	}
	return strings.TrimSpace(key), strings.TrimSpace(lo), strings.TrimSpace(hi), nil
}

// Plan searches for the smallest value of c.Key meeting every SLO. It
// assumes each SLO metric is monotone in the key: it evaluates Hi and Lo; if
// Hi passes it bisects for the smallest passing value; if only Lo passes
// (raising the key hurts, as a load rate does) it bisects for the largest
// one and sets Largest. Finally it evaluates the answer's neighbour on the
// passing side and warns if that one fails (noise or a non-monotone metric;
// more -reps helps). Evaluations: 2 + log2(range) + 1.
//
// Integer keys (Int, Bytes) are searched exactly. Float and Duration keys
// are bisected to 1/256 of the range; the answer is the upper end of the
// final bracket.
//
// Every value runs the same replication seeds, scenario.Seed(seed, 0, r) (common
// random numbers): the differences between neighbouring values are then
// due to the key rather than to luck, which keeps the bisection's
// comparisons sharp with few replications.
func Plan(ctx context.Context, c *PlanConfig) (*PlanResult, error) {
	if !c.Base.Has(c.Key) {
		return nil, scenario.Usage(fmt.Errorf("-search: unknown key %q (valid keys: %s)", c.Key, strings.Join(c.Base.Keys(), ", ")))
	}
	if len(c.SLOs) == 0 {
		return nil, scenario.Usage(fmt.Errorf("give at least one -slo"))
	}
	var def scenario.Param
	for _, p := range c.Base.Defs() {
		if p.Key == c.Key {
			def = p
		}
	}
	integer := def.Kind == scenario.Int || def.Kind == scenario.Bytes
	if !integer && def.Kind != scenario.Float && def.Kind != scenario.Duration {
		return nil, scenario.Usage(fmt.Errorf("-search %s: the key is %s; the planner needs a numeric key", c.Key, def.Kind))
	}
	lo, err := parseNum(def.Kind, c.Lo)
	if err != nil {
		return nil, scenario.Usage(fmt.Errorf("-search %s LO: %w", c.Key, err))
	}
	hi, err := parseNum(def.Kind, c.Hi)
	if err != nil {
		return nil, scenario.Usage(fmt.Errorf("-search %s HI: %w", c.Key, err))
	}
	if lo > hi {
		return nil, scenario.Usage(fmt.Errorf("-search %s=%s:%s: %w (LO above HI)", c.Key, c.Lo, c.Hi, ErrEmptyRange))
	}
	for _, x := range []float64{lo, hi} {
		if _, err := c.Base.With(c.Key, formatNum(def.Kind, x)); err != nil {
			return nil, scenario.Usage(fmt.Errorf("-search: %w", err))
		}
	}
	if c.Reps < 1 {
		return nil, scenario.Usage(fmt.Errorf("-reps must be at least 1"))
	}
	res := &PlanResult{Key: c.Key, Kind: def.Kind, SLOs: c.SLOs}
	if c.Reps == 1 {
		res.Warnings = append(res.Warnings, "with -reps 1 there is no confidence interval: each value is judged on a single replication")
	}
	cache := map[string]*Evaluation{}
	eval := func(x float64) (*Evaluation, error) {
		v := formatNum(def.Kind, x)
		if e, ok := cache[v]; ok {
			return e, nil
		}
		ax, err := ParseAxis(c.Base, c.Key+"="+v)
		if err != nil {
			return nil, err
		}
		sc := &Config{Scenario: c.Scenario, Base: c.Base, Grid: Grid{Axes: []Axis{ax}}, Reps: c.Reps, Seed: c.Seed,
			Parallel: c.Parallel, Warmup: c.Warmup, MaxEvents: c.MaxEvents}
		if err := sc.Check(); err != nil {
			return nil, err
		}
		r, err := Run(ctx, sc)
		if err != nil {
			return nil, err
		}
		if len(r.Points) == 0 {
			return nil, ctx.Err()
		}
		p := r.Points[0]
		e := &Evaluation{Value: ax.Values[0], X: ax.Numbers[0], Point: p, Pass: true}
		for _, o := range c.SLOs {
			s, ok := p.Summary(o.Metric)
			if !ok {
				return nil, scenario.Usage(fmt.Errorf("-slo %s: %w %q (metrics of %s: %s)", o.Text, ErrUnknownMetric, o.Metric, c.Scenario.Name, strings.Join(MetricNames(r.Points), ", ")))
			}
			met := o.Met(s)
			e.Met = append(e.Met, met)
			e.Pass = e.Pass && met
		}
		if name, zero := nothingCompleted(p); zero {
			// An overloaded model may finish no request after its warm-up
			// and then report zero latencies: that is no evidence of
			// meeting an SLO.
			e.Pass, e.Note = false, name+" is 0: nothing finished"
			for i := range e.Met {
				e.Met[i] = false
			}
		}
		cache[v] = e
		res.Evaluated = append(res.Evaluated, e)
		if c.Evaluated != nil {
			c.Evaluated(e)
		}
		return e, nil
	}
	step, quantum := 1.0, 1.0
	if !integer {
		// Bisect to 1/256 of the range, on round numbers: midpoints are
		// multiples of the power of ten at or below the step, so answers
		// read 3450 rather than 3449.21875.
		step = (hi - lo) / 256
		quantum = math.Pow(10, math.Floor(math.Log10(step)))
		if step == 0 {
			quantum = 0
		}
	}
	done := func() *PlanResult {
		slices.SortFunc(res.Evaluated, func(a, b *Evaluation) int { return cmp.Compare(a.X, b.X) })
		return res
	}
	top, err := eval(hi)
	if err != nil {
		return nil, err
	}
	bot, err := eval(lo)
	if err != nil {
		return nil, err
	}
	// bisect narrows [a, b] where pass(a) != pass(b) down to one step.
	bisect := func(a, b float64, passAtB bool) (float64, float64, error) {
		for b-a > step*1.0000001 {
			m := mid(a, b, quantum)
			e, err := eval(m)
			if err != nil {
				return 0, 0, err
			}
			if e.Pass == passAtB {
				b = m
			} else {
				a = m
			}
		}
		return a, b, nil
	}
	var answer, neighbour, check float64
	switch {
	case top.Pass && bot.Pass:
		answer, check = lo, lo+step
	case top.Pass: // smallest passing value
		a, b, err := bisect(lo, hi, true)
		if err != nil {
			return nil, err
		}
		answer, neighbour, check = b, a, b+step
	case bot.Pass: // the SLO metric worsens as the key grows: largest passing value
		a, b, err := bisect(lo, hi, false)
		if err != nil {
			return nil, err
		}
		answer, neighbour, check = a, b, a-step
		res.Largest = true
	default:
		if lo < hi {
			if _, err := eval(mid(lo, hi, quantum)); err != nil {
				return nil, err
			}
		}
		res.Best = top
		for _, e := range res.Evaluated {
			if c.excess(e) < c.excess(res.Best) {
				res.Best = e
			}
		}
		return done(), nil
	}
	res.Found = true
	res.Answer = cache[formatNum(def.Kind, answer)]
	if answer != lo || res.Largest {
		res.Neighbour = cache[formatNum(def.Kind, neighbour)]
	}
	// Neighbour check on the passing side: it must pass too.
	if quantum > 0 {
		check = math.Round(check/quantum) * quantum
	}
	if check >= lo && check <= hi && check != answer {
		e, err := eval(check)
		if err != nil {
			return nil, err
		}
		if !e.Pass {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s=%s passes but its neighbour %s=%s fails: the metric is noisy or not monotone here; raise -reps", c.Key, res.Answer.Value, c.Key, e.Value))
		}
	}
	return done(), nil
}

// nothingCompleted reports whether p has a completion counter ("completed"
// or "*_completed") whose mean is 0.
func nothingCompleted(p *Point) (string, bool) {
	for _, s := range p.Summaries {
		if (s.Name == "completed" || strings.HasSuffix(s.Name, "_completed")) && !strings.HasPrefix(s.Name, steadyPrefix) && s.Mean == 0 {
			return s.Name, true
		}
	}
	return "", false
}

// mid returns the midpoint of [a, b] rounded down to a multiple of quantum
// (none if 0). The callers keep b-a > quantum, so a < mid < b.
func mid(a, b, quantum float64) float64 {
	m := a + (b-a)/2
	if quantum > 0 {
		m = math.Floor(m/quantum) * quantum
		if m <= a {
			m += quantum
		}
	}
	return m
}

func (c *PlanConfig) excess(e *Evaluation) float64 {
	worst := 0.0
	for _, o := range c.SLOs {
		s, _ := e.Point.Summary(o.Metric)
		worst = math.Max(worst, o.Excess(s))
	}
	return worst
}
