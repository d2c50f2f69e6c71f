package experiment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// Config describes a sweep. Build it with the CLI's flags, then call
// [Config.Check] (the guards, before any work) and [Run].
type Config struct {
	Scenario *scenario.Scenario
	Base     *scenario.Values // defaults plus -set
	Grid     Grid
	Reps     int
	Seed     uint64
	// Parallel is the number of replications run at once (0: GOMAXPROCS).
	Parallel int
	// Shard and Shards select the points i with i%Shards == Shard.
	Shard, Shards int
	// Metrics, when non-empty, keeps only these model metrics (the warm-up
	// metrics are always kept).
	Metrics []string
	// Warmup > 0 fixes the warm-up; 0 selects MSER-5 on the probe series.
	Warmup time.Duration
	// Every is the probe sampling interval (0: the scenario's "duration"
	// parameter / 500, else 10ms).
	Every     time.Duration
	MaxEvents uint64
	// Dir receives the output files; "" keeps results in memory only.
	Dir    string
	Resume bool
	Force  bool
	// Progress, when set, is called after each finished point from one
	// goroutine at a time.
	Progress func(done, total int)
}

// Result is a finished (or interrupted) sweep in point order.
type Result struct {
	Manifest    Manifest
	Points      []*Point // only the points of this shard that finished
	Interrupted bool
	Warnings    []string
}

// Point is one finished grid point.
type Point struct {
	Index     int
	Values    []string // per axis
	Reps      []Record
	Summaries []scenario.NamedSummary
}

// Record is one replication as stored in results.jsonl.
type Record struct {
	Point, Rep int
	Seed       uint64
	SimTimeNs  int64
	Events     uint64
	Digest     string
	Truncated  bool
	Metrics    []scenario.Metric
}

// Metric names of the warm-up report.
const (
	MetricWarmup   = "warmup_ns"       // fixed -warmup
	MetricMSER     = "warmup_mser5_ns" // automatic truncation point
	steadyPrefix   = "steady_"
	warmupParamKey = "warmup"
)

// ErrUnknownMetric wraps a -metrics or -slo name the scenario does not
// report (known only once a replication has run).
var ErrUnknownMetric = errors.New("unknown metric")

// ErrExists is returned when Dir already holds a sweep and Resume is off.
var ErrExists = errors.New("sweep: output directory already holds results")

