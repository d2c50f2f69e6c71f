package chart

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gohttpsim/gohttpsim/sim/experiment"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// KeyUnit returns the display unit of a swept key of the given kind.
func KeyUnit(kind scenario.Kind, numbers []float64) Unit {
	maxAbs := 0.0
	for _, x := range numbers {
		maxAbs = math.Max(maxAbs, math.Abs(x))
	}
	switch kind {
	case scenario.Duration:
		return DurationUnit(maxAbs)
	case scenario.Bytes:
		return ByteUnit(maxAbs)
	}
	return Unit{1, ""}
}

// geometric reports whether xs (sorted, positive) grow by a roughly constant
// factor of at least 1.5, the sign of a "LO:HI:*F" axis that reads best on
// a log scale.
func geometric(xs []float64) bool {
	if len(xs) < 3 || xs[0] <= 0 {
		return false
	}
	r := xs[1] / xs[0]
	if r < 1.5 {
		return false
	}
	for i := 2; i < len(xs); i++ {
		if q := xs[i] / xs[i-1]; math.Abs(q-r) > 0.25*r {
			return false
		}
	}
	return true
}

// Figure is one chart on the index page.
type Figure struct {
	Title    string
	PNG      string
	SVG      string
	Headline bool
}

// SweepCharts builds the charts of a sweep: per metric, a line chart
// against the first varied key with one line per combination of the other
// keys, and a heat map when exactly two keys vary. It returns them keyed by
// file stem, in metric order. An SLO on a metric is drawn on its line chart
// as a horizontal rule, and on its heat map as an outline around the cells
// whose mean misses it.
func SweepCharts(res *experiment.Result, slos ...experiment.SLO) (stems []string, charts []Plotter) {
	g := res.Manifest.Grid()
	if len(g.Axes) == 0 || len(res.Points) == 0 {
		return nil, nil
	}
	x := g.Axes[0]
	xu := KeyUnit(x.Kind, x.Numbers)
	for _, m := range experiment.MetricNames(res.Points) {
		var all []float64
		for _, p := range res.Points {
			if s, ok := p.Summary(m); ok {
				all = append(all, s.Mean, s.Hi)
			}
		}
		var mine []experiment.SLO
		for _, o := range slos {
			if o.Metric == m {
				mine = append(mine, o)
				all = append(all, o.Value)
			}
		}
		u, title := UnitFor(m, experiment.MetricUnit(res.Points, m), all)
		l := &Line{Title: u.Label(title) + " vs " + x.Key, XLabel: xu.Label(x.Key), YLabel: u.Label(title)}
		for _, o := range mine {
			l.Rules = append(l.Rules, Rule{At: o.Value * u.Scale, Label: sloLabel(o, u, title)})
		}
		if x.Numbers == nil {
			l.XNames = x.Values
		} else {
			l.LogX = geometric(x.Numbers)
		}
		series := map[string]int{}
		for _, p := range res.Points {
			s, ok := p.Summary(m)
			if !ok {
				continue
			}
			c := g.Coords(p.Index)
			var name []string
			for k := 1; k < len(g.Axes); k++ {
				name = append(name, g.Axes[k].Key+"="+p.Values[k])
			}
			key := strings.Join(name, " ")
			i, ok := series[key]
			if !ok {
				i = len(l.Series)
				series[key] = i
				l.Series = append(l.Series, Series{Name: key})
			}
			xv := float64(c[0])
			if x.Numbers != nil {
				xv = x.Numbers[c[0]] * xu.Scale
			}
			sr := &l.Series[i]
			sr.X = append(sr.X, xv)
			sr.Y = append(sr.Y, s.Mean*u.Scale)
			sr.Lo = append(sr.Lo, s.Lo*u.Scale)
			sr.Hi = append(sr.Hi, s.Hi*u.Scale)
		}
		if experiment.MetricUnit(res.Points, m) == "ns" && spread(all) >= 20 {
			l.LogY = true
		}
		if servedVsOffered(m, x) {
			// The diagonal served = offered: where the line leaves it the
			// server stops keeping up.
			d := Series{Name: "offered"}
			for _, v := range x.Numbers {
				d.X, d.Y = append(d.X, v*xu.Scale), append(d.Y, v*u.Scale)
			}
			l.Series = append(l.Series, d)
		}
		if k, ok := knee(res, m, x); ok {
			l.Rules = append(l.Rules, Rule{Vertical: true, At: k * xu.Scale, Label: "knee: served < 95% of offered from " + SI(k*xu.Scale)})
		}
		stems = append(stems, FileName(m))
		charts = append(charts, l)
		if len(g.Axes) == 2 {
			y := g.Axes[1]
			yu := KeyUnit(y.Kind, y.Numbers)
			h := &Heat{Title: u.Label(title), XLabel: xu.Label(x.Key), YLabel: yu.Label(y.Key),
				XNames: scaledNames(x, xu), YNames: scaledNames(y, yu)}
			h.Z = make([][]float64, len(y.Values))
			for r := range h.Z {
				h.Z[r] = make([]float64, len(x.Values))
				for c := range h.Z[r] {
					h.Z[r][c] = math.NaN()
				}
			}
			for _, o := range mine {
				h.MissLabel = append(h.MissLabel, "misses "+sloLabel(o, u, title))
			}
			for _, p := range res.Points {
				if s, ok := p.Summary(m); ok {
					c := g.Coords(p.Index)
					h.Z[c[1]][c[0]] = s.Mean * u.Scale
					for _, o := range mine {
						if !o.Met(s) {
							h.Miss = append(h.Miss, [2]int{c[0], c[1]})
							break
						}
					}
				}
			}
			stems = append(stems, FileName(m)+"_heat")
			charts = append(charts, h)
		}
	}
	return stems, charts
}

