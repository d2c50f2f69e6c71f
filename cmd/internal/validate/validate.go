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
	// Slack widens the real band to [min*(1-Slack), max*(1+Slack)] for
	// metrics that are noisy by nature (throughput); 0 for exact ones.
	Slack float64
	// MinRuns raises K for this case: cases whose real result spreads
	// widely from run to run need more runs for the band to mean anything.
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
	// Status is "agree", "disagree", "skipped: ..." or "error: ...".
	Status     string  `json:"status"`
	Slack      float64 `json:"slack,omitempty"`
	RealDetail string  `json:"real_detail,omitempty"`
	SimDetail  string  `json:"sim_detail,omitempty"`
	RealRuns   int     `json:"real_runs"`
	SimReps    int     `json:"sim_reps"`
	WallNs     int64   `json:"wall_ns"`
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
		rows[i] = Row{Name: c.Name, Metric: c.Metrics[i], Slack: c.Slack, RealMin: math.NaN(), RealMedian: math.NaN(),
			RealMax: math.NaN(), Sim: math.NaN(), SimCI95: [2]float64{math.NaN(), math.NaN()}}
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
		r.Agree = inBand(r.Sim, r.RealMin, r.RealMax, c.Slack)
		r.Status = "disagree"
		if r.Agree {
			r.Status = "agree"
		}
	}
	return rows
}

// inBand reports whether x lies in [lo, hi] widened by slack (relative).
// A tiny absolute tolerance absorbs float rounding of integer metrics.
func inBand(x, lo, hi, slack float64) bool {
	lo -= math.Abs(lo)*slack + 1e-9
	hi += math.Abs(hi)*slack + 1e-9
	return x >= lo && x <= hi
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// AllAgree reports whether every row agrees (skipped and failed rows do not).
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
