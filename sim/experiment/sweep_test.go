package experiment

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/gohttpsim/gohttpsim/model/scenarios"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

func mmcBase(t testing.TB, sets ...string) (*scenario.Scenario, *scenario.Values) {
	t.Helper()
	sc, err := scenario.Find("mmc")
	if err != nil {
		t.Fatal(err)
	}
	v, err := scenario.Parse(sc.Params, append([]string{"duration=2s", "warmup=200ms", "load.rate=2000"}, sets...))
	if err != nil {
		t.Fatal(err)
	}
	return sc, v
}

func TestParseAxis(t *testing.T) {
	_, base := mmcBase(t)
	cases := []struct {
		vary string
		want []string
	}{
		{"servers=1,2,4,8", []string{"1", "2", "4", "8"}},
		{"servers=1:5", []string{"1", "2", "3", "4", "5"}},
		{"servers=1:10:3", []string{"1", "4", "7", "10"}},
		{"servers=1:64:*2", []string{"1", "2", "4", "8", "16", "32", "64"}},
		{"servers=1:10:*1.5", []string{"1", "2", "3", "5", "8"}},
		{"service.mean=1ms:3ms:500us", []string{"1ms", "1.5ms", "2ms", "2.5ms", "3ms"}},
		{"service.mean=250us:1ms:*2", []string{"250µs", "500µs", "1ms"}},
		{"load.rate=0.1:0.3:0.1", []string{"0.1", "0.2", "0.3"}},
		{" servers = 3 ", []string{"3"}},
	}
	for _, c := range cases {
		a, err := ParseAxis(base, c.vary)
		if err != nil {
			t.Errorf("%s: %v", c.vary, err)
			continue
		}
		if !slices.Equal(a.Values, c.want) {
			t.Errorf("%s: got %q, want %q", c.vary, a.Values, c.want)
		}
	}
}

func TestParseAxisErrors(t *testing.T) {
	_, base := mmcBase(t)
	cases := []struct{ vary, want string }{
		{"nope=1,2", `unknown key "nope" (valid keys: servers, load.rate,`},
		{"servers=8:1", "empty range"},
		{"servers=", "empty range"},
		{"servers=1:8:0", "want a positive step"},
		{"servers=1:8:*1", "want a number above 1"},
		{"servers=0:8:*2", "needs LO > 0"},
		{"servers=0", "must be between 1 and"},
		{"servers=1,1", "appears twice"},
		{"servers=1:1e9", "more than"},
		{"service.mean=1ms:2ms", "needs a STEP"},
		{"service.mean=1:2:1", "bad duration"},
		{"servers", "want KEY=SPEC"},
	}
	for _, c := range cases {
		_, err := ParseAxis(base, c.vary)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want it to contain %q", c.vary, err, c.want)
		}
	}
}

func TestGridOrderAndShards(t *testing.T) {
	g := Grid{Axes: []Axis{{Key: "a", Values: []string{"1", "2"}}, {Key: "b", Values: []string{"x", "y", "z"}}}}
	if g.Len() != 6 {
		t.Fatal(g.Len())
	}
	var got []string
	for i := range g.Len() {
		got = append(got, strings.Join(g.Values(i), ""))
	}
	if want := []string{"1x", "1y", "1z", "2x", "2y", "2z"}; !slices.Equal(got, want) {
		t.Fatalf("order %q, want %q", got, want)
	}
	for i := range 10 {
		n := 0
		for s := range 3 {
			if InShard(i, s, 3) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("point %d in %d shards", i, n)
		}
	}
}

