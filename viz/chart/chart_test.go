package chart

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goldenTolerance is the fraction of pixels allowed to differ: 0.2% is
// about 500 pixels of a 630×390 chart, room for font hinting but not for a
// moved point (which changes thousands).
const goldenTolerance = 0.002

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata")

// checkGolden renders c as PNG and compares it with testdata/name_golden.png
// within a small colour tolerance (font rasterisation may differ by a few
// pixels between machines).
func checkGolden(t *testing.T, c Plotter, name string) {
	t.Helper()
	wt, err := WriterTo(c, Width, Height, "png")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := wt.WriteTo(&got); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+"_golden.png")
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	ok, why, err := pngClose(got.Bytes(), want, goldenTolerance)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		out := filepath.Join(t.TempDir(), name+".png")
		os.WriteFile(out, got.Bytes(), 0o644)
		t.Fatalf("%s differs from %s: %s (got written to %s; go test -update accepts it)", name, path, why, out)
	}
}

func lineFixture() *Line {
	x := []float64{1, 2, 4, 8, 16}
	mk := func(name string, k float64) Series {
		s := Series{Name: name, X: x}
		for _, v := range x {
			y := k / v
			s.Y = append(s.Y, y)
			s.Lo = append(s.Lo, y*0.9)
			s.Hi = append(s.Hi, y*1.1)
		}
		return s
	}
	return &Line{Title: "wait_mean vs servers", XLabel: "servers", YLabel: "wait_mean (ms)", LogX: true,
		Series: []Series{mk("load.rate=1000", 10), mk("load.rate=2000", 20)},
		Rules:  []Rule{{At: 2, Label: "SLO 2 ms"}, {Vertical: true, At: 4, Label: "answer"}}}
}

func TestLineGolden(t *testing.T) { checkGolden(t, lineFixture(), "line") }

func TestLineCategoricalGolden(t *testing.T) {
	l := &Line{Title: "utilization by handler", XLabel: "handler.kind", YLabel: "utilization (%)",
		XNames: []string{"hello", "json", "db"},
		Series: []Series{{X: []float64{0, 1, 2}, Y: []float64{20, 45, math.NaN()}, Lo: []float64{18, 40, 0}, Hi: []float64{22, 50, 0}}}}
	checkGolden(t, l, "line_categorical")
}

func TestHeatGolden(t *testing.T) {
	h := &Heat{Title: "latency_p99 (ms)", XLabel: "servers", YLabel: "load.rate",
		XNames: []string{"1", "2", "4", "8"}, YNames: []string{"1000", "2000", "4000"},
		Z: [][]float64{{2, 1, 0.5, 0.25}, {4, 2, 1, 0.5}, {math.NaN(), 4, 2, 1}}}
	checkGolden(t, h, "heat")
}

// TestGoldenDetectsChange makes sure the tolerance is not so loose that a
// different chart passes.
func TestGoldenDetectsChange(t *testing.T) {
	a, b := lineFixture(), lineFixture()
	b.Series[0].Y[2] *= 3
	render := func(c Plotter) []byte {
		p, err := c.Plot()
		if err != nil {
			t.Fatal(err)
		}
		wt, _ := p.WriterTo(Width, Height, "png")
		var buf bytes.Buffer
		wt.WriteTo(&buf)
		return buf.Bytes()
	}
	ok, why, err := pngClose(render(a), render(b), goldenTolerance)
	if err != nil || ok {
		t.Fatalf("a moved point passed the golden comparison (ok=%v, %s, err=%v)", ok, why, err)
	}
}

func TestBadInput(t *testing.T) {
	l := &Line{Series: []Series{{X: []float64{1, 2}, Y: []float64{1}}}}
	if _, err := l.Plot(); err == nil || !strings.Contains(err.Error(), "lengths differ") {
		t.Fatalf("got %v", err)
	}
	h := &Heat{XNames: []string{"a"}, YNames: []string{"b"}, Z: [][]float64{{1, 2}}}
	if _, err := h.Plot(); err == nil {
		t.Fatal("bad heat map accepted")
	}
	allNaN := &Heat{XNames: []string{"a"}, YNames: []string{"b"}, Z: [][]float64{{math.NaN()}}}
	if _, err := allNaN.Plot(); err != nil {
		t.Fatal(err)
	}
}

// The display unit follows the declared unit, whatever the name says.
func TestUnitFor(t *testing.T) {
	cases := []struct {
		name, declared string
		vals           []float64
		unit           string
		title          string
		scale          float64
	}{
		{"latency_p99_ns", "ns", []float64{3e6, 40e6}, "ms", "latency_p99", 1e-6},
		{"wait_mean_ns", "ns", []float64{250, 900e3}, "µs", "wait_mean", 1e-3},
		{"duration_ns", "ns", []float64{30e9}, "s", "duration", 1e-9},
		{"makespan", "ns", []float64{30e9}, "s", "makespan", 1e-9},
		{"throughput_rps", "req/s", []float64{1e4}, "req/s", "throughput", 1},
		{"heap_bytes", "B", []float64{64 << 20}, "MiB", "heap", 1.0 / (1 << 20)},
		{"cpu_utilization", "1", []float64{0.5}, "%", "cpu_utilization", 100},
		{"stalled_streams_h2", "1", []float64{0.5}, "%", "stalled_streams_h2", 100},
		{"queue_mean", "{req}", []float64{3}, "req", "queue_mean", 1},
		{"events_per_request", "{event}/{req}", []float64{30}, "event/req", "events_per_request", 1},
		{"kib_per_conn", "KiB/{conn}", []float64{30}, "KiB/conn", "kib_per_conn", 1},
		// A name's suffix alone no longer decides: no unit, a plain number.
		{"old_latency_ns", "", []float64{3e6}, "", "old_latency_ns", 1},
	}
	for _, c := range cases {
		u, title := UnitFor(c.name, c.declared, c.vals)
		if u.Name != c.unit || title != c.title || u.Scale != c.scale {
			t.Errorf("%s (%s): %+v %q", c.name, c.declared, u, title)
		}
	}
}
