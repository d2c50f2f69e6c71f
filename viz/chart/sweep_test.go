package chart

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gohttpsim/gohttpsim/sim/experiment"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// fakeSweep is a 3×2 grid (servers × service.mean) with two metrics.
func fakeSweep() *experiment.Result {
	m := experiment.Manifest{Version: 1, Scenario: "fake", Params: []byte(`{"servers":1}`), Reps: 3, Seed: 1, Warmup: "mser5", Points: 6, Shards: 1,
		Vary: []experiment.AxisJSON{
			{Key: "servers", Kind: scenario.Int, Values: []string{"1", "2", "4"}, Numbers: []float64{1, 2, 4}},
			{Key: "service.mean", Kind: scenario.Duration, Values: []string{"500µs", "1ms"}, Numbers: []float64{5e5, 1e6}},
		}}
	res := &experiment.Result{Manifest: m}
	g := m.Grid()
	for i := range 6 {
		c := g.Coords(i)
		wait := 4e6 / m.Vary[0].Numbers[c[0]] * float64(c[1]+1)
		sum := func(v float64) stats.Summary { return stats.Summary{N: 3, Mean: v, Lo: v * 0.9, Hi: v * 1.1} }
		res.Points = append(res.Points, &experiment.Point{Index: i, Values: g.Values(i), Summaries: []scenario.NamedSummary{
			{Name: "wait_mean_ns", Unit: "ns", Summary: sum(wait)}, {Name: "utilization", Unit: "1", Summary: sum(0.8 / m.Vary[0].Numbers[c[0]])}}})
	}
	return res
}

func TestSweepCharts(t *testing.T) {
	stems, charts := SweepCharts(fakeSweep())
	if strings.Join(stems, " ") != "wait_mean_ns wait_mean_ns_heat utilization utilization_heat" {
		t.Fatalf("stems %v", stems)
	}
	l := charts[0].(*Line)
	if l.YLabel != "wait_mean (ms)" || l.XLabel != "servers" || len(l.Series) != 2 || l.Series[1].Name != "service.mean=1ms" || !l.LogX {
		t.Fatalf("line %+v", l)
	}
	if got := l.Series[1].Y; got[0] != 8 || got[2] != 2 { // ms
		t.Fatalf("y in ms: %v", got)
	}
	h := charts[1].(*Heat)
	if h.YLabel != "service.mean (ms)" || strings.Join(h.YNames, ",") != "0.5,1" || h.Z[1][0] != 8 {
		t.Fatalf("heat %+v", h)
	}
	if charts[2].(*Line).YLabel != "utilization (%)" {
		t.Fatal("utilization not in %")
	}
}

func TestWriteSweep(t *testing.T) {
	dir := t.TempDir()
	if err := WriteSweep(dir, fakeSweep(), 1); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"wait_mean_ns.png", "wait_mean_ns.svg", "utilization_heat.png", "index.html"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Fatalf("%s: %v", f, err)
		}
	}
	html, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	for _, want := range []string{`<img src="wait_mean_ns.png"`, "<th>wait_mean_ns (ms)</th>", "<td>8 [7.2, 8.8]</td>", "6 of 6 points, 3 replication(s)", "MSER-5"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
}

// Charts rendered in parallel are the same files as rendered one by one.
func TestWriteSweepParallel(t *testing.T) {
	serial, par := t.TempDir(), t.TempDir()
	if err := WriteSweep(serial, fakeSweep(), 1); err != nil {
		t.Fatal(err)
	}
	if err := WriteSweep(par, fakeSweep(), 4); err != nil {
		t.Fatal(err)
	}
	files, _ := os.ReadDir(serial)
	if len(files) < 4 {
		t.Fatalf("only %d files written", len(files))
	}
	for _, f := range files {
		a, _ := os.ReadFile(filepath.Join(serial, f.Name()))
		b, err := os.ReadFile(filepath.Join(par, f.Name()))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between serial and parallel rendering (%v)", f.Name(), err)
		}
	}
}

// The report leads with the headline metrics, folds the rest, lists the
// changed parameters as a table, prints numbers with SI prefixes and marks
// the knee of a served-versus-offered sweep.
func TestSweepReport(t *testing.T) {
	m := experiment.Manifest{Version: 1, Scenario: "throughput", Params: []byte(`{"GOMAXPROCS":"2","handler.kind":"json"}`), Reps: 1, Seed: 1, Warmup: "mser5", Points: 4, Shards: 1,
		Vary: []experiment.AxisJSON{{Key: "load.rate", Kind: scenario.Float, Values: []string{"250000", "500000", "750000", "1000000"}, Numbers: []float64{250000, 500000, 750000, 1000000}}}}
	res := &experiment.Result{Manifest: m}
	served := []float64{250000, 499000, 600000, 610000}
	p99 := []float64{20e3, 80e3, 5e6, 90e6}
	for i := range 4 {
		sum := func(v float64) stats.Summary { return stats.Summary{N: 1, Mean: v, Lo: v, Hi: v} }
		res.Points = append(res.Points, &experiment.Point{Index: i, Values: m.Grid().Values(i), Summaries: []scenario.NamedSummary{
			{Name: "completed", Unit: "{req}", Summary: sum(served[i] * 10)}, {Name: "latency_p99_ns", Unit: "ns", Summary: sum(p99[i])}, {Name: "throughput_rps", Unit: "req/s", Summary: sum(served[i])}}})
	}
	_, charts := SweepCharts(res)
	tp := charts[2].(*Line)
	if len(tp.Rules) != 1 || !tp.Rules[0].Vertical || tp.Rules[0].At != 750000 {
		t.Errorf("throughput knee rules %+v, want one at 750K", tp.Rules)
	}
	if !charts[1].(*Line).LogY {
		t.Errorf("p99 spanning 20 us .. 90 ms is not on a log axis")
	}
	dir := t.TempDir()
	if err := WriteSweep(dir, res, 1); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	html := string(b)
	head, fold := strings.Index(html, "Headline metrics"), strings.Index(html, "<details>")
	tpImg, p99Img, compImg := strings.Index(html, `src="throughput_rps.png"`), strings.Index(html, `src="latency_p99_ns.png"`), strings.Index(html, `src="completed.png"`)
	if !(head < tpImg && tpImg < p99Img && p99Img < fold && fold < compImg) {
		t.Errorf("order: headline %d throughput %d p99 %d fold %d completed %d", head, tpImg, p99Img, fold, compImg)
	}
	for _, want := range []string{"<td>handler.kind</td><td>json</td>", "<td>GOMAXPROCS</td><td>2</td>", "<td>600K</td>", "<td>750K</td>"} {
		if !strings.Contains(html, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if strings.Contains(html, "750000.00") || strings.Contains(html, `{"GOMAXPROCS"`) {
		t.Errorf("raw numbers or raw JSON parameters in the report")
	}
}

func TestSI(t *testing.T) {
	for v, want := range map[float64]string{750000: "750K", 2.3e6: "2.3M", 42: "42", 0.25: "0.25", 1500: "1.5K", 0: "0", 12.34: "12.3"} {
		if got := SI(v); got != want {
			t.Errorf("SI(%v) = %q, want %q", v, got, want)
		}
	}
}
