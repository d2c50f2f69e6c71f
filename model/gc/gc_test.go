package gc

import (
	"math"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
)

// allocator allocates a fixed amount per step for a number of steps.
type allocator struct {
	g     *GC
	bytes int64
	steps int
}

func (a *allocator) Step(s *gmp.Sched, gp gmp.GID, arg int64) gmp.Action {
	if arg >= int64(a.steps) {
		return gmp.Exit()
	}
	s.SetArg(gp, arg+1)
	return gmp.Compute(time.Microsecond + a.g.Alloc(a.bytes))
}

func run(t *testing.T, cfg Config, live int64, procs int) Stats {
	t.Helper()
	e := sim.NewEngine(1)
	s := gmp.New(e, gmp.Config{GOMAXPROCS: procs})
	g, err := New(s, cfg, func() (int64, int64) { return live, live })
	if err != nil {
		t.Fatal(err)
	}
	a := &allocator{g: g, bytes: 64 << 10, steps: 20000} // 1.25 GiB in total
	s.Go(a, 0)
	e.Run()
	return g.Stats()
}

// With live heap L and GOGC=100 the goal is 2L (stacks aside), so each cycle
// follows ≈ L of allocation: cycles ≈ total/L (mgcpacer.go heapGoal).
func TestCyclesFollowGOGC(t *testing.T) {
	const live = 64 << 20
	total := float64(20000 * (64 << 10))
	for _, gogc := range []int{50, 100, 200} {
		st := run(t, Config{GOGC: gogc}, live, 4)
		// Per cycle: the trigger at least at marked + 45/64·(goal−marked), plus
		// what is allocated while marking, at most the rest of the
		// runway (assists pace the mark to finish by the goal).
		runway := float64(live) * float64(gogc) / 100
		lo, hi := total/runway, total/(0.7*runway)
		if got := float64(st.Cycles); got < math.Floor(lo) || got > math.Ceil(hi) {
			t.Fatalf("GOGC=%d: %d cycles, want in [%.1f, %.1f]", gogc, st.Cycles, lo, hi)
		}
		if st.HeapPeak > live+int64(float64(live)*float64(gogc)/100)+(1<<20) {
			t.Fatalf("GOGC=%d: heap peak %d above goal", gogc, st.HeapPeak)
		}
	}
}

// GOMEMLIMIT lowers the goal below what GOGC would give.
func TestMemoryLimitLowersGoal(t *testing.T) {
	const live = 64 << 20
	free := run(t, Config{GOGC: 100}, live, 4)
	lim := run(t, Config{GOGC: 100, GOMEMLIMIT: 80 << 20}, live, 4)
	if lim.Cycles <= 2*free.Cycles || lim.GoalLimited == 0 {
		t.Fatalf("limited %d cycles vs %d free", lim.Cycles, free.Cycles)
	}
	if lim.HeapPeak > 80<<20 {
		t.Fatalf("heap peak %d over the limit", lim.HeapPeak)
	}
}

// GOGC=off without a limit never collects; GC CPU is zero.
func TestOff(t *testing.T) {
	st := run(t, Config{GOGC: -1}, 64<<20, 2)
	if st.Cycles != 0 || st.CPU != 0 {
		t.Fatalf("%+v", st)
	}
}

func TestConfigErrors(t *testing.T) {
	s := gmp.New(sim.NewEngine(1), gmp.Config{})
	if _, err := New(s, Config{GOMEMLIMIT: -1}, func() (int64, int64) { return 0, 0 }); err == nil {
		t.Fatal("no error")
	}
}

// A cycle's CPU is its fixed CycleCPU plus its scan work (live heap and
// globals; stacks aside) at ScanRate: with a 1 MiB live heap at the default
// rate, 40 µs + ~0.8 ms per cycle; with CycleCPU 1 ns, only the scan; with
// 512 KiB of globals, their scan on top.
func TestCycleCPU(t *testing.T) {
	const live = 1 << 20
	for _, c := range []struct {
		cycle   time.Duration
		globals int64
	}{{DefaultCycleCPU, 0}, {time.Nanosecond, 0}, {2 * time.Millisecond, 0}, {DefaultCycleCPU, 512 << 10}} {
		st := run(t, Config{GOGC: 100, CycleCPU: c.cycle, Globals: c.globals}, live, 1)
		per := st.CPU / time.Duration(st.Cycles)
		want := c.cycle + time.Duration(float64(live+c.globals)/DefaultScanRate*1e9)
		if st.Cycles == 0 || per < want*95/100 || per > want*110/100 {
			t.Errorf("CycleCPU %v, globals %d: %v per cycle over %d cycles, want ≈ %v", c.cycle, c.globals, per, st.Cycles, want)
		}
	}
}

