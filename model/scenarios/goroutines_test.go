package scenarios_test

import (
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/scenario"
)

func runGoroutines(t *testing.T, sets []string, o scenario.Options) *scenario.Rep {
	t.Helper()
	sc := scenario.Lookup("goroutines")
	v, err := scenario.Parse(sc.Params, sets)
	if err != nil {
		t.Fatal(err)
	}
	r, err := scenario.RunOne(sc, v, 1, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func metric(t *testing.T, r *scenario.Rep, name string) float64 {
	t.Helper()
	v, ok := r.Metric(name)
	if !ok {
		t.Fatalf("no metric %s", name)
	}
	return v
}

func TestGoroutinesScenario(t *testing.T) {
	r := runGoroutines(t, []string{"duration=3s", "GOMAXPROCS=2"}, scenario.Options{Every: 50 * time.Millisecond})
	peak := metric(t, r, "goroutines_peak")
	// M/G/∞: ~1000 connections open after the first second (1000/s × 1 s).
	if peak < 900 || peak > 1200 {
		t.Errorf("goroutines_peak %v, want about 1000", peak)
	}
	// Every connection goroutine grew to 8 KiB.
	if sb := metric(t, r, "stack_bytes_peak"); sb > peak*8192 || sb < 0.95*peak*8192 {
		t.Errorf("stack_bytes_peak %v for %v goroutines", sb, peak)
	}
	for _, name := range []string{"runq_mean", "sched_latency_p99_ns", "steals", "handoffs", "preemptions", "spinning_ns", "p0_util", "p1_util"} {
		metric(t, r, name)
	}
	if _, ok := r.Metric("p2_util"); ok {
		t.Error("p2_util with GOMAXPROCS=2")
	}
	// The probes account for every goroutine: running, runnable or parked
	// on the netpoller (no Gs sleep or wait on sync objects here, and
	// handoffs, which would leave a G in a syscall without a P, are 0).
	if len(r.Series) < 50 || r.SeriesCols[1] != "goroutines" {
		t.Fatalf("series: %d rows, cols %v", len(r.Series), r.SeriesCols)
	}
	mostlyWaiting := 0
	for _, row := range r.Series {
		g, run, rq, nw := row[1], row[2], row[3], row[4]
		if g != run+rq+nw {
			t.Fatalf("t=%v: goroutines %v != running %v + runnable %v + netpoll %v", row[0], g, run, rq, nw)
		}
		if g > 100 && nw >= 0.95*g {
			mostlyWaiting++
		}
	}
	if mostlyWaiting < len(r.Series)*3/4 {
		t.Errorf("only %d of %d samples have ≥95%% of goroutines in IO wait", mostlyWaiting, len(r.Series))
	}
}

// One P cannot steal; more load means more goroutines and latency.
func TestGoroutinesScenarioKeys(t *testing.T) {
	one := runGoroutines(t, []string{"duration=1s", "GOMAXPROCS=1"}, scenario.Options{})
	if s := metric(t, one, "steals"); s != 0 {
		t.Errorf("steals %v with GOMAXPROCS=1", s)
	}
	heavy := runGoroutines(t, []string{"duration=1s", "GOMAXPROCS=1", "handler.cpu=90us", "load.rate=1100"}, scenario.Options{})
	if metric(t, heavy, "sched_latency_p99_ns") <= metric(t, one, "sched_latency_p99_ns") ||
		metric(t, heavy, "runq_mean") <= 10*metric(t, one, "runq_mean") {
		t.Errorf("heavier handler did not queue: p99 %v vs %v, runq %v vs %v",
			metric(t, heavy, "sched_latency_p99_ns"), metric(t, one, "sched_latency_p99_ns"),
			metric(t, heavy, "runq_mean"), metric(t, one, "runq_mean"))
	}
	sc := scenario.Lookup("goroutines")
	for _, bad := range []string{"GOMAXPROCS=0", "conn.requests=0", "load.rate=-1", "handler.cpu=fast", "conn.stack=1KiB"} {
		if _, err := scenario.Parse(sc.Params, []string{bad}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