// sloLabel names an SLO in the chart's unit: "SLO latency_p99 ≤ 50 ms".
func sloLabel(o experiment.SLO, u Unit, name string) string {
	op := map[string]string{"<=": "≤", ">=": "≥", "<": "<", ">": ">"}[o.Op]
	s := "SLO " + name + " " + op + " " + SI(o.Value*u.Scale)
	if u.Name != "" {
		s += " " + u.Name
	}
	return s
}

// spread returns max/min of the positive values (0 when there are none).
func spread(xs []float64) float64 {
	lo, hi := math.Inf(1), 0.0
	for _, x := range xs {
		if x > 0 && !math.IsInf(x, 0) {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	if hi == 0 {
		return 0
	}
	return hi / lo
}

// Headline metrics lead the report, in this order; the rest are folded.
var Headline = []string{"throughput_rps", "served_rps", "latency_p50_ns", "latency_p99_ns", "cpu_utilization", "errors", "failed_requests"}

func isHeadline(m string) bool {
	for _, h := range Headline {
		if m == h {
			return true
		}
	}
	return false
}

// knee finds, for the served-rate metric of a sweep over an offered rate
// (a key ending in "rate"), the smallest offered rate whose served rate
// (mean) falls below 95% of it: where the server stops keeping up.
func knee(res *experiment.Result, metric string, x experiment.Axis) (float64, bool) {
	if !servedVsOffered(metric, x) {
		return 0, false
	}
	g := res.Manifest.Grid()
	best, found := 0.0, false
	for _, p := range res.Points {
		s, ok := p.Summary(metric)
		if !ok {
			continue
		}
		off := x.Numbers[g.Coords(p.Index)[0]]
		if off > 0 && s.Mean < 0.95*off && (!found || off < best) {
			best, found = off, true
		}
	}
	return best, found
}

// servedVsOffered reports whether the chart of metric against x is served
// rate against offered rate.
func servedVsOffered(metric string, x experiment.Axis) bool {
	return metric == "throughput_rps" && x.Numbers != nil && strings.HasSuffix(x.Key, "rate")
}

// scaledNames labels a categorical axis: numbers in the axis unit, or the
// raw values.
func scaledNames(a experiment.Axis, u Unit) []string {
	if a.Numbers == nil || u.Name == "" {
		return a.Values
	}
	out := make([]string, len(a.Numbers))
	for i, x := range a.Numbers {
		out[i] = SI(x * u.Scale)
	}
	return out
}

// WriteSweep writes the charts of res (PNG and SVG) and index.html into dir,
// rendering up to parallel charts at once (≤ 0: GOMAXPROCS).
// SLOs, when given, are marked on their metrics' charts (see SweepCharts).
func WriteSweep(dir string, res *experiment.Result, parallel int, slos ...experiment.SLO) error {
	stems, charts := SweepCharts(res, slos...)
	if err := SaveAll(charts, dir, stems, parallel); err != nil {
		return err
	}
	var figs []Figure
	// Headline charts first, in Headline's order; the rest after, folded.
	order := make([]int, 0, len(charts))
	for _, h := range Headline {
		for i := range charts {
			if stems[i] == FileName(h) || stems[i] == FileName(h)+"_heat" {
				order = append(order, i)
			}
		}
	}
	nHead := len(order)
	for i := range charts {
		if !slices.Contains(order, i) {
			order = append(order, i)
		}
	}
	for k, i := range order {
		c := charts[i]
		title := stems[i]
		switch v := c.(type) {
		case *Line:
			title = v.Title
		case *Heat:
			title = v.Title + " (heat map)"
		}
		figs = append(figs, Figure{Title: title, PNG: stems[i] + ".png", SVG: stems[i] + ".svg", Headline: k < nHead})
	}
	return writeIndex(dir, res, figs)
}

// maxTableRows bounds the table in index.html; results.csv has every row.
const maxTableRows = 2000

var indexTmpl = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:sans-serif;margin:1.5em;color:#222}
figure{display:inline-block;margin:0 1em 1em 0}
figure img{width:630px;border:1px solid #ddd}
table{border-collapse:collapse;font-size:13px}
table.params td{text-align:left}
details{margin:1em 0}
th,td{border:1px solid #ccc;padding:2px 6px;text-align:right;white-space:nowrap}
th{background:#f3f3f3}
.warn{color:#a40}
code{background:#f3f3f3;padding:0 3px}
</style></head><body>
<h1>{{.Title}}</h1>
<p>{{.Summary}}</p>
{{if .Changed}}<table class="params"><tr><th>parameter</th><th>value</th></tr>
{{range .Changed}}<tr><td>{{.Key}}</td><td>{{.Value}}</td></tr>
{{end}}</table>{{end}}
{{range .Warnings}}<p class="warn">{{.}}</p>{{end}}
<h2>Headline metrics</h2>
{{range .Figures}}{{if .Headline}}<figure><a href="{{.SVG}}"><img src="{{.PNG}}" alt="{{.Title}}"></a><figcaption>{{.Title}}</figcaption></figure>
{{end}}{{end}}
<details><summary>Every other metric</summary>
{{range .Figures}}{{if not .Headline}}<figure><a href="{{.SVG}}"><img src="{{.PNG}}" alt="{{.Title}}"></a><figcaption>{{.Title}}</figcaption></figure>
{{end}}{{end}}
</details>
<h2>Results</h2>
<p>Mean with 95% confidence interval over replications. All rows: <a href="results.csv">results.csv</a>; every replication: <a href="results.jsonl">results.jsonl</a>.</p>
<table><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{if .Cut}}<p>{{.Cut}}</p>{{end}}
</body></html>
`))

func writeIndex(dir string, res *experiment.Result, figs []Figure) error {
	m := res.Manifest
	g := m.Grid()
	data := struct {
		Title, Summary, Params, Cut string
		Changed                     []kv
		Warnings                    []string
		Figures                     []Figure
		Head                        []string
		Rows                        [][]string
	}{Title: "gohttpsim sweep: " + m.Scenario, Params: string(m.Params), Warnings: res.Warnings, Figures: figs}
	data.Changed = changedParams(m.Params)
	warm := "warm-up: MSER-5 truncation per replication (metric warmup_mser5_ns)"
	if m.Warmup != "mser5" {
		warm = "warm-up: fixed " + m.Warmup
	}
	data.Summary = fmt.Sprintf("%d of %d points, %d replication(s) each, seed %d; %s.", len(res.Points), m.Points, m.Reps, m.Seed, warm)
	if res.Interrupted {
		data.Warnings = append(data.Warnings, "interrupted: run again with -resume to finish")
	}
	names := experiment.MetricNames(res.Points)
	slices.SortStableFunc(names, func(a, b string) int {
		ia, ib := slices.Index(Headline, a), slices.Index(Headline, b)
		if ia < 0 {
			ia = len(Headline)
		}
		if ib < 0 {
			ib = len(Headline)
		}
		return ia - ib
	})
	units := make([]Unit, len(names))
	for i, n := range names {
		var all []float64
		for _, p := range res.Points {
			if s, ok := p.Summary(n); ok {
				all = append(all, s.Mean)
			}
		}
		units[i], _ = UnitFor(n, experiment.MetricUnit(res.Points, n), all)
	}
	for _, a := range g.Axes {
		data.Head = append(data.Head, a.Key)
	}
	for i, n := range names {
		data.Head = append(data.Head, units[i].Label(n))
	}
	for k, p := range res.Points {
		if k == maxTableRows {
			data.Cut = fmt.Sprintf("Showing the first %d of %d rows.", maxTableRows, len(res.Points))
			break
		}
		row := append([]string(nil), p.Values...)
		for k, a := range g.Axes {
			// Plain numbers read better with SI prefixes (750K); durations
			// and sizes keep their own spelling (1ms, 64KiB).
			if a.Numbers != nil && a.Kind != scenario.Duration && a.Kind != scenario.Bytes && k < len(row) {
				row[k] = SI(a.Numbers[g.Coords(p.Index)[k]])
			}
		}
		for i, n := range names {
			s, ok := p.Summary(n)
			if !ok {
				row = append(row, "")
				continue
			}
			u := units[i]
			cell := SI(s.Mean * u.Scale)
			if s.N > 1 {
				cell += " [" + SI(s.Lo*u.Scale) + ", " + SI(s.Hi*u.Scale) + "]"
			}
			row = append(row, cell)
		}
		data.Rows = append(data.Rows, row)
	}
	var b strings.Builder
	if err := indexTmpl.Execute(&b, data); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index.html"), []byte(b.String()), 0o644)
}

type kv struct{ Key, Value string }

// changedParams turns the manifest's parameters (a JSON object of the keys
// set on the command line) into sorted rows; anything else is shown raw.
func changedParams(raw []byte) []kv {
	var m map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		if len(raw) == 0 || string(raw) == "null" || string(raw) == "{}" {
			return nil
		}
		return []kv{{"parameters", string(raw)}}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]kv, 0, len(keys))
	for _, k := range keys {
		v := m[k]
		s, ok := v.(string)
		if !ok {
			b, _ := json.Marshal(v)
			s = string(b)
		}
		out = append(out, kv{k, s})
	}
	return out
}

// PlanCharts builds one chart per SLO: the metric's mean and 95% CI at every
// evaluated value of the key, the SLO as a horizontal rule and the answer as
// a vertical one.
func PlanCharts(pr *experiment.PlanResult) (stems []string, charts []Plotter) {
	var xs []float64
	var pts []*experiment.Point
	for _, e := range pr.Evaluated {
		xs = append(xs, e.X)
		pts = append(pts, e.Point)
	}
	xu := KeyUnit(pr.Kind, xs)
	for _, o := range pr.SLOs {
		// An upper limit: show up to 3× the limit, where the decision is
		// made; the overloaded points (often orders of magnitude above)
		// would flatten the rest of the curve.
		ymax := math.Inf(1)
		if o.Op[0] == '<' && o.Value > 0 {
			ymax = 3 * o.Value
		}
		all := []float64{o.Value}
		clipped := 0
		for _, e := range pr.Evaluated {
			if s, ok := e.Point.Summary(o.Metric); ok {
				if s.Mean > ymax {
					clipped++
					continue
				}
				all = append(all, s.Mean, math.Min(s.Hi, ymax))
			}
		}
		u, title := UnitFor(o.Metric, experiment.MetricUnit(pts, o.Metric), all)
		s := Series{Name: "mean, 95% CI"}
		for _, e := range pr.Evaluated {
			sm, ok := e.Point.Summary(o.Metric)
			if !ok {
				continue
			}
			s.X = append(s.X, e.X*xu.Scale)
			s.Y = append(s.Y, sm.Mean*u.Scale)
			s.Lo = append(s.Lo, sm.Lo*u.Scale)
			s.Hi = append(s.Hi, sm.Hi*u.Scale)
		}
		l := &Line{Title: fmt.Sprintf("%s vs %s (SLO %s)", u.Label(title), pr.Key, o.Text), XLabel: xu.Label(pr.Key), YLabel: u.Label(title),
			Series: []Series{s}, Rules: []Rule{{At: o.Value * u.Scale, Label: "SLO " + o.Op + " " + fmtUnit(o.Value, u)}}}
		if clipped > 0 {
			l.YMax = ymax * u.Scale
			l.Series[0].Name = fmt.Sprintf("mean, 95%% CI (%d above 3× the SLO not shown)", clipped)
		}
		if len(xs) > 2 && xs[0] > 0 && xs[len(xs)-1]/xs[0] >= 16 {
			l.LogX = true
		}
		if pr.Found {
			l.Rules = append(l.Rules, Rule{Vertical: true, At: pr.Answer.X * xu.Scale, Label: pr.Key + "=" + pr.Answer.Value})
		}
		stems = append(stems, "plan_"+FileName(o.Metric))
		charts = append(charts, l)
	}
	return stems, charts
}

func fmtUnit(v float64, u Unit) string {
	s := fmt.Sprintf("%.4g", v*u.Scale)
	if u.Name != "" {
		s += " " + u.Name
	}
	return s
}

// WritePlan writes the plan's curves (PNG and SVG) into dir and returns the
// file stems.
func WritePlan(dir string, pr *experiment.PlanResult) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	stems, charts := PlanCharts(pr)
	if err := SaveAll(charts, dir, stems, 0); err != nil {
		return nil, err
	}
	return stems, nil
}
