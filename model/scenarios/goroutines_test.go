package scenarios_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmpload"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
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

func column(t *testing.T, r *scenario.Rep, name string) int {
	t.Helper()
	for i, c := range r.SeriesCols {
		if c == name {
			return i
		}
	}
	t.Fatalf("no series column %s in %v", name, r.SeriesCols)
	return -1
}

// Sessions arrive at λ = 1000/s and each holds its connection (and its
// goroutine) for k requests of response time R with k−1 think times Z
// between them: an M/G/∞ system whose mean occupancy is
// λ·(k·R + (k−1)·E[Z]) ≈ 1000 × 0.9 s = 900 connections, each with one
// conn.serve goroutine of conn.stack bytes, nearly all parked on the
// netpoller.
func TestGoroutinesScenario(t *testing.T) {
	const stack = 32 << 10
	r := runGoroutines(t, []string{"duration=6s", "GOMAXPROCS=2", "conn.stack=32KiB"}, scenario.Options{Every: 50 * time.Millisecond})
	lat := metric(t, r, "latency_mean_ns")
	want := 1000 * (10*lat/1e9 + 9*0.1)
	open := column(t, r, "conns_open")
	var sum float64
	var n int
	for _, row := range r.Series {
		if row[0] >= 2e9 { // after the first sessions' lifetime (warm-up)
			sum += row[open]
			n++
		}
	}
	// The time average over 4 s of an M/G/∞ occupancy of mean 900 with
	// sessions of ~0.9 s has a standard deviation of ~2.5%.
	if mean := sum / float64(n); math.Abs(mean-want) > 0.08*want {
		t.Errorf("mean open connections %.0f, want λ·E[session] = %.0f", mean, want)
	}
	peak, conns := metric(t, r, "goroutines_peak"), metric(t, r, "conns_peak")
	if conns < want || conns > want+6*math.Sqrt(want) {
		t.Errorf("conns_peak %v, want in [%.0f, %.0f]", conns, want, want+6*math.Sqrt(want))
	}
	// The accept loop and GC mark workers are goroutines too; a connection
	// is counted from accept, a moment before its goroutine exists.
	if peak < conns || peak > conns+4 {
		t.Errorf("goroutines_peak %v for conns_peak %v", peak, conns)
	}
	// Every conn.serve goroutine grows to conn.stack; the others keep the
	// 2 KiB minimum.
	if sb := metric(t, r, "stack_bytes_peak"); sb < (conns-3)*stack || sb > conns*stack+4*2048 {
		t.Errorf("stack_bytes_peak %v for %v connections of %d bytes", sb, conns, stack)
	}
	for _, name := range []string{"runq_mean", "sched_latency_p99_ns", "steals", "handoffs", "preemptions", "netpolls", "spinning_ns", "p0_util", "p1_util", "p_util_mean", "throughput_rps"} {
		metric(t, r, name)
	}
	if _, ok := r.Metric("p2_util"); ok {
		t.Error("p2_util with GOMAXPROCS=2")
	}
	// The probes account for every goroutine: running, runnable or parked
	// on the netpoller (no Gs sleep or wait on sync objects with the hello
	// handler, and net/http's writes are not syscalls, so no G is in a
	// syscall without its P).
	if len(r.Series) < 100 || r.SeriesCols[1] != "goroutines" {
		t.Fatalf("series: %d rows, cols %v", len(r.Series), r.SeriesCols)
	}
	mostlyWaiting := 0
	for _, row := range r.Series {
		g, run, rq, nw := row[1], row[2], row[3], row[4]
		if g != run+rq+nw {
			t.Fatalf("t=%v: goroutines %v != running %v + runnable %v + netpoll %v", row[0], g, run, rq, nw)
		}
		if sb := row[column(t, r, "stack_bytes")]; g > 0 && sb < 2048*g {
			t.Fatalf("t=%v: %v stack bytes for %v goroutines", row[0], sb, g)
		}
		if g > 100 && nw >= 0.95*g {
			mostlyWaiting++
		}
	}
	if mostlyWaiting < len(r.Series)*3/4 {
		t.Errorf("only %d of %d samples have ≥95%% of goroutines in IO wait", mostlyWaiting, len(r.Series))
	}
}

