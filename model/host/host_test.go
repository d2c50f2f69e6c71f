package host

import (
	"errors"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// loop is a Runner whose threads each burn total CPU in spans of span,
// asking for the next span from inside CPUDone (a CPU-bound thread).
type loop struct {
	x      *Host
	span   time.Duration
	left   []time.Duration
	done   []sim.Time
	starts []int
}

func (l *loop) CPUDone(entity int32, tag int64) {
	if l.left[entity] <= 0 {
		l.done[entity] = l.x.e.Now()
		return
	}
	d := min(l.span, l.left[entity])
	l.left[entity] -= d
	l.x.Run(ThreadID(entity), d, tag)
}

// newLoop starts n CPU-bound threads of total CPU each at time 0.
func newLoop(t *testing.T, cfg Config, n int, total, span time.Duration) (*sim.Engine, *Host, *loop) {
	t.Helper()
	e := sim.NewEngine(1)
	x, err := New(e, cfg)
	if err != nil {
		t.Fatal(err)
	}
	l := &loop{x: x, span: span, left: make([]time.Duration, n), done: make([]sim.Time, n)}
	for i := range n {
		x.NewThread(l, int32(i))
		l.left[i] = total
	}
	for i := range n {
		d := min(span, l.left[i])
		l.left[i] -= d
		x.Run(ThreadID(i), d, 0)
	}
	return e, x, l
}

func TestSingleThreadRunsUndisturbed(t *testing.T) {
	e, x, l := newLoop(t, Config{Cores: 1}, 1, 5*time.Millisecond, 100*time.Microsecond)
	e.Run()
	if l.done[0] != sim.Time(5*time.Millisecond) {
		t.Fatalf("done at %v, want 5ms", l.done[0])
	}
	if st := x.Stats(); st.Busy != 5*time.Millisecond || st.Utilization() != 1 {
		t.Fatalf("%+v", st)
	}
}

// N CPU-bound threads on C < N cores: the host is work-conserving (the last
// finishes at N·W/C) and fair (round-robin: every thread finishes within a
// slice per thread of the end).
func TestTimeSharingIsWorkConservingAndFair(t *testing.T) {
	for _, tc := range []struct{ cores, threads int }{{1, 2}, {1, 3}, {2, 3}, {2, 5}, {4, 9}} {
		const w = 20 * time.Millisecond
		cfg := Config{Cores: tc.cores}
		e, x, l := newLoop(t, cfg, tc.threads, w, 50*time.Microsecond)
		e.Run()
		end := sim.Time(int64(w) * int64(tc.threads) / int64(tc.cores))
		slice := BaseSlice(tc.cores)
		var last sim.Time
		for i, d := range l.done {
			last = max(last, d)
			if d < end-sim.Time(int64(slice)*int64(tc.threads)) {
				t.Errorf("%+v: thread %d done at %v, long before %v (unfair)", tc, i, d, end)
			}
		}
		// Slices are whole: when fewer threads than cores are left,
		// a core may idle for up to one slice at the very end.
		if diff := last - end; diff < 0 || diff > sim.Time(slice) {
			t.Errorf("%+v: last done at %v, want within a slice after %v (work-conserving)", tc, last, end)
		}
		if st := x.Stats(); st.Busy != time.Duration(tc.threads)*w {
			t.Errorf("%+v: busy %v", tc, st.Busy)
		}
	}
}

// A thread that keeps asking from inside CPUDone keeps its core until its
// slice ends; only then does the waiting thread get it.
func TestSliceThenRoundRobin(t *testing.T) {
	e := sim.NewEngine(1)
	x, _ := New(e, Config{Cores: 1})
	l := &loop{x: x, span: 10 * time.Microsecond, left: []time.Duration{time.Second, 0}, done: make([]sim.Time, 2)}
	a := x.NewThread(l, 0)
	b := x.NewThread(l, 1)
	x.Run(a, 10*time.Microsecond, 0)
	x.Run(b, time.Microsecond, 0) // waits
	e.RunUntil(sim.Time(10 * time.Millisecond))
	if want := sim.Time(BaseSlice(1) + time.Microsecond); l.done[1] != want {
		t.Fatalf("b done at %v, want after a's slice: %v", l.done[1], want)
	}
}

// RunFront puts a thread ahead of those already waiting.
func TestRunFront(t *testing.T) {
	e := sim.NewEngine(1)
	x, _ := New(e, Config{Cores: 1})
	l := &loop{x: x, left: make([]time.Duration, 3), done: make([]sim.Time, 3)}
	for i := range 3 {
		x.NewThread(l, int32(i))
	}
	x.Run(0, time.Millisecond, 0)
	x.Run(1, time.Millisecond, 0)
	x.RunFront(2, time.Millisecond, 0)
	e.Run()
	if !(l.done[0] < l.done[2] && l.done[2] < l.done[1]) {
		t.Fatalf("done %v: want 0, 2, 1", l.done)
	}
}

// CFS bandwidth, closed forms: n CPU-bound threads on c cores under a quota
// q < min(n, c) use exactly q·P per period, are throttled in every period
// after (q·P)/min(n,c) of it, and each throttled core counts the rest of the
// period (cpu.stat throttled_usec sums per CPU).
func TestQuotaThrottlesEveryPeriod(t *testing.T) {
	for _, tc := range []struct {
		cores, threads int
		quota          float64
	}{{1, 1, 0.5}, {4, 4, 1.5}, {4, 8, 1.5}, {8, 8, 2}, {2, 3, 1.25}} {
		const periods = 10
		const p = 100 * time.Millisecond
		cfg := Config{Cores: tc.cores, Quota: tc.quota}
		e, x, _ := newLoop(t, cfg, tc.threads, time.Hour, 100*time.Microsecond)
		e.RunUntil(sim.Time(periods * p))
		st := x.Stats()
		wantBusy := time.Duration(tc.quota * float64(periods*p))
		if d := st.Busy - wantBusy; d < -time.Microsecond || d > time.Microsecond {
			t.Errorf("%+v: busy %v, want %v", tc, st.Busy, wantBusy)
		}
		if st.Periods != periods || st.ThrottledPeriods != periods || st.ThrottledFraction() != 1 {
			t.Errorf("%+v: periods %d, throttled %d", tc, st.Periods, st.ThrottledPeriods)
		}
		on := min(tc.threads, tc.cores)
		runFor := time.Duration(tc.quota * float64(p) / float64(on))
		want := time.Duration(periods*on) * (p - runFor)
		if d := st.ThrottledTime - want; d < -time.Microsecond*periods || d > time.Microsecond*periods {
			t.Errorf("%+v: throttled %v, want %v", tc, st.ThrottledTime, want)
		}
	}
}

// Below the quota nothing is throttled, and a process that goes idle stops
// the period timer (no period is counted while it sleeps).
func TestQuotaAboveUseNeverThrottles(t *testing.T) {
	e, x, _ := newLoop(t, Config{Cores: 4, Quota: 3}, 2, 500*time.Millisecond, 100*time.Microsecond)
	e.RunUntil(sim.Time(10 * time.Second))
	st := x.Stats()
	if st.ThrottledPeriods != 0 || st.ThrottledTime != 0 || st.Throttles != 0 {
		t.Fatalf("%+v", st)
	}
	// 5 busy periods, then one idle period deactivates the timer.
	if st.Periods != 6 {
		t.Fatalf("periods %d, want 6 (5 busy + the idle one that stops the timer)", st.Periods)
	}
}

// Throttling stops threads mid-span: a 300 ms span under a 0.5-core quota
// ends after 5.5 periods' worth of wall time (50 ms of CPU per 100 ms).
func TestThrottleStopsSpanMidway(t *testing.T) {
	e := sim.NewEngine(1)
	x, _ := New(e, Config{Cores: 1, Quota: 0.5})
	l := &loop{x: x, left: []time.Duration{0}, done: []sim.Time{0}}
	x.NewThread(l, 0)
	x.Run(0, 300*time.Millisecond, 0)
	e.Run()
	if want := sim.Time(550 * time.Millisecond); l.done[0] != want {
		t.Fatalf("done at %v, want %v", l.done[0], want)
	}
}

// Preempt returns the CPU not received; Release hands the core on.
func TestPreemptRelease(t *testing.T) {
	e := sim.NewEngine(1)
	x, _ := New(e, Config{Cores: 1})
	l := &loop{x: x, left: []time.Duration{0, 0}, done: make([]sim.Time, 2)}
	a, b := x.NewThread(l, 0), x.NewThread(l, 1)
	x.Run(a, 10*time.Millisecond, 0)
	x.Run(b, time.Millisecond, 0)
	e.RunUntil(sim.Time(300 * time.Microsecond))
	if r := x.Preempt(a); r != 10*time.Millisecond-300*time.Microsecond {
		t.Fatalf("remain %v", r)
	}
	x.Release(a)
	e.Run()
	if l.done[1] != sim.Time(1300*time.Microsecond) || l.done[0] != 0 {
		t.Fatalf("done %v", l.done)
	}
}

func TestNewErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want error
	}{
		{Config{}, ErrCores},
		{Config{Cores: 1, Quota: -1}, ErrQuota},
		{Config{Cores: 1, Period: time.Microsecond}, ErrPeriod},
		{Config{Cores: 1, Period: 2 * time.Second}, ErrPeriod},
	} {
		if _, err := New(sim.NewEngine(1), tc.cfg); !errors.Is(err, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.cfg, err, tc.want)
		}
	}
}