// Check applies the guards that must hold before any work: a non-empty grid
// of at most MaxPoints points (unless Force), sane counts, a shard within
// range, and a writable Dir that holds no other sweep (unless Resume, which
// requires the same manifest). It fills defaults.
func (c *Config) Check() error {
	if c.Scenario == nil || c.Base == nil {
		return scenario.Usage(fmt.Errorf("sweep: no scenario"))
	}
	if c.Reps < 1 {
		return scenario.Usage(fmt.Errorf("-reps must be at least 1"))
	}
	if c.Parallel < 0 {
		return scenario.Usage(fmt.Errorf("-parallel must be at least 1"))
	}
	if c.Parallel == 0 {
		c.Parallel = runtime.GOMAXPROCS(0)
	}
	if c.Shards < 1 {
		c.Shards = 1
	}
	if c.Shard < 0 || c.Shard >= c.Shards {
		return scenario.Usage(fmt.Errorf("shard %d out of range 0..%d", c.Shard, c.Shards-1))
	}
	seen := map[string]bool{}
	for _, a := range c.Grid.Axes {
		if len(a.Values) == 0 {
			return scenario.Usage(fmt.Errorf("-vary %s: %w", a.Key, ErrEmptyRange))
		}
		if seen[a.Key] {
			return scenario.Usage(fmt.Errorf("-vary %s given twice", a.Key))
		}
		seen[a.Key] = true
	}
	if n := c.Grid.Len(); n > MaxPoints && !c.Force {
		return scenario.Usage(fmt.Errorf("the grid has %s points, more than %d: narrow it or pass -force", countString(n), MaxPoints))
	}
	if c.Every < 0 || c.Warmup < 0 {
		return scenario.Usage(fmt.Errorf("-every and -warmup must not be negative"))
	}
	if c.Every == 0 {
		c.Every = 10 * time.Millisecond
		if d, ok := c.Base.Numeric("duration"); ok && d >= 500 {
			c.Every = time.Duration(d / 500)
		}
	}
	if c.Dir == "" {
		return nil
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	probe, err := os.CreateTemp(c.Dir, ".writable-*")
	if err != nil {
		return fmt.Errorf("output directory %s is not writable: %w", c.Dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	old, err := ReadManifest(c.Dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if c.Resume {
			return nil // nothing to resume: start afresh
		}
		if _, err := os.Stat(filepath.Join(c.Dir, JournalFile)); err == nil {
			return fmt.Errorf("%w: %s has a %s without a manifest", ErrExists, c.Dir, JournalFile)
		}
		return nil
	case err != nil:
		return err
	}
	if !c.Resume {
		return fmt.Errorf("%w: %s (pass -resume to continue that sweep, or choose another -out)", ErrExists, c.Dir)
	}
	if diff := old.diff(c.manifest(), true); diff != "" {
		return scenario.Usage(fmt.Errorf("-resume: %s holds a different sweep (%s)", c.Dir, diff))
	}
	return nil
}

func countString(n int) string {
	if n >= MaxPoints*1000 {
		return fmt.Sprintf("over %d", MaxPoints*1000)
	}
	return fmt.Sprint(n)
}

type unit struct{ point, rep int }

type done struct {
	unit
	rec    Record
	series [][]float64
	cols   []string
	units  []string // the columns' units
	err    error
}

// Run runs the points of c's shard not already in c.Dir's journal, appending
// each finished point durably, then rewrites the journal in point order and
// writes results.csv. If ctx ends, the finished points are kept and the
// result is marked Interrupted.
func Run(ctx context.Context, c *Config) (*Result, error) {
	res := &Result{Manifest: c.manifest()}
	var (
		have    map[int]*Point
		journal *os.File
		err     error
	)
	fresh := true
	if c.Dir != "" {
		if _, err := ReadManifest(c.Dir); err == nil {
			fresh = false
		}
		if c.Resume {
			have, err = loadJournal(c.Dir, c.Grid, c.Reps)
			if err != nil {
				return nil, err
			}
		}
		if err := WriteManifest(c.Dir, res.Manifest); err != nil {
			return nil, err
		}
		// Rewrite the loaded points (dropping any torn tail) before appending.
		if journal, err = rewriteJournal(c.Dir, sortedPoints(have), c.Grid); err != nil {
			return nil, err
		}
		defer journal.Close()
	}
	if have == nil {
		have = map[int]*Point{}
	}
	var todo []int
	total := 0
	for i := range c.Grid.Len() {
		if !InShard(i, c.Shard, c.Shards) {
			continue
		}
		total++
		if _, ok := have[i]; !ok {
			todo = append(todo, i)
		}
	}
	_, isProber := probeNames(c)
	if c.Warmup == 0 && !isProber {
		res.Warnings = append(res.Warnings, fmt.Sprintf("scenario %s reports no probes: no automatic (MSER-5) warm-up truncation; pass -warmup D to set its warm-up", c.Scenario.Name))
	}
	if c.Warmup > 0 && !c.Base.Has(warmupParamKey) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("scenario %s has no %q parameter: its metrics include the first %v; only the steady_* probe means are truncated", c.Scenario.Name, warmupParamKey, c.Warmup))
	}
	base := c.Base
	if c.Warmup > 0 && base.Has(warmupParamKey) {
		if base, err = base.With(warmupParamKey, c.Warmup.String()); err != nil {
			return nil, fmt.Errorf("-warmup: %w", err)
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	units := make(chan unit)
	results := make(chan done, 2*c.Parallel) // a slow fsync must not stall the workers
	var wg sync.WaitGroup
	var costs unitCosts
	for range min(c.Parallel, max(1, len(todo)*c.Reps)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range units {
				d := c.runUnit(ctx, base, u)
				if u.rep == 0 && d.err == nil {
					costs.set(u.point, d.rec.Events)
				}
				results <- d
			}
		}()
	}
	go func() {
		defer close(units)
		for u := range dispatchOrder(todo, c.Reps, c.Parallel, &costs) {
			select {
			case units <- u:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	pending := map[int][]done{}
	finished := len(have)
	if c.Progress != nil {
		c.Progress(finished, total)
	}
	var firstErr error
	warnedShort := 0
	for d := range results {
		if firstErr != nil {
			continue // drain
		}
		if d.err != nil {
			firstErr = d.err
			cancel()
			continue
		}
		if d.rec.Truncated && ctx.Err() != nil {
			continue // cut short by the interrupt: rerun on -resume
		}
		pending[d.point] = append(pending[d.point], d)
		if len(pending[d.point]) < c.Reps {
			continue
		}
		ds := pending[d.point]
		delete(pending, d.point)
		slices.SortFunc(ds, func(a, b done) int { return a.rep - b.rep })
		p := &Point{Index: d.point, Values: c.Grid.Values(d.point)}
		for _, x := range ds {
			rec, short, err := c.finishRep(x)
			if err != nil {
				firstErr = err
				cancel()
				break
			}
			if short {
				warnedShort++
			}
			p.Reps = append(p.Reps, rec)
		}
		if firstErr != nil {
			continue
		}
		p.Summaries = summarize(p.Reps)
		if journal != nil {
			if err := appendPoint(journal, p, c.Grid); err != nil {
				firstErr = err
				cancel()
				continue
			}
		}
		have[p.Index] = p
		finished++
		if c.Progress != nil {
			c.Progress(finished, total)
		}
	}
	if firstErr != nil {
		if journal != nil && len(have) == 0 && fresh {
			// Nothing was computed: leave no half-made sweep behind, so
			// that the corrected command can reuse the directory.
			journal.Close()
			os.Remove(filepath.Join(c.Dir, JournalFile))
			os.Remove(filepath.Join(c.Dir, ManifestFile))
		}
		return nil, firstErr
	}
	if warnedShort > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d replication(s) did not reach steady state by MSER-5 (truncation at the n/2 limit): lengthen duration", warnedShort))
	}
	res.Points = sortedPoints(have)
	truncated := 0
	for _, p := range res.Points {
		for _, r := range p.Reps {
			if r.Truncated {
				truncated++
			}
		}
	}
	if truncated > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d replication(s) were cut short by the event guard (truncated in results.jsonl): raise -max-events or shorten duration", truncated))
	}
	zero, example := 0, ""
	for _, p := range res.Points {
		if name, ok := nothingCompleted(p); ok {
			if zero == 0 {
				example = fmt.Sprintf("%s (%s)", strings.Join(pointLabel(c.Grid, p.Index), " "), name)
			}
			zero++
		}
	}
	if zero > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d point(s) finished no request, e.g. %s = 0: their latency metrics are empty, not small (overload, or a warm-up as long as the run?)", zero, example))
	}
	res.Interrupted = ctx.Err() != nil && finished < total
	if c.Dir != "" {
		if err := journal.Close(); err != nil {
			return nil, err
		}
		if err := Finalize(c.Dir, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func sortedPoints(m map[int]*Point) []*Point {
	out := make([]*Point, 0, len(m))
	for _, p := range m {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *Point) int { return a.Index - b.Index })
	return out
}

// probeNames builds one model to learn whether it is a Prober (models are
// cheap to build; nothing runs).
func probeNames(c *Config) ([]string, bool) {
	m, err := c.Scenario.Build(sim.NewEngine(0), c.Base, &scenario.Env{})
	if err != nil {
		return nil, false
	}
	p, ok := m.(scenario.Prober)
	if !ok {
		return nil, false
	}
	return p.Probes(), true
}

func (c *Config) runUnit(ctx context.Context, base *scenario.Values, u unit) done {
	d := done{unit: u}
	p, err := c.Grid.Params(base, u.point)
	if err != nil {
		d.err = err
		return d
	}
	seed := scenario.Seed(c.Seed, u.point, u.rep)
	rep, err := scenario.RunOne(c.Scenario, p, seed, scenario.Options{MaxEvents: c.MaxEvents, Every: c.Every, Ctx: ctx})
	if err != nil {
		d.err = fmt.Errorf("point %d (%s) replication %d: %w", u.point, strings.Join(pointLabel(c.Grid, u.point), " "), u.rep, err)
		return d
	}
	d.rec = Record{Point: u.point, Rep: u.rep, Seed: seed, SimTimeNs: int64(rep.SimTime), Events: rep.Events,
		Digest: sim.DigestString(rep.Digest), Truncated: rep.Truncated, Metrics: rep.Metrics}
	d.series, d.cols, d.units = rep.Series, rep.SeriesCols, rep.SeriesUnits
	return d
}

func pointLabel(g Grid, i int) []string {
	var out []string
	for k, v := range g.Values(i) {
		out = append(out, g.Axes[k].Key+"="+v)
	}
	return out
}

// finishRep filters metrics and appends the warm-up report. short reports
// that MSER-5 hit its n/2 limit.
func (c *Config) finishRep(d done) (Record, bool, error) {
	rec := d.rec
	if len(c.Metrics) > 0 {
		var keep []scenario.Metric
		for _, name := range c.Metrics {
			m, ok := metricNamed(rec.Metrics, name)
			if !ok {
				return rec, false, scenario.Usage(fmt.Errorf("-metrics: %w %q (metrics of %s: %s)", ErrUnknownMetric, name, c.Scenario.Name, strings.Join(metricNames(rec.Metrics), ", ")))
			}
			keep = append(keep, m)
		}
		rec.Metrics = keep
	} else {
		rec.Metrics = slices.Clone(rec.Metrics)
	}
	if len(d.cols) < 2 {
		if c.Warmup > 0 {
			rec.Metrics = append(rec.Metrics, scenario.Metric{Name: MetricWarmup, Value: float64(c.Warmup), Unit: "ns"})
		}
		return rec, false, nil
	}
	// Column 0 is time; column 1, the first probe, decides the truncation
	// (by convention the model's primary state variable, e.g. queue length;
	// later probes may be cumulative counters that never settle).
	n := len(d.series)
	drop, short := 0, false
	if c.Warmup > 0 {
		for drop < n && d.series[drop][0] < float64(c.Warmup) {
			drop++
		}
		rec.Metrics = append(rec.Metrics, scenario.Metric{Name: MetricWarmup, Value: float64(c.Warmup), Unit: "ns"})
	} else {
		col := make([]float64, n)
		for i, row := range d.series {
			col[i] = row[1]
		}
		var ok bool
		drop, ok = MSER5(col)
		short = !ok
		at := 0.0
		if drop < n {
			at = d.series[drop][0]
		}
		rec.Metrics = append(rec.Metrics, scenario.Metric{Name: MetricMSER, Value: at, Unit: "ns"})
	}
	for j := 1; j < len(d.cols); j++ {
		s, k := 0.0, 0
		for _, row := range d.series[min(drop, n):] {
			s += row[j]
			k++
		}
		mean := 0.0
		if k > 0 {
			mean = s / float64(k)
		}
		rec.Metrics = append(rec.Metrics, scenario.Metric{Name: steadyPrefix + d.cols[j], Value: mean, Unit: d.units[j]})
	}
	return rec, short, nil
}

func metricNamed(ms []scenario.Metric, name string) (scenario.Metric, bool) {
	for _, m := range ms {
		if m.Name == name {
			return m, true
		}
	}
	return scenario.Metric{}, false
}

func metricNames(ms []scenario.Metric) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	return out
}

func summarize(reps []Record) []scenario.NamedSummary {
	rs := make([]*scenario.Rep, len(reps))
	for i := range reps {
		rs[i] = &scenario.Rep{Metrics: reps[i].Metrics}
	}
	return scenario.Summarize(rs)
}
