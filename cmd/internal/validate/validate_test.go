package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
)

// fake builds a case with fixed real values per run and a fixed sim value.
func fake(name string, real []float64, simv float64, simErr error) *Case {
	return &Case{
		Name: name, Metrics: []string{"m"},
		Real: func(ctx context.Context, run int) ([]float64, string, error) {
			return []float64{real[run%len(real)]}, "", nil
		},
		Sim: func(ctx context.Context, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
			return []float64{simv}, "", simErr
		},
	}
}

func TestRunVerdicts(t *testing.T) {
	cases := []*Case{
		fake("in", []float64{10, 12, 11}, 11.5, nil),
		fake("edge", []float64{10, 12, 11}, 12, nil),
		fake("out", []float64{10, 12, 11}, 12.5, nil),
		fake("missing", []float64{1, 2, 3}, 0, ErrModelNotAvailable),
		fake("broken", []float64{1}, 0, errors.New("boom")),
	}
	rows, err := Run(context.Background(), cases, Options{Runs: 3, Reps: 2})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Row{}
	for _, r := range rows {
		got[r.Name] = r
	}
	if r := got["in"]; !r.Agree || r.RealMin != 10 || r.RealMedian != 11 || r.RealMax != 12 || r.Sim != 11.5 || r.Status != "agree" {
		t.Errorf("in: %+v", r)
	}
	if !got["edge"].Agree {
		t.Errorf("a value on the band's edge agrees: %+v", got["edge"])
	}
	if r := got["out"]; r.Agree || r.Status != "disagree" {
		t.Errorf("out: %+v", r)
	}
	if r := got["missing"]; r.Agree || !strings.HasPrefix(r.Status, "skipped: model not available") || r.RealMax != 3 || !math.IsNaN(r.Sim) {
		t.Errorf("missing: skipped rows keep the real band and never agree: %+v", r)
	}
	if r := got["broken"]; r.Agree || !strings.Contains(r.Status, "boom") {
		t.Errorf("broken: %+v", r)
	}
	if AllAgree(rows) || !AllAgree(rows[:2]) || AllAgree(nil) {
		t.Error("AllAgree")
	}
}

func TestInBandSlack(t *testing.T) {
	for _, c := range []struct {
		x, lo, hi, slack float64
		want             bool
	}{
		{1, 1, 1, 0, true}, {1.01, 1, 1, 0, false}, {1.09, 1, 1, 0.1, true}, {0.91, 1, 1, 0.1, true}, {0.89, 1, 1, 0.1, false},
		{math.NaN(), 0, 1, 0, false},
	} {
		if got := inBand(c.x, c.lo, c.hi, c.slack); got != c.want {
			t.Errorf("inBand(%v, %v, %v, %v) = %v", c.x, c.lo, c.hi, c.slack, got)
		}
	}
}

func TestSelect(t *testing.T) {
	names := Names(Select(All(), "pool"))
	if len(names) < 3 || !slices.Contains(names, "pool/MaxConnsPerHost-10") {
		t.Fatalf("pool selects %v", names)
	}
	if got := Names(Select(All(), "sched/spawn5")); !slices.Equal(got, []string{"sched/spawn5"}) {
		t.Fatalf("exact: %v", got)
	}
	if len(Select(All(), "poo")) != 0 {
		t.Fatal("a prefix must end at a /")
	}
	seen := map[string]bool{}
	for _, c := range All() {
		if seen[c.Name] || c.Doc == "" || len(c.Metrics) == 0 {
			t.Errorf("case %q: duplicate, or missing doc or metrics", c.Name)
		}
		seen[c.Name] = true
	}
	for _, family := range []string{"pool", "sched", "h2c", "slowloris", "throughput", "mux"} {
		if len(Select(All(), family)) == 0 {
			t.Errorf("no %s case", family)
		}
	}
}