// gcController's worker plan (startCycle): the table in its comment says
// fractional workers appear for GOMAXPROCS ≤ 3 and 6.
func TestWorkerPlan(t *testing.T) {
	for _, tc := range []struct {
		procs, dedicated int
		fractional       float64
	}{{1, 0, 0.25}, {2, 0, 0.5}, {3, 0, 0.75}, {4, 1, 0}, {5, 1, 0}, {6, 1, 0.5}, {7, 2, 0}, {8, 2, 0}, {10, 3, 0}, {16, 4, 0}} {
		d, f := WorkerPlan(tc.procs)
		if d != tc.dedicated || math.Abs(f-tc.fractional) > 1e-12 {
			t.Errorf("WorkerPlan(%d) = %d, %v; want %d, %v", tc.procs, d, f, tc.dedicated, tc.fractional)
		}
	}
}

// With gcController's plan, Ps with nothing to run mark at idle priority:
// a single allocating G on 8 Ps finishes each mark phase far sooner, the
// idle workers do most of the marking, and total mark CPU is the same work.
func TestIdleMarkWorkers(t *testing.T) {
	const live = 64 << 20
	old := run(t, Config{GOGC: 100}, live, 8)
	ctl := run(t, Config{GOGC: 100, Controller: true}, live, 8)
	if ctl.Cycles == 0 || ctl.IdleCPU == 0 {
		t.Fatalf("no idle marking: %+v", ctl)
	}
	if ctl.IdleCPU < ctl.CPU/2 {
		t.Errorf("idle workers did %v of %v mark CPU, want most", ctl.IdleCPU, ctl.CPU)
	}
	perOld := old.MarkTime / time.Duration(old.Cycles)
	perCtl := ctl.MarkTime / time.Duration(ctl.Cycles)
	if perCtl*2 > perOld {
		t.Errorf("mark phase %v with idle workers vs %v without, want at least twice as short (7 markers instead of 2 plus assists)", perCtl, perOld)
	}
}

// The trigger follows gcControllerState.trigger: goal − runway, clamped to
// [45/64, 61/64] of the way from the marked heap to the goal (the upper
// bound raised to goal − 4 MiB for large goals, the lower one raised to the
// sweep distance).
func TestTriggerFollowsRunway(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		name                 string
		marked, goal, runway int64
		minTrigger           int64
		want                 int64
	}{
		{"no runway, large goal: goal − 4 MiB", 0, 128 * mib, 0, 0, 124 * mib},                          // above 61/64 of it (122 MiB)
		{"no runway, small goal: 61/64", 0, 4 * mib, 0, 0, 4 * mib / 64 * 61},                           // 3.81 MiB
		{"runway within the band", 0, 4 * mib, 512 << 10, 0, 4*mib - 512<<10},                           // 3.5 MiB
		{"runway past the band: 45/64", 0, 4 * mib, 3 * mib, 0, 4 * mib / 64 * 45},                      // 2.81 MiB
		{"runway above the goal", 0, 4 * mib, 5 * mib, 0, 4 * mib / 64 * 45},                            // minTrigger
		{"marked heap counts", 1 * mib, 3 * mib, 0, 0, 1*mib + 2*mib/64*61},                             //
		{"sweep distance lifts the floor", 1 * mib, 3 * mib, 5 * mib, 2*mib + 800<<10, 2*mib + 800<<10}, // above 45/64 (2.41 MiB)
		{"marked at the goal", 4 * mib, 4 * mib, 0, 0, 4 * mib},
	} {
		g := &GC{marked: c.marked, runway: c.runway}
		if got := g.triggerFor(c.goal, c.minTrigger); got != c.want {
			t.Errorf("%s: trigger %d, want %d", c.name, got, c.want)
		}
	}
}
