package gmp

import (
	"math"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/host"
	"github.com/gohttpsim/gohttpsim/sim"
)

// burner is a CPU-bound program: n Gs each compute total in chunks of
// chunk; done records when the last one exits.
type burner struct {
	chunks int64
	chunk  time.Duration
	n      int
	left   int
	done   sim.Time
}

func (b *burner) Step(s *Sched, gp GID, arg int64) Action {
	if arg < 0 { // main: spawn the workers, then exit
		if -arg > int64(b.n) {
			return Exit()
		}
		s.SetArg(gp, arg-1)
		return Spawn(b, 0)
	}
	if arg == b.chunks {
		if b.left--; b.left == 0 {
			b.done = s.Now()
		}
		return Exit()
	}
	s.SetArg(gp, arg+1)
	return Compute(b.chunk)
}

// burn runs n Gs of total CPU each on GOMAXPROCS procs over hc (nil: no
// host) and returns the makespan and the host's stats.
func burn(t *testing.T, procs int, hc *host.Config, n int, total time.Duration) (time.Duration, host.Stats) {
	t.Helper()
	e := sim.NewEngine(1)
	cfg := Config{GOMAXPROCS: procs}
	var h *host.Host
	if hc != nil {
		var err error
		if h, err = host.New(e, *hc); err != nil {
			t.Fatal(err)
		}
		cfg.Host = h
	}
	s := New(e, cfg)
	const chunk = 50 * time.Microsecond
	b := &burner{chunks: int64(total / chunk), chunk: chunk, n: n, left: n}
	s.Go(b, -1)
	e.Run()
	var st host.Stats
	if h != nil {
		st = h.Stats()
	}
	return time.Duration(b.done), st
}

// A CPU-bound program takes as long on GOMAXPROCS=2 over one core as on
// GOMAXPROCS=1 (the two Ms time-share the core), within the scheduler's
// own overheads; with a core per P it takes half.
func TestOneCoreTwoPsIsOneP(t *testing.T) {
	const n, total = 8, 20 * time.Millisecond
	one, _ := burn(t, 1, nil, n, total)
	shared, st := burn(t, 2, &host.Config{Cores: 1}, n, total)
	own, _ := burn(t, 2, nil, n, total)
	if r := float64(shared) / float64(one); r < 0.98 || r > 1.02 {
		t.Errorf("GOMAXPROCS=2 on 1 core: %v, GOMAXPROCS=1: %v (ratio %.3f, want 1)", shared, one, r)
	}
	if r := float64(own) / float64(one); r < 0.48 || r > 0.52 {
		t.Errorf("GOMAXPROCS=2 with a core per P: %v vs %v (ratio %.3f, want 0.5)", own, one, r)
	}
	if u := float64(st.Busy) / float64(shared); u < 0.98 || u > 1 {
		t.Errorf("the one core was %.3f busy until the end, want ~1", u)
	}
}

// Under a quota of q cores a CPU-bound program of W total CPU needs W/q of
// wall time (q·P of CPU per period P), whatever GOMAXPROCS above q; it is
// throttled in every period but the last.
func TestQuotaCapsCPUBoundProgram(t *testing.T) {
	const n, total = 8, 100 * time.Millisecond // 800 ms of CPU
	for _, tc := range []struct {
		procs int
		quota float64
	}{{4, 1.5}, {8, 2}, {2, 1}} {
		got, st := burn(t, tc.procs, &host.Config{Cores: tc.procs, Quota: tc.quota}, n, total)
		want := time.Duration(float64(n*total) / tc.quota)
		// The last period ends early (no throttle); the scheduler's
		// own CPU (spawns, context switches, preemptions) adds a little.
		if got > want+want/1000 || got < want-host.DefaultPeriod {
			t.Errorf("%+v: makespan %v, want within a period below %v", tc, got, want)
		}
		wantThrottled := uint64(math.Floor(float64(n*total) / (tc.quota * float64(host.DefaultPeriod))))
		if d := int64(st.ThrottledPeriods) - int64(wantThrottled); d < -1 || d > 0 {
			t.Errorf("%+v: %d throttled periods, want %d", tc, st.ThrottledPeriods, wantThrottled)
		}
	}
}

// With a host, simulating the scheduler still allocates nothing per event.
func TestSteadyStateAllocsOnHost(t *testing.T) {
	e := sim.NewEngine(1)
	h, err := host.New(e, host.Config{Cores: 3, Quota: 2.5})
	if err != nil {
		t.Fatal(err)
	}
	c := newChurnOn(e, Config{GOMAXPROCS: 4, Host: h})
	e.RunUntil(sim.Time(300 * time.Millisecond))
	allocs := testing.AllocsPerRun(50, func() {
		e.RunUntil(e.Now().Add(time.Millisecond))
	})
	if allocs != 0 {
		t.Errorf("%v allocations per 1ms of simulated time, want 0", allocs)
	}
	if c.s.Stats().Preemptions == 0 {
		t.Errorf("no preemptions")
	}
}
