package experiment

// plancost.go: the cheapest configuration over several keys. The first
// -search key (the one capacity is bought with, e.g. server.replicas) is
// bisected as by Plan; every combination of the other keys' values (a grid,
// e.g. GOMAXPROCS=1:16) is a column of that search. Within a column the
// smallest passing value of the first key is the cheapest, when the cost
// grows with it; across columns the -cost expression decides. A column
// whose cost at the first key's LO cannot beat the best answer found is
// skipped: columns run in order of that lower bound, so the search stops
// early once the rest cannot win.

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// CostPlanConfig is a capacity search over several keys with a cost.
type CostPlanConfig struct {
	PlanConfig          // Key, Lo, Hi: the bisected key
	Others     []string // KEY=SPEC of the other keys (ParseAxis syntax: LO:HI, lists, steps)
	Cost       *Cost
	// Column, when set, is called when a column starts (for progress).
	Column func(settings string)
}

// Column is the search of the first key at one combination of the others.
type Column struct {
	Settings []string    // KEY=VALUE of the other keys
	Result   *PlanResult // nil when skipped
	MinCost  float64     // the cost at the first key's LO: no answer here is cheaper
	Cost     float64     // at the answer; NaN when none passes
	Skipped  bool        // MinCost could not beat the best answer already found
}

// Label returns the settings as "K=V K=V".
func (c *Column) Label() string { return strings.Join(c.Settings, " ") }

// CostPlanResult is the cheapest passing configuration and its evidence.
type CostPlanResult struct {
	Key     string
	Others  []Axis
	SLOs    []SLO
	Cost    *Cost
	Columns []*Column // in grid order
	Best    *Column   // the cheapest column whose answer passes; nil if none
	// Closest is the column with the smallest SLO excess at its best
	// value, when none passes.
	Closest  *Column
	Warnings []string
}

// Found reports whether some configuration meets every SLO.
func (r *CostPlanResult) Found() bool { return r.Best != nil }

// Answer returns the winning evaluation (nil if none).
func (r *CostPlanResult) Answer() *Evaluation {
	if r.Best == nil {
		return nil
	}
	return r.Best.Result.Answer
}

