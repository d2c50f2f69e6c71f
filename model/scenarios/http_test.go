package scenarios

import (
	"math"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// conserver is implemented by models that account for every request.
type conserver interface {
	Conservation() (arrived, completed, failed uint64, inFlight int)
}

// unconserved lists the scenarios whose models do not implement
// Conservation, each with the reason.
var unconserved = map[string]string{}

// Every scenario's model accounts for its requests at every instant:
// arrived = completed + failed + in flight. A scenario without the
// accounting fails the test unless listed in unconserved.
func TestConservationEveryScenario(t *testing.T) {
	sets := map[string][]string{
		"million":  {"load.clients=20000", "duration=3s", "load.ramp=1s", "load.think=exp(1s)"},
		"timeouts": {"duration=12s", "Server.ReadHeaderTimeout=2s", "client.timeout=1s", "ulimit.n=1024"},
		"quota":    {"duration=3s"},
	}
	checked := 0
	for _, sc := range scenario.All() {
		v, err := scenario.Parse(sc.Params, sets[sc.Name])
		if err != nil {
			t.Fatal(err)
		}
		e := sim.NewEngine(3)
		m, err := sc.Build(e, v, &scenario.Env{})
		if err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
		c, ok := m.(conserver)
		if !ok {
			if why, exempt := unconserved[sc.Name]; !exempt {
				t.Errorf("%s: its model has no Conservation method", sc.Name)
			} else if why == "" {
				t.Errorf("%s: exempt without a reason", sc.Name)
			}
			continue
		}
		if _, exempt := unconserved[sc.Name]; exempt {
			t.Errorf("%s: exempt from conservation but has a Conservation method: remove it from unconserved", sc.Name)
		}
		checked++
		// Check between chunks of a prime number of events (so the
		// instants fall anywhere in a request's life), until the end or
		// until the model stops the engine (pool stops when done).
		for end, fin := m.End(), false; !fin; {
			fin = e.RunUntilN(end, 4093)
			a, done, f, in := c.Conservation()
			if a != done+f+uint64(in) {
				t.Fatalf("%s at %v: arrived %d ≠ completed %d + failed %d + in flight %d", sc.Name, e.Now(), a, done, f, in)
			}
		}
		t.Logf("%s: %d events, now %v", sc.Name, e.Events(), e.Now())
		if a, _, _, _ := c.Conservation(); a == 0 {
			t.Fatalf("%s: no requests arrived", sc.Name)
		}
	}
	if checked < len(scenario.All())-len(unconserved) {
		t.Fatalf("only %d scenarios checked", checked)
	}
}

func runHTTP(t *testing.T, name string, sets ...string) *scenario.Rep {
	t.Helper()
	sc := scenario.Lookup(name)
	v, err := scenario.Parse(sc.Params, sets)
	if err != nil {
		t.Fatal(err)
	}
	r, err := scenario.RunOne(sc, v, 1, scenario.Options{Every: time.Second})
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

// served returns the completions per second over the series rows from
// time from on.
func served(t *testing.T, r *scenario.Rep, from time.Duration) float64 {
	col := -1
	for i, c := range r.SeriesCols {
		if c == "completed" {
			col = i
		}
	}
	var first, last []float64
	for _, row := range r.Series {
		if row[0] >= float64(from) && first == nil {
			first = row
		}
		last = row
	}
	if first == nil || last[0] == first[0] {
		t.Fatal("series too short")
	}
	return (last[col] - first[col]) / ((last[0] - first[0]) / 1e9)
}

// Slowloris without a header deadline exhausts descriptors and the served
// rate collapses; ReadHeaderTimeout bounds the attack's connections and the
// service recovers.
func TestTimeoutsCollapseAndRecovery(t *testing.T) {
	without := runHTTP(t, "timeouts", "duration=20s")
	with := runHTTP(t, "timeouts", "duration=20s", "Server.ReadHeaderTimeout=5s")
	a, b := served(t, without, 14*time.Second), served(t, with, 14*time.Second)
	if a > 100 || b < 1800 {
		t.Fatalf("served after the attack: %.0f/s without ReadHeaderTimeout (want ≈ 0), %.0f/s with (want ≈ 2000)", a, b)
	}
	if metric(t, without, "accept_emfile") == 0 || metric(t, with, "closed_header_timeout") == 0 {
		t.Fatal("expected EMFILE without the timeout and header-timeout closes with it")
	}
	// TimeoutHandler(100ms) over exp(20ms) sleeps: P(503) = e^-5 ≈ 0.67%.
	done, e503 := metric(t, with, "completed"), metric(t, with, "failed_503")
	if p := e503 / (done + e503); math.Abs(p-math.Exp(-5)) > 0.003 {
		t.Fatalf("503 fraction %.4f, want ≈ %.4f", p, math.Exp(-5))
	}
}

// Behaviour checks of the throughput scenario, each against the default.
func TestThroughputMechanisms(t *testing.T) {
	base := runHTTP(t, "throughput", "duration=300ms")
	lat := metric(t, base, "latency_mean_ns")
	for _, tc := range []struct {
		name  string
		sets  []string
		check func(r *scenario.Rep) bool
	}{
		{"middleware adds CPU", []string{"handler.middleware=10", "handler.middleware.cpu=2us"},
			func(r *scenario.Rep) bool { return metric(t, r, "latency_mean_ns") > lat+15e3 }},
		{"json allocates more: more GC", []string{"handler.kind=json", "handler.alloc=64KiB"},
			func(r *scenario.Rep) bool {
				return metric(t, r, "gc_cycles") > 2*metric(t, base, "gc_cycles")
			}},
		{"db pool waits when MaxOpenConns is small", []string{"handler.kind=db", "load.rate=5000", "DB.MaxOpenConns=4"},
			func(r *scenario.Rep) bool {
				return metric(t, r, "db_pool_wait_count") > 100 && metric(t, r, "db_pool_open") <= 4
			}},
		{"MaxIdleConns closes surplus conns", []string{"handler.kind=db", "load.rate=5000"},
			func(r *scenario.Rep) bool { return metric(t, r, "db_pool_max_idle_closed") > 0 }},
		{"handler deadline cancels queries", []string{"handler.kind=db", "load.rate=5000", "DB.MaxOpenConns=4", "handler.timeout=5ms"},
			func(r *scenario.Rep) bool {
				return metric(t, r, "db_cancelled") > 0 && metric(t, r, "failed_503") > 0
			}},
		{"replicas share one database", []string{"handler.kind=db", "load.rate=3000", "db.workers=4", "server.replicas=4"},
			// 4 workers at 2 ms carry 2,000 queries/s whatever the
			// replica count; a database per replica would carry 8,000.
			func(r *scenario.Rep) bool {
				return metric(t, r, "db_utilization") > 0.97 && metric(t, r, "throughput_rps") < 2100 && metric(t, r, "db_queue_peak") > 100
			}},
		{"db.max_connections refuses the fleet's extra connections", []string{"handler.kind=db", "load.rate=5000", "server.replicas=2", "db.max_connections=8"},
			func(r *scenario.Rep) bool {
				return metric(t, r, "db_refused") > 0 && metric(t, r, "failed_other") > 0 && metric(t, r, "db_conns_peak") == 8
			}},
		{"the backend's default Transport dials and leaves TIME_WAIT", []string{"handler.kind=sequence", "handler.sequence=cpu(5us)+http(exp(2ms))", "load.rate=5000"},
			func(r *scenario.Rep) bool {
				return metric(t, r, "backend_dials") > 200 && metric(t, r, "backend_time_wait_peak") > 200 && metric(t, r, "errors") == 0
			}},
		{"MaxIdleConnsPerHost 100 reuses backend conns", []string{"handler.kind=sequence", "handler.sequence=cpu(5us)+http(exp(2ms))", "load.rate=5000", "Transport.MaxIdleConnsPerHost=100"},
			func(r *scenario.Rep) bool {
				return metric(t, r, "backend_dials") < 60 && metric(t, r, "backend_time_wait_peak") == 0
			}},
		{"431 beyond MaxHeaderBytes+4096", []string{"Server.MaxHeaderBytes=1KiB", "request.header=6KiB", "load.rate=1000"},
			func(r *scenario.Rep) bool { return metric(t, r, "completed") == 0 && metric(t, r, "failed_431") > 200 }},
		{"headers up to MaxHeaderBytes+4096 pass", []string{"Server.MaxHeaderBytes=1KiB", "request.header=5KiB", "load.rate=1000"},
			func(r *scenario.Rep) bool { return metric(t, r, "failed_431") == 0 && metric(t, r, "completed") > 200 }},
		{"two replicas share the load", []string{"server.replicas=2", "GOMAXPROCS=1", "load.rate=150000"},
			func(r *scenario.Rep) bool { return metric(t, r, "in_flight") < 100 }},
		{"one replica of one P saturates at 150K/s", []string{"GOMAXPROCS=1", "load.rate=150000"},
			func(r *scenario.Rep) bool { return metric(t, r, "in_flight") > 1000 }},
	} {
		r := runHTTP(t, "throughput", append([]string{"duration=300ms"}, tc.sets...)...)
		checkUnits(t, "throughput "+tc.name, r.Metrics) // db_*, backend_*: off in the goldens
		if !tc.check(r) {
			t.Errorf("%s: %v", tc.name, r.Metrics)
		}
	}
}

// Golden digests of short runs at seed 42 (as `gohttpsim run -seed 42`
// prints them). A change here means the HTTP stack's behaviour changed:
// update only with a reason in the commit message, never casually.
func TestHTTPGoldenDigests(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sets   []string
		digest string
	}{
		{"throughput", []string{"duration=50ms"}, "5cc47ba58dd79a5f"},
		{"timeouts", []string{"duration=3s"}, "dabde0b01e5d270e"},
		{"million", []string{"load.clients=5000", "duration=1s"}, "9eb0d601534370ad"},
	} {
		sc := scenario.Lookup(tc.name)
		v, err := scenario.Parse(sc.Params, tc.sets)
		if err != nil {
			t.Fatal(err)
		}
		r, err := scenario.RunOne(sc, v, 42, scenario.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := sim.DigestString(r.Digest); got != tc.digest {
			t.Errorf("%s %v: digest %s, golden %s", tc.name, tc.sets, got, tc.digest)
		}
	}
}

// checkUnits fails on a metric without a unit: every scenario declares
// one per metric (sim/scenario's doc, "Metric units"), so front ends never
// guess it from the name.
func checkUnits(t *testing.T, name string, ms []scenario.Metric) {
	t.Helper()
	for _, m := range ms {
		if m.Unit == "" {
			t.Errorf("%s: metric %s has no unit", name, m.Name)
		}
	}
}
