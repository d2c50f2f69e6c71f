package scene

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// scen is a section driven by a registered scenario (model/scenarios):
// the same Build the CLI's `run` uses, sampled every tick through the
// scenario's Prober (read-only; it schedules nothing), so the page shows
// exactly what `gohttpsim run -series` would record for the same seed and
// parameters. Sections 2–5 are scen values with their own drawing.
type scen struct {
	ticker
	id, name string
	slice    time.Duration
	controls []Control
	fixed    []string                       // sets applied before the controls (run length, ...)
	expand   func(key, val string) []string // maps page-only controls to scenario keys (nil: identity)
	draw     func(s *scen, l *List, w, h, y float32)
	onBuild  func(s *scen)
	trace    bool // capture the scenario's trace (HTTP/2 frames)

	e       *sim.Engine
	m       scenario.Model
	pr      scenario.Prober
	cols    []string
	row     []float64
	hist    []series
	metrics []scenario.Metric
	ticks   int
	done    bool
	frames  frameLog
	vals    map[string]string
	p       *scenario.Values
	cfg     any // the scenario's typed config (*scenarios.HTTPConfig, ...)

	extra any // per-section state kept across builds

	mo      Motion
	dt      time.Duration // simulated time the last tick advanced
	mnames  []string      // metrics kept over time (mhist)
	mhist   []series
	scratch series
}

// motion implements the App's access to where entities were drawn.
func (s *scen) motion() *Motion { return &s.mo }

// mhistOf returns the history of a metric named in mnames.
func (s *scen) mhistOf(name string) *series {
	for i, n := range s.mnames {
		if n == name {
			return &s.mhist[i]
		}
	}
	empty := newSeries(2)
	return &empty
}

// rateOf returns the per-second rate of a cumulative probe, sample to
// sample (a scratch series, valid until the next call).
func (s *scen) rateOf(name string) *series {
	h := s.histOf(name)
	if len(s.scratch.v) != len(h.v) {
		s.scratch = newSeries(len(h.v))
	}
	s.scratch.reset()
	sec := s.dt.Seconds()
	if sec <= 0 {
		sec = s.slice.Seconds()
	}
	for i := 1; i < h.n; i++ {
		s.scratch.push(max(h.at(i)-h.at(i-1), 0) / sec)
	}
	return &s.scratch
}

func (s *scen) ID() string           { return s.id }
func (s *scen) Slice() time.Duration { return s.slice }
func (s *scen) Controls() []Control  { return s.controls }
func (s *scen) Engine() *sim.Engine  { return s.e }
func (s *scen) lagging() bool        { return s.lag }

// histLen is the number of ticks the live charts show.
const histLen = 300

