package scenario

import (
	"context"
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// Options control one replication.
type Options struct {
	// MaxEvents stops the run after this many events (0: DefaultMaxEvents).
	MaxEvents uint64
	// Every > 0 samples the model's probes every Every of simulated time
	// into Series.
	Every time.Duration
	// Env is passed to Build.
	Env Env
	// Ctx, when done, stops the run cleanly: results so far are kept and
	// marked truncated.
	Ctx context.Context
	// Observer, when set, sees every processed event.
	Observer sim.Observer
}

// DefaultMaxEvents is the event guard when none is given: large enough for
// every built-in scenario at its defaults, small enough that a runaway
// parameter set ends in minutes, not hours.
const DefaultMaxEvents = 2_000_000_000

// Rep is the outcome of one replication.
type Rep struct {
	Seed      uint64
	SimTime   sim.Time
	Events    uint64
	Wall      time.Duration
	Digest    uint64
	Truncated bool
	Metrics   []Metric
	// Series holds sampled rows (time in ns first, then the probes) when
	// Options.Every > 0 and the model is a Prober.
	SeriesCols  []string
	SeriesUnits []string // the columns' units ("ns" for time_ns)
	Series      [][]float64
}

// Metric returns the named metric and whether it exists.
func (r *Rep) Metric(name string) (float64, bool) {
	for _, m := range r.Metrics {
		if m.Name == name {
			return m.Value, true
		}
	}
	return 0, false
}

// RunOne builds and runs one replication of s with the given seed. It uses
// wall time only to report Wall, never to decide anything.
func RunOne(s *Scenario, p *Values, seed uint64, o Options) (*Rep, error) {
	e := sim.NewEngine(seed)
	e.MaxEvents = o.MaxEvents
	if e.MaxEvents == 0 {
		e.MaxEvents = DefaultMaxEvents
	}
	if o.Observer != nil {
		e.SetObserver(o.Observer)
	}
	start := time.Now()
	m, err := s.Build(e, p, &o.Env)
	if err != nil {
		return nil, err
	}
	end := m.End()
	rep := &Rep{Seed: seed}
	prober, _ := m.(Prober)
	var row []float64
	next := sim.MaxTime
	if o.Every > 0 && prober != nil {
		rep.SeriesCols = append([]string{"time_ns"}, prober.Probes()...)
		rep.SeriesUnits = append([]string{"ns"}, prober.ProbeUnits()...)
		if len(rep.SeriesUnits) != len(rep.SeriesCols) {
			return nil, fmt.Errorf("scenario %s: %d probes but %d probe units", s.Name, len(rep.SeriesCols)-1, len(rep.SeriesUnits)-1)
		}
		row = make([]float64, len(rep.SeriesCols)-1)
		next = 0
	}
	ctx := o.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	cancelled := false
	// The loop runs the engine in chunks so that a cancelled context is
	// noticed promptly; chunk boundaries add no events.
	const chunk = 1 << 16
	for !e.Stopped() && !e.Truncated() {
		if ctx.Err() != nil {
			cancelled = true
			break
		}
		target := end
		if next < target {
			target = next
		}
		done := e.RunUntilN(target, chunk)
		if !done {
			continue
		}
		if e.Now() >= next && next <= end && prober != nil && o.Every > 0 {
			prober.Probe(row)
			rep.Series = append(rep.Series, append([]float64{float64(e.Now())}, row...))
			next += sim.Time(o.Every)
			if next > end {
				next = sim.MaxTime
			}
			continue
		}
		if target == end {
			break
		}
	}
	rep.SimTime = e.Now()
	rep.Events = e.Events()
	rep.Digest = e.Digest()
	rep.Truncated = e.Truncated() || cancelled
	rep.Metrics = m.Metrics()
	rep.Wall = time.Since(start)
	return rep, nil
}

// Result aggregates R replications.
type Result struct {
	Scenario  string
	Seed      uint64
	Params    *Values
	Reps      []*Rep
	Summaries []NamedSummary // per metric, in the model's order
}

// NamedSummary is a metric's summary across replications.
type NamedSummary struct {
	Name string
	Unit string // the metric's unit, as the model declared it
	stats.Summary
}

// Seed returns the seed of replication rep of design point point of a run
// (or sweep, or plan) seeded with seed. It is the one derivation every
// front end uses, so `run -seed S` is point 0, replication 0 of `sweep
// -seed S` and gives the same digest, and `run -reps R` runs exactly the
// replications of a one-point sweep. Point 0, replication 0 uses the seed
// itself, so a single run is reproducible from the seed alone; the others
// are a SplitMix64 derivation of (seed, point, rep).
func Seed(seed uint64, point, rep int) uint64 {
	if point == 0 && rep == 0 {
		return seed
	}
	return sim.DeriveSeed(seed, uint64(point), uint64(rep))
}

// RunReps runs reps replications sequentially (use the sweep package for
// parallel work) and summarises them. If ctx ends early the finished
// replications are kept and the last one is marked truncated.
func RunReps(s *Scenario, p *Values, seed uint64, reps int, o Options) (*Result, error) {
	if reps < 1 {
		return nil, fmt.Errorf("reps must be at least 1")
	}
	res := &Result{Scenario: s.Name, Seed: seed, Params: p}
	for i := 0; i < reps; i++ {
		oi := o
		if i > 0 {
			oi.Env.Trace = nil
			oi.Every = 0
		}
		r, err := RunOne(s, p, Seed(seed, 0, i), oi)
		if err != nil {
			return nil, err
		}
		res.Reps = append(res.Reps, r)
		if o.Ctx != nil && o.Ctx.Err() != nil {
			break
		}
	}
	res.Summaries = Summarize(res.Reps)
	return res, nil
}

// Summarize computes per-metric summaries across replications, in the
// metric order of the first replication.
func Summarize(reps []*Rep) []NamedSummary {
	if len(reps) == 0 {
		return nil
	}
	var out []NamedSummary
	for _, m := range reps[0].Metrics {
		xs := make([]float64, 0, len(reps))
		for _, r := range reps {
			if v, ok := r.Metric(m.Name); ok {
				xs = append(xs, v)
			}
		}
		out = append(out, NamedSummary{Name: m.Name, Unit: m.Unit, Summary: stats.Summarize(xs)})
	}
	return out
}

// Digest combines the replication digests in order (equal to the single
// digest when there is one replication).
func (r *Result) Digest() uint64 {
	if len(r.Reps) == 1 {
		return r.Reps[0].Digest
	}
	d := uint64(0xcbf29ce484222325)
	for _, rep := range r.Reps {
		d = (d ^ rep.Digest) * 0x100000001b3
	}
	return d
}
