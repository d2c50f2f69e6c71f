package validate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// ErrModelNotAvailable is returned by a case's simulated side when the model
// it needs is not part of this build (yet).
var ErrModelNotAvailable = errors.New("model not available")

// Case is one real-versus-simulated comparison.
type Case struct {
	Name    string   // "pool/default", "sched/spawn5", ...
	Doc     string   // one line: what is compared
	Metrics []string // names of the compared values, in row order
	// Rules are the agreement rules, one per metric, or one for all;
	// none means Exact for every metric (see [Rule]).
	Rules []Rule
	// Fitted, when set, names the constants fitted to this case's real
	// data (and where): its rows are marked fitted and left out of the
	// headline, which counts only rows judged on independent data.
	Fitted string
	// LoadDependent marks a case whose real result moves with the
	// machine's load (timing, throughput, a syscall's duration against
	// sysmon); the others are checked by `make test`.
	LoadDependent bool
	// MinRuns raises K for this case, a fixed number decided before any
	// run: cases whose real result spreads widely need more runs for the
	// equivalence test to have power. It is never raised while running.
	MinRuns int
	// Paired cases feed simulated replication i the same input as real
	// run i (a corpus, say), so the runner uses R = K for them.
	Paired bool
	// Cleanup, when set, is called once after the case's real runs (to
	// remove what they built).
	Cleanup func()
	// Real runs experiment number run (0 ≤ run < K) and returns one value
	// per metric, and optionally a short description of what it saw.
	Real func(ctx context.Context, run int) (vals []float64, detail string, err error)
	// Sim runs replication rep (seeded from rep) of the simulated
	// counterpart with the calibration cal (nil: the models' defaults).
	Sim func(ctx context.Context, rep int, cal *calibrate.Calibration) (vals []float64, detail string, err error)
}

// Row is the outcome of one metric of one case: the `validate -json`
// contract is one Row per line.
type Row struct {
	Name       string     `json:"name"`
	Metric     string     `json:"metric"`
	RealMin    float64    `json:"real_min"`
	RealMedian float64    `json:"real_median"`
	RealMax    float64    `json:"real_max"`
	Sim        float64    `json:"sim"`
	SimCI95    [2]float64 `json:"sim_ci95"`
	Agree      bool       `json:"agree"`
	// Status is "agree", "disagree", "inconclusive", "skipped: ..." or
	// "error: ...".
	Status string `json:"status"`
	// Rule is the agreement rule ("exact", "mode", "±5%", "±0.5").
	Rule string `json:"rule"`
	// Fitted names the constants fitted to this row's real data; such a
	// row is left out of the headline.
	Fitted string `json:"fitted,omitempty"`
	// For equivalence rules: the margin δ in the metric's unit, the 90%
	// CI of (sim mean − real mean), and the probabilities that a model
	// whose true mean is off by δ, or exactly right, passes given the
	// observed spreads (Student-t approximation).
	Margin      float64    `json:"margin,omitempty"`
	DiffCI90    [2]float64 `json:"diff_ci90"`
	PassIfOff   float64    `json:"p_pass_off_by_margin,omitempty"`
	PassIfRight float64    `json:"p_pass_if_right,omitempty"`
	// Reason says why a row disagrees or is inconclusive, when the rule
	// knows.
	Reason     string `json:"reason,omitempty"`
	RealDetail string `json:"real_detail,omitempty"`
	SimDetail  string `json:"sim_detail,omitempty"`
	RealRuns   int    `json:"real_runs"`
	SimReps    int    `json:"sim_reps"`
	WallNs     int64  `json:"wall_ns"`
}

// Options control a validation run.
type Options struct {
	Runs  int                    // real runs per case (K, default 3)
	Reps  int                    // simulated replications per case (default 5)
	Only  string                 // run only cases named Only or starting with Only+"/"
	Calib *calibrate.Calibration // nil: model defaults
	// CaseTimeout bounds one case's real runs together (default 30s).
	CaseTimeout time.Duration
	// Progress, when set, receives one line per case as it finishes.
	Progress io.Writer
}

// Select returns the cases matching only ("" matches all): a name matches
// exactly or as the prefix before a "/".
func Select(cases []*Case, only string) []*Case {
	if only == "" {
		return cases
	}
	var out []*Case
	for _, c := range cases {
		if c.Name == only || strings.HasPrefix(c.Name, only+"/") {
			out = append(out, c)
		}
	}
	return out
}

// Names returns the case names.
func Names(cases []*Case) []string {
	out := make([]string, len(cases))
	for i, c := range cases {
		out[i] = c.Name
	}
	return out
}