func TestMSER5(t *testing.T) {
	// 100 observations of a transient ramp from 50 down to 0, then 400 of
	// steady noise-free level 0: MSER-5 must cut at the end of the ramp.
	var xs []float64
	for i := range 100 {
		xs = append(xs, float64(100-i)/2)
	}
	for i := range 400 {
		xs = append(xs, float64(i%2)) // small alternation, no trend
	}
	drop, ok := MSER5(xs)
	if !ok || drop < 90 || drop > 110 {
		t.Fatalf("drop %d ok %v, want about 100", drop, ok)
	}
	// Stationary data: nothing to drop.
	if d, ok := MSER5(xs[100:]); d != 0 || !ok {
		t.Fatalf("stationary: drop %d ok %v", d, ok)
	}
	// A pure trend never settles: the rule hits its n/2 limit.
	var ramp []float64
	for i := range 200 {
		ramp = append(ramp, float64(i))
	}
	if _, ok := MSER5(ramp); ok {
		t.Fatal("a trend must report no steady state")
	}
}

func sweepCfg(t testing.TB, dir string, parallel, shard, shards int) *Config {
	sc, base := mmcBase(t)
	a, err := ParseAxis(base, "servers=1,2,3,4")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseAxis(base, "service.mean=200us,400us")
	if err != nil {
		t.Fatal(err)
	}
	return &Config{Scenario: sc, Base: base, Grid: Grid{Axes: []Axis{a, b}}, Reps: 3, Seed: 7,
		Parallel: parallel, Shard: shard, Shards: shards, Dir: dir}
}

