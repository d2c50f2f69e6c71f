package validate

import (
	"github.com/gohttpsim/gohttpsim/cmd/internal/child"
	"os"

	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
)

func TestMain(m *testing.M) {
	child.Main() // the cpubound and gc cases start this binary as their server and client
	os.Exit(m.Run())
}

// fake builds a case with fixed real values per run and a fixed sim value.
func fake(name string, real []float64, simv float64, simErr error, rules ...Rule) *Case {
	return &Case{
		Name: name, Metrics: []string{"m"}, Rules: rules,
		Real: func(ctx context.Context, run int) ([]float64, string, error) {
			return []float64{real[run%len(real)]}, "", nil
		},
		Sim: func(ctx context.Context, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
			return []float64{simv}, "", simErr
		},
	}
}

func TestRunVerdicts(t *testing.T) {
	fitted := fake("fitted", []float64{5}, 5, nil)
	fitted.Fitted = "k=1 fitted to this"
	cases := []*Case{
		fake("exact", []float64{7, 7, 7}, 7, nil),
		fake("exact-off", []float64{7, 7, 7}, 8, nil),
		fake("exact-real-varies", []float64{7, 8, 7}, 7, nil),
		fake("in", []float64{10, 12, 11}, 11.5, nil, EquivRel(0.2)),
		fake("out", []float64{10, 12, 11}, 14, nil, EquivRel(0.2)),
		fake("mode", []float64{299, 0, 299}, 299, nil, ModeRule),
		fake("mode-minority", []float64{299, 0, 299}, 0, nil, ModeRule),
		fake("missing", []float64{1, 2, 3}, 0, ErrModelNotAvailable),
		fake("broken", []float64{1}, 0, errors.New("boom")),
		fitted,
	}
	rows, err := Run(context.Background(), cases, Options{Runs: 3, Reps: 2})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Row{}
	for _, r := range rows {
		got[r.Name] = r
	}
	for name, want := range map[string]string{"exact": "agree", "exact-off": "disagree", "exact-real-varies": "disagree",
		"in": "agree", "out": "disagree", "mode": "agree", "mode-minority": "disagree", "fitted": "agree"} {
		if r := got[name]; r.Status != want || r.Agree != (want == "agree") {
			t.Errorf("%s: status %q agree %v, want %q", name, r.Status, r.Agree, want)
		}
	}
	if r := got["in"]; r.RealMin != 10 || r.RealMedian != 11 || r.RealMax != 12 || r.Sim != 11.5 || r.Rule != "±20%" || r.Margin != 2.2 {
		t.Errorf("in: %+v", r)
	}
	if r := got["missing"]; r.Agree || !strings.HasPrefix(r.Status, "skipped: model not available") || r.RealMax != 3 || !math.IsNaN(r.Sim) {
		t.Errorf("missing: skipped rows keep the real band and never agree: %+v", r)
	}
	if r := got["broken"]; r.Agree || !strings.Contains(r.Status, "boom") {
		t.Errorf("broken: %+v", r)
	}
	if a, n, f := Headline(rows); a != 3 || n != 9 || f != 1 {
		t.Errorf("Headline = %d of %d, %d fitted; want 3 of 9, 1 fitted", a, n, f)
	}
	if AllAgree(rows) || !AllAgree(rows[:1]) || AllAgree(nil) {
		t.Error("AllAgree")
	}
}

// TestTOST checks the equivalence rule against hand computations and its
// stated error rate: a model off by exactly the margin passes in at most
// ~5% of repeated experiments, a right one in most when the spread is
// small, and a spread too wide for the margin is inconclusive, never agree.
func TestTOST(t *testing.T) {
	// real 10, 12, 11 (mean 11, SE 1/sqrt(3)); sim 11 exact: df = 2,
	// t(0.95, 2) = 2.920, half-width 1.686.
	v := judge(EquivAbs(2), []float64{10, 12, 11}, []float64{11, 11}, false)
	if !v.agree || math.Abs(v.diffCI[1]-1.686) > 0.001 || math.Abs(v.diffCI[0]+1.686) > 0.001 {
		t.Errorf("margin 2: %+v", v)
	}
	if v := judge(EquivAbs(1.5), []float64{10, 12, 11}, []float64{11, 11}, false); v.agree || v.status != "inconclusive" || v.passIfRight != 0 {
		t.Errorf("margin 1.5 < t·SE: %+v", v)
	}
	// A steady offset with no spread: exactly the margin test.
	if v := judge(EquivAbs(0.5), []float64{301, 301, 301}, []float64{300}, false); v.agree || v.status != "disagree" {
		t.Errorf("1 ms offset against a 0.5 ms margin: %+v", v)
	}
	// Monte Carlo of the error rate: normal real runs (K=5, σ=1), a model
	// off by δ=3 (no spread). Passing must be rare (≤ 5% + MC error).
	r := rand.New(rand.NewPCG(1, 2))
	pass, passRight := 0, 0
	const n = 4000
	for range n {
		xs := make([]float64, 5)
		for i := range xs {
			xs[i] = r.NormFloat64()
		}
		if judge(EquivAbs(3), xs, []float64{3}, false).agree {
			pass++
		}
		if judge(EquivAbs(3), xs, []float64{0}, false).agree {
			passRight++
		}
	}
	if p := float64(pass) / n; p > 0.065 {
		t.Errorf("a model off by the margin passed %.3f of the time, want ≤ 0.05", p)
	}
	if p := float64(passRight) / n; p < 0.8 {
		t.Errorf("a right model passed only %.3f of the time", p)
	}
	// The reported probabilities: at most α off by the margin.
	v = judge(EquivAbs(3), []float64{-1, 0, 1, 0.5, -0.5}, []float64{0}, false)
	if v.passIfOff > tostAlpha+1e-9 || v.passIfRight < 0.9 {
		t.Errorf("reported probabilities %+v", v)
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
	rows, _ := Run(context.Background(), []*Case{fake("a", []float64{1, 2}, 1.5, nil, EquivAbs(10)), fake("b", []float64{1}, 0, ErrModelNotAvailable)}, Options{Runs: 2, Reps: 3})
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
		for _, k := range []string{"name", "metric", "real_min", "real_median", "real_max", "sim", "sim_ci95", "agree", "rule", "independent"} {
			if _, ok := m[k]; !ok {
				t.Errorf("missing %q in %s", k, l)
			}
		}
	}
	if !strings.Contains(lines[1], `"sim":null`) || !strings.Contains(lines[0], `"agree":true`) ||
		!strings.Contains(lines[0], `"margin":10`) || !strings.Contains(lines[0], `"p_pass_off_by_margin":`) {
		t.Errorf("rows:\n%s", buf.String())
	}
}

func TestTable(t *testing.T) {
	rows, _ := Run(context.Background(), []*Case{fake("a/b", []float64{1, 3, 2}, 2.5, nil, EquivAbs(5)), fake("c", []float64{1}, 0, ErrModelNotAvailable)}, Options{Runs: 3, Reps: 1})
	var buf bytes.Buffer
	WriteTable(&buf, rows)
	want := `CASE  METRIC  REAL min / median / max  SIM mean [95% CI]  RULE   AGREE
a/b   m       1 / 2 / 3                2.5                ±5     yes
c     m       1 / 1 / 1                -                  exact  skipped: model not available

1 of 2 independent rows agree
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