// Run runs cases in order, each real side K times and each simulated side R
// times, and returns one Row per (case, metric). It stops early, with the
// rows done so far, when ctx ends.
func Run(ctx context.Context, cases []*Case, o Options) ([]Row, error) {
	if o.Runs <= 0 {
		o.Runs = 3
	}
	if o.Reps <= 0 {
		o.Reps = 5
	}
	if o.CaseTimeout <= 0 {
		o.CaseTimeout = 30 * time.Second
	}
	var rows []Row
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return rows, err
		}
		start := time.Now()
		rs := runCase(ctx, c, o)
		for i := range rs {
			rs[i].WallNs = time.Since(start).Nanoseconds()
		}
		rows = append(rows, rs...)
		if o.Progress != nil {
			var st []string
			for _, r := range rs {
				st = append(st, r.Metric+": "+r.Status)
			}
			fmt.Fprintf(o.Progress, "validate: %-28s %6.1fs  %s\n", c.Name, time.Since(start).Seconds(), strings.Join(st, "; "))
		}
	}
	return rows, nil
}

func runCase(ctx context.Context, c *Case, o Options) []Row {
	n := len(c.Metrics)
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{Name: c.Name, Metric: c.Metrics[i], Rule: c.rule(i).String(), Fitted: c.Fitted,
			RealMin: math.NaN(), RealMedian: math.NaN(), RealMax: math.NaN(), Sim: math.NaN(),
			SimCI95: [2]float64{math.NaN(), math.NaN()}, DiffCI90: [2]float64{math.NaN(), math.NaN()}}
	}
	fail := func(status string) []Row {
		for i := range rows {
			rows[i].Status = status
		}
		return rows
	}

	// Simulated side first: it is cheap. A missing model still lets the
	// real side run, so the table shows the real band.
	runs := max(o.Runs, c.MinRuns)
	reps := o.Reps
	if c.Paired {
		reps = runs
	}
	simVals := make([][]float64, n)
	var simDetail, skipped string
	for rep := 0; rep < reps; rep++ {
		v, d, err := c.Sim(ctx, rep, o.Calib)
		if errors.Is(err, ErrModelNotAvailable) {
			skipped = "skipped: " + err.Error()
			break
		}
		if err != nil {
			return fail("error: sim: " + err.Error())
		}
		if len(v) != n {
			return fail(fmt.Sprintf("error: sim returned %d values for %d metrics", len(v), n))
		}
		if rep == 0 {
			simDetail = d
		}
		for i := range v {
			simVals[i] = append(simVals[i], v[i])
		}
	}

	cctx, cancel := context.WithTimeout(ctx, o.CaseTimeout)
	defer cancel()
	if c.Cleanup != nil {
		defer c.Cleanup()
	}
	realVals := make([][]float64, n)
	var realDetails []string
	for run := 0; run < runs; run++ {
		v, d, err := c.Real(cctx, run)
		if errors.Is(err, ErrRealNotAvailable) {
			return fail("skipped: " + err.Error())
		}
		if err != nil {
			return fail("error: real: " + err.Error())
		}
		if len(v) != n {
			return fail(fmt.Sprintf("error: real returned %d values for %d metrics", len(v), n))
		}
		if d != "" && !slices.Contains(realDetails, d) {
			realDetails = append(realDetails, d)
		}
		for i := range v {
			realVals[i] = append(realVals[i], v[i])
		}
	}

	for i := range rows {
		r := &rows[i]
		r.RealRuns = runs
		if skipped == "" {
			r.SimReps = reps
		}
		xs := slices.Clone(realVals[i])
		slices.Sort(xs)
		r.RealMin, r.RealMax, r.RealMedian = xs[0], xs[len(xs)-1], median(xs)
		r.RealDetail = strings.Join(realDetails, " | ")
		if skipped != "" {
			r.Status = skipped
			continue
		}
		s := stats.Summarize(simVals[i])
		r.Sim, r.SimCI95 = s.Mean, [2]float64{s.Lo, s.Hi}
		r.SimDetail = simDetail
		v := judge(c.rule(i), realVals[i], simVals[i], c.Paired)
		r.Agree, r.Status, r.Reason = v.agree, v.status, v.reason
		if c.rule(i).Kind == Equiv {
			r.Margin, r.DiffCI90, r.PassIfOff, r.PassIfRight = v.delta, v.diffCI, v.passIfOff, v.passIfRight
		}
	}
	return rows
}

// rule returns the rule of metric i.
func (c *Case) rule(i int) Rule {
	switch {
	case len(c.Rules) == 0:
		return ExactRule
	case len(c.Rules) == 1:
		return c.Rules[0]
	}
	return c.Rules[i]
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// Headline counts the rows judged on independent data (not fitted) and
// how many of them agree, and the fitted rows apart.
func Headline(rows []Row) (agree, independent, fitted int) {
	for _, r := range rows {
		if r.Fitted != "" {
			fitted++
			continue
		}
		independent++
		if r.Agree {
			agree++
		}
	}
	return agree, independent, fitted
}

// AllAgree reports whether every row agrees, fitted ones included (skipped,
// inconclusive and failed rows do not).
func AllAgree(rows []Row) bool {
	if len(rows) == 0 {
		return false
	}
	for _, r := range rows {
		if !r.Agree {
			return false
		}
	}
	return true
}