func TestJSONContract(t *testing.T) {
	rows, _ := Run(context.Background(), []*Case{fake("a", []float64{1, 2}, 1.5, nil), fake("b", []float64{1}, 0, ErrModelNotAvailable)}, Options{Runs: 2, Reps: 3})
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one object per row:\n%s", buf.String())
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"name", "metric", "real_min", "real_median", "real_max", "sim", "sim_ci95", "agree"} {
			if _, ok := m[k]; !ok {
				t.Errorf("missing %q in %s", k, l)
			}
		}
	}
	if !strings.Contains(lines[1], `"sim":null`) || !strings.Contains(lines[0], `"agree":true`) {
		t.Errorf("rows:\n%s", buf.String())
	}
}

func TestTable(t *testing.T) {
	rows, _ := Run(context.Background(), []*Case{fake("a/b", []float64{1, 3, 2}, 2.5, nil), fake("c", []float64{1}, 0, ErrModelNotAvailable)}, Options{Runs: 3, Reps: 1})
	var buf bytes.Buffer
	WriteTable(&buf, rows)
	want := `CASE  METRIC  REAL min / median / max  SIM mean [95% CI]  AGREE
a/b   m       1 / 2 / 3                2.5                yes
c     m       1 / 1 / 1                -                  skipped: model not available

1 of 2 rows agree
`
	if buf.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", buf.String(), want)
	}
}

// TestSimOrders pins the simulated goroutine orders to the ones derived by
// hand from src/runtime/proc.go (go1.26): the last `go` sits in runnext
// and runs first; Gosched sends a G to the global queue, from which the
// next local-queue miss takes a batch of min(n, n/GOMAXPROCS+1).
func TestSimOrders(t *testing.T) {
	for _, c := range []struct {
		p    program
		want string
	}{
		{programs[0], "[4 0-3]"},
		{programs[1], "[2 0 1 2' 0' 1']"},
	} {
		o, err := simOrder(c.p, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := describeOrder(c.p, o); got != c.want {
			t.Errorf("%s: sim %s, want %s", c.p.name, got, c.want)
		}
	}
}

// TestMuxWired checks that the ServeMux case's simulated side runs on
// model/mux and that a difference would show: a corpus routed by the real
// mux with one outcome altered must lower the agreement.
func TestMuxWired(t *testing.T) {
	v, _, err := muxSim(0)
	if err != nil {
		t.Fatal(err)
	}
	if v[0] != 1 {
		t.Errorf("model/mux disagrees with net/http.ServeMux on corpus 0: agreement %v", v[0])
	}
	_, reqs := MuxCorpus(0)
	if len(reqs) != MuxCorpusSize {
		t.Fatal("corpus size")
	}
	if got := wildcardNames("GET example.com/a/{w1}/{$}"); !slices.Equal(got, []string{"w1"}) {
		t.Errorf("wildcardNames: %v", got)
	}
	if got := wildcardNames("/{a}/{rest...}"); !slices.Equal(got, []string{"a", "rest"}) {
		t.Errorf("wildcardNames: %v", got)
	}
}

// TestH2CSimWired pins the simulated frame sequence of a small response to
// the one Go's server writes (http2serverConn.serve then writeHeaders and
// one DATA with END_STREAM for a body under handlerChunkWriteSize).
func TestH2CSimWired(t *testing.T) {
	v, detail, err := h2cSim(context.Background(), h2cSetting{name: "hello", Body: 13}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "SETTINGS WINDOW_UPDATE SETTINGS[ACK] HEADERS DATA(13)[END_STREAM]"; detail != want || !slices.Equal(v, []float64{5, 1, 13}) {
		t.Errorf("got %v %q, want %q", v, detail, want)
	}
	if _, err := serverFrames([]byte(`{"stream":1,"type":"NOPE","flags":0,"length":0,"from":"server"}`)); err == nil {
		t.Error("an unknown frame type must be an error")
	}
}