func run(t testing.TB, c *Config) *Result {
	t.Helper()
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func read(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestIndependentOfParallelAndShards checks the contract: the same files
// whether run with 1 or 3 workers, or as 3 shards merged.
func TestIndependentOfParallelAndShards(t *testing.T) {
	tmp := t.TempDir()
	one := filepath.Join(tmp, "one")
	res := run(t, sweepCfg(t, one, 1, 0, 1))
	if len(res.Points) != 8 || res.Interrupted {
		t.Fatalf("points %d interrupted %v", len(res.Points), res.Interrupted)
	}
	par := filepath.Join(tmp, "par")
	run(t, sweepCfg(t, par, 3, 0, 1))
	var shards []string
	for s := range 3 {
		d := filepath.Join(tmp, "shard", string(rune('0'+s)))
		run(t, sweepCfg(t, d, 2, s, 3))
		shards = append(shards, d)
	}
	merged := filepath.Join(tmp, "merged")
	slices.Reverse(shards) // input order must not matter
	if _, err := Merge(shards, merged); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{CSVFile, UnitsFile, JournalFile, ManifestFile} {
		want := read(t, filepath.Join(one, f))
		for _, d := range []string{par, merged} {
			if got := read(t, filepath.Join(d, f)); !bytes.Equal(got, want) {
				t.Errorf("%s differs between %s and %s:\n%s\n---\n%s", f, one, d, got, want)
			}
		}
	}
	csv := string(read(t, filepath.Join(one, CSVFile)))
	head := strings.SplitN(csv, "\n", 2)[0]
	if !strings.HasPrefix(head, "servers,service.mean,completed_mean,completed_ci95_low,completed_ci95_high,") ||
		!strings.Contains(head, "warmup_mser5_ns_mean") || !strings.Contains(head, "steady_queue_mean") {
		t.Fatalf("header %s", head)
	}
	if n := strings.Count(csv, "\n"); n != 9 {
		t.Fatalf("%d csv lines, want 9", n)
	}
	// units.csv gives each metric's unit as the model declared it (the
	// journal carries them, so shards and merges keep them); the sweep's
	// own metrics (warm-up, steady_ probe means) have theirs too.
	units := string(read(t, filepath.Join(one, UnitsFile)))
	for _, want := range []string{"metric,unit\n", "\ncompleted,{req}\n", "\nlatency_p99_ns,ns\n", "\nthroughput_rps,req/s\n",
		"\nutilization,1\n", "\nwarmup_mser5_ns,ns\n", "\nsteady_queue,{req}\n"} {
		if !strings.Contains(units, want) {
			t.Errorf("units.csv lacks %q:\n%s", want, units)
		}
	}
	if strings.Contains(units, ",\n") {
		t.Errorf("units.csv has a metric without a unit:\n%s", units)
	}
}

// TestResumeAfterTornJournal simulates a crash: the journal keeps three
// points and a torn fourth line; -resume reruns only what is missing and
// ends with the same files as an uninterrupted run.
func TestResumeAfterTornJournal(t *testing.T) {
	tmp := t.TempDir()
	full := filepath.Join(tmp, "full")
	run(t, sweepCfg(t, full, 2, 0, 1))
	crash := filepath.Join(tmp, "crash")
	os.MkdirAll(crash, 0o755)
	os.WriteFile(filepath.Join(crash, ManifestFile), read(t, filepath.Join(full, ManifestFile)), 0o644)
	lines := strings.SplitAfter(string(read(t, filepath.Join(full, JournalFile))), "\n")
	kept := strings.Join(lines[:3*3], "") + lines[9][:20] // points 0..2, torn line
	os.WriteFile(filepath.Join(crash, JournalFile), []byte(kept), 0o644)

	c := sweepCfg(t, crash, 2, 0, 1)
	if err := c.Check(); !errors.Is(err, ErrExists) {
		t.Fatalf("without -resume: %v, want ErrExists", err)
	}
	c = sweepCfg(t, crash, 2, 0, 1)
	c.Resume = true
	var calls []int
	c.Progress = func(done, total int) { calls = append(calls, done) }
	run(t, c)
	if calls[0] != 3 || calls[len(calls)-1] != 8 || len(calls) != 6 {
		t.Fatalf("progress %v: want to start at 3 done and run 5 points", calls)
	}
	for _, f := range []string{CSVFile, UnitsFile, JournalFile} {
		if !bytes.Equal(read(t, filepath.Join(crash, f)), read(t, filepath.Join(full, f))) {
			t.Errorf("%s differs after resume", f)
		}
	}
	// Resuming with different settings is refused.
	c = sweepCfg(t, crash, 2, 0, 1)
	c.Resume, c.Reps = true, 5
	if err := c.Check(); err == nil || !strings.Contains(err.Error(), "different sweep (reps: 5 vs 3)") && !strings.Contains(err.Error(), "different sweep (reps: 3 vs 5)") {
		t.Fatalf("got %v", err)
	}
}

func TestGuards(t *testing.T) {
	sc, base := mmcBase(t)
	big, _ := ParseAxis(base, "servers=1:1000")
	big2, _ := ParseAxis(base, "load.rate=1:200:1")
	c := &Config{Scenario: sc, Base: base, Grid: Grid{Axes: []Axis{big, big2}}, Reps: 1}
	if err := c.Check(); err == nil || !strings.Contains(err.Error(), "200000 points, more than 100000") {
		t.Fatalf("big grid: %v", err)
	}
	c.Force = true
	if err := c.Check(); err != nil {
		t.Fatalf("-force: %v", err)
	}
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	c = &Config{Scenario: sc, Base: base, Reps: 1, Dir: filepath.Join(file, "sub")}
	if err := c.Check(); err == nil || !strings.Contains(err.Error(), "output directory") {
		t.Fatalf("unwritable: %v", err)
	}
	c = &Config{Scenario: sc, Base: base, Reps: 1, Shard: 3, Shards: 3}
	if err := c.Check(); err == nil {
		t.Fatal("shard 3/3 accepted")
	}
}

func TestMetricsFilterAndWarmup(t *testing.T) {
	c := sweepCfg(t, "", 2, 0, 1)
	c.Metrics = []string{"wait_mean_ns", "utilization"}
	c.Warmup = 500e6
	res := run(t, c)
	got := MetricNames(res.Points)
	want := []string{"wait_mean_ns", "utilization", MetricWarmup, "steady_queue", "steady_in_system", "steady_completed"}
	if !slices.Equal(got, want) {
		t.Fatalf("metrics %q, want %q", got, want)
	}
	c = sweepCfg(t, "", 2, 0, 1)
	c.Metrics = []string{"nope"}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), c); err == nil || !strings.Contains(err.Error(), `unknown metric "nope" (metrics of mmc: completed,`) {
		t.Fatalf("got %v", err)
	}
}
