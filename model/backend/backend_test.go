package backend_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/backend"
	"github.com/gohttpsim/gohttpsim/model/mmc"
	"github.com/gohttpsim/gohttpsim/model/transport"
	"github.com/gohttpsim/gohttpsim/sim"
)

// caller issues Poisson calls of exponential service time through one
// Client, as a replica's handlers would.
type caller struct {
	e          *sim.Engine
	h          sim.HandlerID
	c          *backend.Client
	rng        *rand.Rand
	gap, mean  float64
	free       []int32
	n          int32
	done, fail int
}

func newCaller(t testing.TB, e *sim.Engine, s *backend.Service, name string, rate float64, mean time.Duration) *caller {
	c, err := s.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	k := &caller{e: e, c: c, rng: e.Stream(name), gap: 1e9 / rate, mean: float64(mean)}
	k.h = e.Register(k)
	c.SetOwner(k)
	e.After(0, k.h, 0, 0, 0)
	return k
}

func (k *caller) Handle(ev sim.Event) {
	var x int32
	if n := len(k.free); n > 0 {
		x = k.free[n-1]
		k.free = k.free[:n-1]
	} else {
		x = k.n
		k.n++
	}
	k.c.Do(x, time.Duration(k.rng.ExpFloat64()*k.mean))
	k.e.After(time.Duration(k.rng.ExpFloat64()*k.gap), k.h, 0, 0, 0)
}

func (k *caller) Done(x int32, ok bool) {
	if ok {
		k.done++
	} else {
		k.fail++
	}
	k.free = append(k.free, x)
}

func newService(t testing.TB, e *sim.Engine, cfg backend.Config) *backend.Service {
	t.Helper()
	s, err := backend.New(e, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Two replicas calling one service of c = 3 workers: it is one M/M/3 queue
// at the total rate (Erlang C wait), whatever the Transports do.
func TestServiceIsMMc(t *testing.T) {
	const c = 3
	mean := time.Millisecond
	for _, rho := range []float64{0.5, 0.8} {
		e := sim.NewEngine(4)
		tr := transport.DefaultConfig()
		tr.MaxIdleConnsPerHost = 1000
		s := newService(t, e, backend.Config{Workers: c, Latency: 100 * time.Microsecond, Transport: tr})
		lambda := rho * c / mean.Seconds()
		a := newCaller(t, e, s, "a", lambda/2, mean)
		b := newCaller(t, e, s, "b", lambda/2, mean)
		e.RunUntil(sim.Time(100 * time.Second))
		st := s.Stats()
		_, wq := mmc.ErlangC(c, lambda, 1/mean.Seconds())
		got := st.QueueWait.Seconds() / float64(st.Completed)
		if math.Abs(got-wq)/wq > 0.06 {
			t.Errorf("ρ=%.1f: wait for a worker %.3gs, Erlang C %.3gs", rho, got, wq)
		}
		if u := s.Utilization(); math.Abs(u-rho) > 0.02 {
			t.Errorf("ρ=%.1f: utilization %.3f", rho, u)
		}
		if a.fail+b.fail != 0 {
			t.Errorf("%d failed calls", a.fail+b.fail)
		}
	}
}

// Go's default MaxIdleConnsPerHost (2) under ~20 concurrent calls: most
// returned connections find the idle list full and are closed, so the
// replicas keep dialing and their closed sockets pile up in TIME_WAIT.
// With MaxIdleConnsPerHost 100 the same load reuses its connections.
func TestDefaultIdleLimitDials(t *testing.T) {
	run := func(perHost int) (backend.Stats, *transport.Stats) {
		e := sim.NewEngine(9)
		tr := transport.DefaultConfig()
		tr.MaxIdleConnsPerHost = perHost
		s := newService(t, e, backend.Config{Latency: 200 * time.Microsecond, Transport: tr})
		newCaller(t, e, s, "a", 10000, 2*time.Millisecond) // ~20 in flight
		e.RunUntil(sim.Time(2 * time.Second))
		return s.Stats(), s.Pool().Stats()
	}
	def, defPool := run(0)
	big, bigPool := run(100)
	if defPool.Dials < 2000 || def.TimeWaitPeak < 1000 {
		t.Errorf("default: %d dials, TIME_WAIT peak %d; want thousands", defPool.Dials, def.TimeWaitPeak)
	}
	if bigPool.Dials > 100 || big.TimeWaitPeak != 0 {
		t.Errorf("MaxIdleConnsPerHost 100: %d dials, TIME_WAIT peak %d", bigPool.Dials, big.TimeWaitPeak)
	}
	if def.Completed < 19000 || big.Completed < 19000 {
		t.Errorf("completed %d, %d", def.Completed, big.Completed)
	}
}

func TestDeterministicAndNoAllocs(t *testing.T) {
	run := func() backend.Stats {
		e := sim.NewEngine(2)
		s := newService(t, e, backend.Config{Workers: 4, Latency: 100 * time.Microsecond, Transport: transport.DefaultConfig()})
		newCaller(t, e, s, "a", 1500, 2*time.Millisecond)
		newCaller(t, e, s, "b", 1500, 2*time.Millisecond)
		e.RunUntil(sim.Time(3 * time.Second))
		return s.Stats()
	}
	if a, b := run(), run(); a != b {
		t.Fatalf("%+v\n%+v", a, b)
	}
	e := sim.NewEngine(3)
	tr := transport.DefaultConfig()
	tr.MaxIdleConnsPerHost = 100
	s := newService(t, e, backend.Config{Workers: 4, Latency: 100 * time.Microsecond, Transport: tr})
	newCaller(t, e, s, "a", 1500, 2*time.Millisecond)
	e.RunUntil(sim.Time(2 * time.Second))
	now := e.Now()
	if n := testing.AllocsPerRun(20, func() {
		now += sim.Time(10 * time.Millisecond)
		e.RunUntil(now)
	}); n != 0 {
		t.Fatalf("%v allocations per 10 ms of calls", n)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []backend.Config{{Workers: -1}, {Latency: -1}, {Transport: transport.Config{MaxIdleConns: -1}}} {
		if _, err := backend.New(sim.NewEngine(1), cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}