// PlanCost searches every combination of c.Others for the smallest value
// of c.Key meeting every SLO at 95% confidence, and returns the one of
// least cost. See the file comment for the assumptions (the SLO metrics are
// monotone in c.Key, and the cost does not fall as c.Key grows), and
// [CostValues] for keys set to 0 ("automatic").
func PlanCost(ctx context.Context, c *CostPlanConfig) (*CostPlanResult, error) {
	if c.Cost == nil {
		return nil, scenario.Usage(fmt.Errorf("%w: a plan over several keys needs -cost", ErrCost))
	}
	if !c.Base.Has(c.Key) {
		return nil, scenario.Usage(fmt.Errorf("-search: unknown key %q (valid keys: %s)", c.Key, strings.Join(c.Base.Keys(), ", ")))
	}
	res := &CostPlanResult{Key: c.Key, SLOs: c.SLOs, Cost: c.Cost}
	seen := map[string]bool{c.Key: true}
	for _, o := range c.Others {
		ax, err := ParseAxis(c.Base, o)
		if err != nil {
			return nil, scenario.Usage(fmt.Errorf("-search: %w", err))
		}
		if seen[ax.Key] {
			return nil, scenario.Usage(fmt.Errorf("-search: key %s given twice", ax.Key))
		}
		seen[ax.Key] = true
		res.Others = append(res.Others, ax)
	}
	for _, k := range c.Cost.Keys() {
		if !c.Base.Has(k) {
			return nil, scenario.Usage(fmt.Errorf("%w %s: unknown key %q (valid keys: %s)", ErrCost, c.Cost.Text(), k, strings.Join(c.Base.Keys(), ", ")))
		}
		if _, ok := c.Base.Numeric(k); !ok {
			return nil, scenario.Usage(fmt.Errorf("%w %s: key %q is not numeric", ErrCost, c.Cost.Text(), k))
		}
	}
	grid := Grid{Axes: res.Others}
	n := 1
	for _, ax := range res.Others {
		n *= len(ax.Values)
	}
	if n > 1000 {
		return nil, scenario.Usage(fmt.Errorf("-search: %d combinations of the other keys; at most 1000 (narrow a range or give a list)", n))
	}
	// Build the columns and their lower bounds.
	type todo struct {
		col  *Column
		base PlanConfig
	}
	var cols []todo
	for i := range n {
		vals := grid.Values(i)
		b := c.Base
		col := &Column{Cost: math.NaN()}
		for j, ax := range res.Others {
			var err error
			if b, err = b.With(ax.Key, vals[j]); err != nil {
				return nil, scenario.Usage(fmt.Errorf("-search: %w", err))
			}
			col.Settings = append(col.Settings, ax.Key+"="+vals[j])
		}
		lo, err := b.With(c.Key, c.Lo)
		if err != nil {
			return nil, scenario.Usage(fmt.Errorf("-search: %w", err))
		}
		if col.MinCost, err = c.Cost.Eval(valuesOf(lo)); err != nil {
			return nil, scenario.Usage(err)
		}
		pc := c.PlanConfig
		pc.Base = b
		res.Columns = append(res.Columns, col)
		cols = append(cols, todo{col, pc})
	}
	order := slices.Clone(cols)
	slices.SortStableFunc(order, func(a, b todo) int { return cmp.Compare(a.col.MinCost, b.col.MinCost) })
	for _, t := range order {
		if res.Best != nil && t.col.MinCost >= res.Best.Cost {
			t.col.Skipped = true
			continue
		}
		if c.Column != nil {
			c.Column(t.col.Label())
		}
		pr, err := Plan(ctx, &t.base)
		if err != nil {
			return nil, err
		}
		t.col.Result = pr
		for _, w := range pr.Warnings {
			if !slices.Contains(res.Warnings, w) {
				res.Warnings = append(res.Warnings, w)
			}
		}
		if !pr.Found || pr.Largest {
			continue
		}
		at, err := t.base.Base.With(c.Key, pr.Answer.Value)
		if err != nil {
			return nil, err
		}
		if t.col.Cost, err = c.Cost.Eval(CostValues(at, pr.Answer.Point)); err != nil {
			return nil, err
		}
		if res.Best == nil || t.col.Cost < res.Best.Cost {
			res.Best = t.col
		}
	}
	if res.Best == nil {
		best := math.Inf(1)
		for _, col := range res.Columns {
			if col.Result == nil || col.Result.Best == nil {
				continue
			}
			if x := c.PlanConfig.excess(col.Result.Best); x < best {
				best, res.Closest = x, col
			}
		}
	}
	return res, nil
}

// valuesOf reads keys' numeric values from v (durations in ns, booleans
// 0 or 1).
func valuesOf(v *scenario.Values) func(string) (float64, error) { return CostValues(v, nil) }

// CostValues reads keys' numeric values from v (durations in ns, booleans
// 0 or 1) for [Cost.Eval]. A key set to 0 often means "automatic" (host.cores
// = 0: one core per P; GOMAXPROCS = 0: the runtime's default); when p
// reports a metric named as the key in lower case with '.' as '_'
// (host_cores, gomaxprocs), its mean, the value in effect, is used
// instead. With p nil, 0 stays 0: a lower bound of the cost.
func CostValues(v *scenario.Values, p *Point) func(string) (float64, error) {
	return func(k string) (float64, error) {
		f, ok := v.Numeric(k)
		if !ok {
			return 0, fmt.Errorf("%w: key %q has no numeric value", ErrCost, k)
		}
		if f == 0 && p != nil {
			if s, ok := p.Summary(strings.ToLower(strings.ReplaceAll(k, ".", "_"))); ok {
				return s.Mean, nil
			}
		}
		return f, nil
	}
}
