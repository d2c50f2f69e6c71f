package chart

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/gohttpsim/gohttpsim/sim/experiment"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// record draws c with Draw on a recording canvas of the report's size.
func record(t *testing.T, c Plotter) (Layout, *recorder.Canvas, float64, float64) {
	t.Helper()
	p, err := c.Plot()
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder.Canvas{}
	lay := Draw(p, draw.NewCanvas(rec, Width, Height))
	return lay, rec, p.Y.Min, p.Y.Max
}

func inside(r vg.Rectangle, pt vg.Point) bool {
	return pt.X >= r.Min.X && pt.X <= r.Max.X && pt.Y >= r.Min.Y && pt.Y <= r.Max.Y
}

func overlap(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

// Every legend entry's text is drawn outside the data area, inside the
// legend's strip, for both chart kinds.
func TestLegendOutsideData(t *testing.T) {
	heat := &Heat{Title: "latency_p99 (ms)", XLabel: "servers", YLabel: "load.rate",
		XNames: []string{"1", "2"}, YNames: []string{"1000", "2000"},
		Z: [][]float64{{2, 1}, {4, 2}}, Miss: [][2]int{{0, 1}}, MissLabel: []string{"misses SLO latency_p99 ≤ 3 ms"}}
	cases := []struct {
		name   string
		c      Plotter
		labels []string
	}{
		{"line", lineFixture(), []string{"load.rate=1000", "load.rate=2000", "SLO 2 ms", "answer"}},
		{"heat", heat, []string{"misses SLO latency_p99 ≤ 3 ms"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lay, rec, _, _ := record(t, c.c)
			if lay.Legend.Size().Y <= 0 || overlap(lay.Legend, lay.Data) {
				t.Fatalf("legend %v overlaps data %v", lay.Legend, lay.Data)
			}
			found := map[string]bool{}
			for _, a := range rec.Actions {
				fs, ok := a.(*recorder.FillString)
				if !ok {
					continue
				}
				for _, l := range c.labels {
					if fs.String == l {
						found[l] = true
						if inside(lay.Data, fs.Point) || !inside(lay.Legend, fs.Point) {
							t.Errorf("legend text %q at %v: data %v, legend %v", l, fs.Point, lay.Data, lay.Legend)
						}
					}
				}
			}
			for _, l := range c.labels {
				if !found[l] {
					t.Errorf("legend text %q not drawn", l)
				}
			}
		})
	}
}

// A chart without legend entries keeps the whole canvas.
func TestNoLegendNoStrip(t *testing.T) {
	h := &Heat{XNames: []string{"a"}, YNames: []string{"b"}, Z: [][]float64{{1}}}
	lay, _, _, _ := record(t, h)
	if lay.Legend != (vg.Rectangle{}) || lay.Data.Min.Y > 2*vg.Centimeter {
		t.Fatalf("layout %+v", lay)
	}
}

func sloSweep(t *testing.T) []experiment.SLO {
	o, err := experiment.ParseSLO("wait_mean_ns<=5ms")
	if err != nil {
		t.Fatal(err)
	}
	return []experiment.SLO{o}
}

// An SLO is a horizontal rule at its value on the metric's line chart, and
// an outline on exactly the heat-map cells whose CI misses it.
func TestSweepSLO(t *testing.T) {
	stems, charts := SweepCharts(fakeSweep(), sloSweep(t)...)
	if stems[0] != "wait_mean_ns" || stems[1] != "wait_mean_ns_heat" {
		t.Fatalf("stems %v", stems)
	}
	l := charts[0].(*Line)
	if len(l.Rules) != 1 || l.Rules[0] != (Rule{At: 5, Label: "SLO wait_mean ≤ 5 ms"}) {
		t.Fatalf("rules %+v", l.Rules)
	}
	if u := charts[2].(*Line); len(u.Rules) != 0 {
		t.Fatalf("utilization got the SLO: %+v", u.Rules)
	}
	// wait = 4ms/servers × (1 or 2), Hi = 1.1 × wait: misses 5 ms at
	// (servers=1, 500µs: 4.4) no, (1, 1ms: 8.8) yes, (2, 1ms: 4.4) no.
	h := charts[1].(*Heat)
	if len(h.Miss) != 1 || h.Miss[0] != [2]int{0, 1} || h.MissLabel[0] != "misses SLO wait_mean ≤ 5 ms" {
		t.Fatalf("heat misses %v %v", h.Miss, h.MissLabel)
	}

	lay, rec, ymin, ymax := record(t, l)
	want := lay.Data.Min.Y + vg.Length((5-ymin)/(ymax-ymin))*lay.Data.Size().Y
	ruled := false
	for _, a := range rec.Actions {
		s, ok := a.(*recorder.Stroke)
		if !ok || len(s.Path) != 2 {
			continue
		}
		a, b := s.Path[0].Pos, s.Path[1].Pos
		if math.Abs(float64(a.Y-want)) < 0.01 && a.Y == b.Y && a.X == lay.Data.Min.X && b.X == lay.Data.Max.X {
			ruled = true
		}
	}
	if !ruled {
		t.Errorf("no horizontal rule across the data area at y=%v (5 ms on %g..%g)", want, ymin, ymax)
	}
	var svg bytes.Buffer
	wt, err := WriterTo(l, Width, Height, "svg")
	if err != nil {
		t.Fatal(err)
	}
	wt.WriteTo(&svg)
	if !strings.Contains(svg.String(), ">SLO wait_mean ≤ 5 ms<") {
		t.Error("SVG lacks the SLO's legend entry")
	}
}

// On served vs offered, the knee is a vertical rule at the first offered
// rate the server serves less than 95% of, beside the served = offered
// diagonal.
func TestSweepKnee(t *testing.T) {
	rates := []float64{1000, 2000, 4000, 8000}
	served := []float64{1000, 1990, 3000, 3100}
	m := experiment.Manifest{Version: 1, Scenario: "fake", Reps: 2, Seed: 1, Points: 4, Shards: 1,
		Vary: []experiment.AxisJSON{{Key: "load.rate", Kind: scenario.Float, Values: []string{"1000", "2000", "4000", "8000"}, Numbers: rates}}}
	res := &experiment.Result{Manifest: m}
	for i := range rates {
		res.Points = append(res.Points, &experiment.Point{Index: i, Values: m.Grid().Values(i), Summaries: []scenario.NamedSummary{
			{Name: "throughput_rps", Summary: stats.Summary{N: 2, Mean: served[i], Lo: served[i] - 5, Hi: served[i] + 5}}}})
	}
	_, charts := SweepCharts(res)
	l := charts[0].(*Line)
	if len(l.Rules) != 1 || !l.Rules[0].Vertical || l.Rules[0].At != 4000 || !strings.HasPrefix(l.Rules[0].Label, "knee: served < 95% of offered from 4K") {
		t.Fatalf("rules %+v", l.Rules)
	}
	if d := l.Series[len(l.Series)-1]; d.Name != "offered" || d.Y[3] != 8000 {
		t.Fatalf("no served = offered diagonal: %+v", l.Series)
	}
	lay, rec, _, _ := record(t, l)
	for _, a := range rec.Actions {
		if fs, ok := a.(*recorder.FillString); ok && strings.HasPrefix(fs.String, "knee") && !inside(lay.Legend, fs.Point) {
			t.Errorf("knee label at %v outside legend %v", fs.Point, lay.Legend)
		}
	}
}