func (s *scen) Build(seed uint64, vals map[string]string) error {
	sc := scenario.Lookup(s.name)
	if sc == nil {
		return fmt.Errorf("scenario %s is not registered", s.name)
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	sets := slices.Clone(s.fixed)
	get := func(k string) string {
		for _, c := range s.controls {
			if c.Key == k {
				if v, ok := vals[k]; ok {
					return v
				}
				return c.Default
			}
		}
		return ""
	}
	for _, k := range keys {
		if !slices.ContainsFunc(s.controls, func(c Control) bool { return c.Key == k }) {
			return fmt.Errorf("no parameter %q", k)
		}
	}
	for _, c := range s.controls {
		v := get(c.Key)
		if c.Kind == Toggle && v != "true" && v != "false" {
			return fmt.Errorf("%s: want true or false, got %q", c.Key, v)
		}
		if s.expand != nil {
			sets = append(sets, s.expand(c.Key, v)...)
		} else {
			sets = append(sets, c.Key+"="+v)
		}
	}
	p, err := scenario.Parse(sc.Params, sets)
	if err != nil {
		return err
	}
	e := sim.NewEngine(seed)
	e.MaxEvents = scenario.DefaultMaxEvents
	s.frames.reset()
	env := &scenario.Env{}
	if s.trace {
		env.Trace = &s.frames
	}
	m, err := sc.Build(e, p, env)
	if err != nil {
		return err
	}
	cfg, _ := sc.Config(p) // nil for a scenario without a typed config
	if s.onBuild != nil && s.e != nil {
		s.onBuild(s) // the previous run, before it is replaced
	}
	s.e, s.m, s.p, s.cfg, s.vals = e, m, p, cfg, vals
	s.pr, _ = m.(scenario.Prober)
	s.cols, s.row = nil, nil
	if s.pr != nil {
		s.cols = s.pr.Probes()
		s.row = make([]float64, len(s.cols))
	}
	if len(s.hist) != len(s.cols) {
		s.hist = make([]series, len(s.cols))
		for i := range s.hist {
			s.hist[i] = newSeries(histLen)
		}
	}
	for i := range s.hist {
		s.hist[i].reset()
	}
	s.ticker.reset()
	s.ticks, s.done, s.metrics = 0, false, m.Metrics()
	s.mo.Reset()
	s.dt = s.slice
	if len(s.mhist) != len(s.mnames) {
		s.mhist = make([]series, len(s.mnames))
		for i := range s.mhist {
			s.mhist[i] = newSeries(histLen)
		}
	}
	for i := range s.mhist {
		s.mhist[i].reset()
	}
	s.sample()
	return nil
}

func (s *scen) advance(d time.Duration) {
	if s.done {
		return
	}
	end := s.m.End()
	if s.target.Add(d) > end {
		d = end.Sub(s.target)
	}
	s.ticker.advance(s.e, d)
	s.dt = d
	s.ticks++
	if (!s.lag && s.target >= end) || s.e.Stopped() || s.e.Truncated() {
		s.done = true
	}
	s.sample()
	// Metrics read the model's counters only; every 10 ticks is plenty.
	if s.ticks%metricEvery == 0 || s.done {
		s.metrics = s.m.Metrics()
		for i, n := range s.mnames {
			s.mhist[i].push(s.metric(n))
		}
	}
}

func (s *scen) sample() {
	if s.pr == nil {
		return
	}
	s.pr.Probe(s.row)
	for i, v := range s.row {
		s.hist[i].push(v)
	}
}

// probe returns the latest value of the named probe column.
func (s *scen) probe(name string) float64 {
	for i, c := range s.cols {
		if c == name {
			return s.row[i]
		}
	}
	return 0
}

func (s *scen) histOf(name string) *series {
	for i, c := range s.cols {
		if c == name {
			return &s.hist[i]
		}
	}
	empty := newSeries(2)
	return &empty
}

// metric returns the latest value of the named metric.
func (s *scen) metric(name string) float64 {
	for _, m := range s.metrics {
		if m.Name == name {
			return m.Value
		}
	}
	return 0
}

// metricUnit returns the declared unit of the named metric.
func (s *scen) metricUnit(name string) string {
	for _, m := range s.metrics {
		if m.Name == name {
			return m.Unit
		}
	}
	return ""
}

// shown formats the latest value of the named metric by its unit.
func (s *scen) shown(name string) string {
	return value(QuantityOf(s.metricUnit(name)), s.metric(name))
}

func (s *scen) Action(name, arg string) error {
	return fmt.Errorf("section %s has no action %q", s.id, name)
}

func (s *scen) Click(x, y float32) bool { return false }

func (s *scen) State() map[string]any {
	probes := map[string]float64{}
	for i, c := range s.cols {
		probes[c] = s.row[i]
	}
	metrics := map[string]float64{}
	units := map[string]string{}
	for _, m := range s.metrics {
		metrics[m.Name] = m.Value
		units[m.Name] = m.Unit
	}
	st := map[string]any{"scenario": s.name, "probes": probes, "metrics": metrics, "units": units, "done": s.done}
	if s.trace {
		st["frames"] = len(s.frames.f)
	}
	return st
}

func (s *scen) Draw(l *List, w, h float32) {
	status := "running"
	switch {
	case s.done:
		status = "finished (reset to run again)"
	case s.lag:
		status = "running (behind: event budget per frame reached)"
	}
	y := wrap(l, 8, 8, w-16, fmt.Sprintf("scenario %s  t=%v  %s", s.name, roundDur(s.e.Now().Duration()), status), Muted)
	s.draw(s, l, w, h, y+4)
}

// frameLog collects the HTTP/2 frame trace lines a scenario writes
// (model/http2's JSON frame trace), for drawing streams and frames.
type frameLog struct {
	buf []byte
	f   []frame
}

type frame struct {
	T      sim.Time
	Stream int32
	Type   string
	Len    int32
	Server bool
}

// maxFrames bounds the log; later frames are counted but not kept.
const maxFrames = 50_000

func (fl *frameLog) reset() { fl.buf, fl.f = fl.buf[:0], fl.f[:0] }

func (fl *frameLog) Write(p []byte) (int, error) {
	fl.buf = append(fl.buf, p...)
	for {
		i := bytes.IndexByte(fl.buf, '\n')
		if i < 0 {
			break
		}
		var r struct {
			Time   int64  `json:"time"`
			Stream int32  `json:"stream"`
			Type   string `json:"type"`
			Length int32  `json:"length"`
			From   string `json:"from"`
		}
		if json.Unmarshal(fl.buf[:i], &r) == nil && len(fl.f) < maxFrames {
			fl.f = append(fl.f, frame{T: sim.Time(r.Time), Stream: r.Stream, Type: strings.Clone(r.Type), Len: r.Length, Server: r.From == "server"})
		}
		fl.buf = fl.buf[:copy(fl.buf, fl.buf[i+1:])]
	}
	return len(p), nil
}