func TestBaseSlice(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{1, 750 * time.Microsecond}, {2, 1500 * time.Microsecond}, {3, 1500 * time.Microsecond}, {4, 2250 * time.Microsecond}, {8, 3 * time.Millisecond}, {64, 3 * time.Millisecond}} {
		if got := BaseSlice(tc.n); got != tc.want {
			t.Errorf("BaseSlice(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}

func TestDefaultGOMAXPROCS(t *testing.T) {
	for _, tc := range []struct {
		cores int
		quota float64
		want  int
	}{
		{8, 0, 8},   // no limit: the affinity count
		{8, 1.5, 2}, // ceil(1.5) = 2
		{8, 0.5, 2}, // a limit below 2 rounds up to 2
		{1, 0.5, 1}, // ... but never above the CPUs
		{8, 2.1, 3}, // fractions round up
		{2, 4, 2},   // a quota above the CPUs does not raise it
		{16, 4, 4},
	} {
		if got := DefaultGOMAXPROCS(tc.cores, tc.quota); got != tc.want {
			t.Errorf("DefaultGOMAXPROCS(%d, %v) = %d, want %d", tc.cores, tc.quota, got, tc.want)
		}
	}
}

// Same inputs, same digest; and no allocation per event in steady state.
func TestDeterministicAndAllocFree(t *testing.T) {
	digest := func() uint64 {
		e, _, _ := newLoop(t, Config{Cores: 2, Quota: 1.5}, 5, time.Second, 30*time.Microsecond)
		e.RunUntil(sim.Time(time.Second))
		return e.Digest()
	}
	if a, b := digest(), digest(); a != b {
		t.Fatalf("digests differ: %x %x", a, b)
	}
	e, _, _ := newLoop(t, Config{Cores: 2, Quota: 1.5}, 5, time.Hour, 30*time.Microsecond)
	e.RunUntil(sim.Time(time.Second)) // warm the queue
	n := testing.AllocsPerRun(20, func() {
		for range 1000 {
			e.Step()
		}
	})
	if n != 0 {
		t.Fatalf("%v allocations per 1000 events", n)
	}
}

// Add sums two replicas' hosts; the throttled fraction is then over both.
func TestStatsAdd(t *testing.T) {
	a := Stats{Cores: 2, Quota: 1.5, Busy: 3, Elapsed: 10, Periods: 10, ThrottledPeriods: 4, ThrottledTime: 5, Throttles: 4, WaitTime: 7, Waits: 2}
	b := Stats{Cores: 4, Quota: 0.5, Busy: 1, Elapsed: 12, Periods: 10, ThrottledPeriods: 0, WaitTime: 1, Waits: 1}
	a.Add(b)
	want := Stats{Cores: 6, Quota: 2, Busy: 4, Elapsed: 12, Periods: 20, ThrottledPeriods: 4, ThrottledTime: 5, Throttles: 4, WaitTime: 8, Waits: 3}
	if a != want {
		t.Fatalf("got %+v, want %+v", a, want)
	}
	if f := a.ThrottledFraction(); f != 0.2 {
		t.Errorf("throttled fraction %v, want 0.2", f)
	}
}