// One P cannot steal; more load means more queueing; the scenario's keys
// reach the stack: conn.write and accept.cpu are CPU on the request's path.
func TestGoroutinesScenarioKeys(t *testing.T) {
	one := runGoroutines(t, []string{"duration=1s", "GOMAXPROCS=1"}, scenario.Options{})
	if s := metric(t, one, "steals"); s != 0 {
		t.Errorf("steals %v with GOMAXPROCS=1", s)
	}
	// In the first second (sessions ramping up) ~5,500 requests of ~83 µs:
	// ρ ≈ 0.47 on one P, against 0.07 with the default exp(7µs).
	heavy := runGoroutines(t, []string{"duration=1s", "GOMAXPROCS=1", "handler.cpu=exp(80us)"}, scenario.Options{})
	if metric(t, heavy, "sched_latency_p99_ns") <= metric(t, one, "sched_latency_p99_ns") ||
		metric(t, heavy, "runq_mean") <= 10*metric(t, one, "runq_mean") {
		t.Errorf("heavier handler did not queue: p99 %v vs %v, runq %v vs %v",
			metric(t, heavy, "sched_latency_p99_ns"), metric(t, one, "sched_latency_p99_ns"),
			metric(t, heavy, "runq_mean"), metric(t, one, "runq_mean"))
	}
	// At low load a request's latency is its CPU plus a few µs of
	// scheduling and netpoll: conn.write adds its 30 µs to every request.
	base := []string{"duration=2s", "handler.cpu=20us", "session.rate=100"}
	w0 := runGoroutines(t, append(base, "conn.write=0s"), scenario.Options{})
	w30 := runGoroutines(t, append(base, "conn.write=30us"), scenario.Options{})
	if d := metric(t, w30, "latency_mean_ns") - metric(t, w0, "latency_mean_ns"); math.Abs(d-30e3) > 3e3 {
		t.Errorf("conn.write=30us added %.0f ns to the mean latency", d)
	}
	// One request per connection: accept.cpu delays each (the accept loop
	// runs before go c.serve).
	acc := runGoroutines(t, append(base, "conn.write=0s", "conn.requests=1", "accept.cpu=1ms"), scenario.Options{})
	if l := metric(t, acc, "latency_mean_ns"); l < 1e6+20e3 || l > 1.2e6 {
		t.Errorf("accept.cpu=1ms: mean latency %v", l)
	}
	if c := metric(t, acc, "conns_accepted"); math.Abs(c-metric(t, acc, "completed")) > 2 {
		t.Errorf("conn.requests=1: %v connections for %v requests", c, metric(t, acc, "completed"))
	}
	// The stack's own keys are exposed; the replaced ones are not.
	sc := scenario.Lookup("goroutines")
	if _, err := scenario.Parse(sc.Params, []string{"net.rtt=1ms", "GOGC=50"}); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"GOMAXPROCS=-1", "conn.requests=0", "session.rate=-1", "handler.cpu=fast", "conn.stack=1KiB",
		"accept.cpu=0s", "load.rate=5", "session.requests=5", "server.cpu=1us", "load.clients=10"} {
		if _, err := scenario.Parse(sc.Params, []string{bad}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// -trace writes one JSON line per execute, in time order, for the Ps that
// exist; at least one per request (the conn's goroutine is woken by
// netpoll, or first scheduled, to read it).
func TestGoroutinesTrace(t *testing.T) {
	var buf bytes.Buffer
	r := runGoroutines(t, []string{"duration=200ms", "GOMAXPROCS=2"}, scenario.Options{Env: scenario.Env{Trace: &buf}})
	sc := bufio.NewScanner(&buf)
	var n int
	var last int64
	for sc.Scan() {
		var ev struct{ T, P, G *int64 }
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev.T == nil || ev.P == nil || ev.G == nil {
			t.Fatalf("line %d: %q: %v", n+1, sc.Text(), err)
		}
		if *ev.T < last || *ev.P < 0 || *ev.P >= 2 || *ev.G < 0 {
			t.Fatalf("line %d: %q after t=%d", n+1, sc.Text(), last)
		}
		last = *ev.T
		n++
	}
	if done := metric(t, r, "completed"); float64(n) < done || done < 100 {
		t.Errorf("%d executes for %v requests", n, done)
	}
}

// Golden digest of a short run at seed 42 (as `gohttpsim run -seed 42
// -set duration=2s goroutines` prints it): a change means the scenario's
// behaviour changed; update only with a reason in the commit message.
func TestGoroutinesGoldenDigest(t *testing.T) {
	sc := scenario.Lookup("goroutines")
	v, err := scenario.Parse(sc.Params, []string{"duration=2s"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := scenario.RunOne(sc, v, 42, scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := sim.DigestString(r.Digest); got != "ad90e1460f74404d" {
		t.Errorf("digest %s, golden ad90e1460f74404d", got)
	}
}

// BenchmarkGoroutines runs 1 simulated second of the default scenario on
// the HTTP stack beside the same load on model/gmpload (the scenario's
// former engine, scheduler only) as the baseline.
func BenchmarkGoroutines(b *testing.B) {
	b.Run("http-stack", func(b *testing.B) {
		sc := scenario.Lookup("goroutines")
		v, err := scenario.Parse(sc.Params, []string{"duration=1s"})
		if err != nil {
			b.Fatal(err)
		}
		var events, done float64
		for i := 0; i < b.N; i++ {
			r, err := scenario.RunOne(sc, v, uint64(i+1), scenario.Options{})
			if err != nil {
				b.Fatal(err)
			}
			events += float64(r.Events)
			v, _ := r.Metric("completed")
			done += v
		}
		b.ReportMetric(events/done, "events/request")
	})
	b.Run("gmpload", func(b *testing.B) {
		var events, done float64
		for i := 0; i < b.N; i++ {
			e := sim.NewEngine(uint64(i + 1))
			cfg := gmpload.DefaultConfig()
			cfg.Duration = time.Second
			l, err := gmpload.New(e, cfg)
			if err != nil {
				b.Fatal(err)
			}
			e.RunUntil(sim.Time(time.Second))
			events += float64(e.Events())
			done += float64(l.Stats().Completed)
		}
		b.ReportMetric(events/done, "events/request")
	})
}
