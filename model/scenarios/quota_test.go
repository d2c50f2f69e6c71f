package scenarios

import (
	"math"
	"strconv"
	"testing"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// The done-when of the quota scenario: with GOMAXPROCS above the quota the
// GC's mark workers on every P use it up and CFS throttles (once per cycle,
// with a p99 stall of the throttled rest of a period); Go's default
// GOMAXPROCS (2 for a quota of 2) and GOMAXPROCS=1 are never throttled and
// keep p99 far lower, on the same arrivals.
func TestQuotaThrottlesAboveQuotaOnly(t *testing.T) {
	r := runHTTP(t, "quota", "duration=4s")
	if got := metric(t, r, "gomaxprocs"); got != 8 {
		t.Fatalf("gomaxprocs %v, want the configured 8", got)
	}
	cycles := metric(t, r, "gc_cycles")
	throttled := metric(t, r, "cpu_throttled_periods")
	if cycles < 2 || throttled < 1 || throttled > cycles+1 {
		t.Errorf("GOMAXPROCS=8 over a 2-core quota: %v throttled periods for %v GC cycles, want about one per cycle", throttled, cycles)
	}
	if metric(t, r, "cpu_throttled_ns") <= 0 || metric(t, r, "cpu_throttled_fraction") <= 0 {
		t.Errorf("throttled time or fraction zero")
	}
	if got := metric(t, r, "default_gomaxprocs"); got != 2 {
		t.Errorf("default GOMAXPROCS %v, want min(8, max(2, ceil(2))) = 2", got)
	}
	for _, p := range []string{"default_", "gomaxprocs1_"} {
		if got := metric(t, r, p+"cpu_throttled_periods"); got != 0 {
			t.Errorf("%s: %v throttled periods, want 0", p, got)
		}
		if metric(t, r, p+"latency_p99_ns")*10 > metric(t, r, "latency_p99_ns") {
			t.Errorf("%s p99 %v not far below the throttled server's %v", p, metric(t, r, p+"latency_p99_ns"), metric(t, r, "latency_p99_ns"))
		}
	}
	// A throttled period stalls for the rest of the period: the p99
	// reaches milliseconds.
	if p99 := metric(t, r, "latency_p99_ns"); p99 < 5e6 {
		t.Errorf("throttled p99 %v, want a stall of milliseconds", p99)
	}
}

// Closed forms on the throughput scenario:
//   - under a quota of q cores, a CPU-bound load is served at most at
//     q / (CPU per request), and throttled in (nearly) every period;
//   - on one host core, GOMAXPROCS=2 serves what GOMAXPROCS=1 serves (the
//     two Ms time-share the core) and half of what two cores serve.
func TestThroughputOnHostClosedForms(t *testing.T) {
	const perReq = 9.3e-6 // server.cpu 8.8µs + handler.cpu 0.5µs (hello)
	base := []string{"duration=2s", "load.rate=300000", "GOGC=-1"}
	rate := func(sets ...string) (float64, *scenario.Rep) {
		r := runHTTP(t, "throughput", append(append([]string{}, base...), sets...)...)
		return metric(t, r, "throughput_rps"), r
	}
	for _, q := range []float64{0.5, 1.5} {
		got, r := rate("GOMAXPROCS=4", "host.cpu.quota="+strconv.FormatFloat(q, 'g', -1, 64))
		max := q / perReq
		if got > max*1.001 || got < 0.9*max {
			t.Errorf("quota %v: served %.0f req/s, want at most %.0f and close to it", q, got, max)
		}
		if f := metric(t, r, "cpu_throttled_fraction"); f < 0.9 {
			t.Errorf("quota %v: throttled in %.2f of periods, want nearly all", q, f)
		}
	}
	one, _ := rate("GOMAXPROCS=1")
	shared, r := rate("GOMAXPROCS=2", "host.cores=1")
	two, _ := rate("GOMAXPROCS=2")
	if math.Abs(shared/one-1) > 0.03 {
		t.Errorf("GOMAXPROCS=2 on one core: %.0f req/s, GOMAXPROCS=1: %.0f (want equal)", shared, one)
	}
	if math.Abs(two/shared-2) > 0.1 {
		t.Errorf("GOMAXPROCS=2 on two cores %.0f vs one core %.0f, want twice", two, shared)
	}
	if u := metric(t, r, "host_cpu_utilization"); u < 0.99 {
		t.Errorf("the one core %.3f busy, want saturated", u)
	}
}

// GOMAXPROCS=0 is the runtime's default for the host; without a host it
// is refused with the reason. host.cores=0 and no quota leave the model as
// it was: no host metrics and the golden digests (TestHTTPGoldenDigests).
func TestGOMAXPROCSDefault(t *testing.T) {
	for _, tc := range []struct {
		sets []string
		want float64
	}{
		{[]string{"host.cores=8", "host.cpu.quota=1.5"}, 2},
		{[]string{"host.cores=8", "host.cpu.quota=2.1"}, 3},
		{[]string{"host.cores=1", "host.cpu.quota=4"}, 1},
		{[]string{"host.cores=6"}, 6},
		{[]string{"host.cpu.quota=0.5"}, 2},
	} {
		r := runHTTP(t, "throughput", append([]string{"duration=10ms", "load.rate=1000", "GOMAXPROCS=0"}, tc.sets...)...)
		if got := metric(t, r, "gomaxprocs"); got != tc.want {
			t.Errorf("%v: gomaxprocs %v, want %v", tc.sets, got, tc.want)
		}
	}
	sc := scenario.Lookup("throughput")
	v, err := scenario.Parse(sc.Params, []string{"GOMAXPROCS=0"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scenario.RunOne(sc, v, 1, scenario.Options{}); err == nil {
		t.Errorf("GOMAXPROCS=0 without host.cores or quota: no error")
	}
	r := runHTTP(t, "throughput", "duration=10ms")
	if _, ok := r.Metric("host_cpu_utilization"); ok {
		t.Errorf("host metrics without a host")
	}
}

// A load generator on the host takes CPU from the server: on 2 cores with
// GOMAXPROCS=2, a client spending as much CPU per request as the server
// halves the served rate compared with a client elsewhere.
func TestClientOnHost(t *testing.T) {
	base := []string{"duration=1s", "load.rate=400000", "GOGC=-1", "GOMAXPROCS=2", "host.cores=2"}
	off := metric(t, runHTTP(t, "throughput", base...), "throughput_rps")
	r := runHTTP(t, "throughput", append(base, "client.onhost=true", "client.cpu=9.3us")...)
	on := metric(t, r, "throughput_rps")
	if math.Abs(on/off-0.5) > 0.05 {
		t.Errorf("client on host: %.0f req/s vs %.0f off host, want half", on, off)
	}
	if got := metric(t, r, "client_cpu_ns"); math.Abs(got/(on*1*9.3e3)-1) > 0.05 {
		t.Errorf("client CPU %v ns for %.0f requests", got, on)
	}
}
