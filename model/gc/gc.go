package gc

import (
	"errors"
	"math"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
)

// Pacer constants from runtime/mgcpacer.go (go1.26).
const (
	// gcBackgroundUtilization: dedicated workers aim at 25% of GOMAXPROCS.
	gcBackgroundUtilization = 0.25
	// heapMinimum is the minimum heap goal at GOGC=100 (4 MiB, scaled by
	// GOGC/100: defaultHeapMinimum).
	heapMinimum = 4 << 20
	// The trigger lies between 45/64 (~0.7) and 61/64 (~0.95) of the way
	// from the marked heap to the goal (triggerRatioDen,
	// minTriggerRatioNum, maxTriggerRatioNum); within that, at the goal
	// less the runway ([GC.trigger]).
	triggerRatioDen    = 64
	minTriggerRatioNum = 45
	maxTriggerRatioNum = 61
	// defaultHeapMinimum is the unscaled 4 MiB: the trigger may sit at
	// goal − defaultHeapMinimum when that is above 0.95 of the way.
	defaultHeapMinimum = 4 << 20
	// sweepMinHeapDistance (mgc.go): after mark termination, while the
	// sweep runs, the next trigger is at least 1 MiB above the live heap
	// (sweepDistMinTrigger in commit) and the goal at least that.
	sweepMinHeapDistance = 1 << 20
	// gcGoalUtilization = gcBackgroundUtilization: the runway leaves the
	// mark 25% of the CPU.
	gcGoalUtilization = gcBackgroundUtilization
	// memLimitHeadroom: under GOMEMLIMIT the goal keeps 3% headroom
	// (memoryLimitHeapGoalHeadroomPercent).
	memLimitHeadroom = 0.03
	// gcAssistBytes: an assisting G pre-pays 64 KiB of scan work
	// (gcOverAssistWork).
	gcOverAssistWork = 64 << 10
)

// What a cycle costs is the runtime's own accounting (runtime/metrics) of
// a server child at GOMAXPROCS=1, GOGC=100, allocating 64 KiB per request
// at 500 req/s (`gohttpsim calibrate`, README's fitted constants): the
// mark CPU (/cpu/classes/gc/mark/{dedicated,fractional,idle,assist}) per
// /gc/cycles/total is proportional to the scan work of the cycle
// (/gc/scan/heap + /gc/scan/stack + /gc/scan/globals, the runtime's
// heapScanWork + stackScanWork + globalsScanWork, gcDrain's scanobject,
// scanstack and markrootBlock in mgcmark.go) at DefaultScanRate, and the
// stop-the-world phases (/cpu/classes/gc/pause) add DefaultCycleCPU. Sweeping
// is not GC CPU in the runtime's accounting (bgsweep and the allocating
// goroutines' proportional sweep count as user CPU) and is not charged here.
const (
	// DefaultScanRate is bytes of scan work per second of mark CPU:
	// 1.23–1.38 GB/s over 3 runs (906 KB of scan work per cycle: 470 KB
	// heap, 19 KB stacks, 414 KB globals; 655–739 µs of mark CPU),
	// measured while the VM ran at a load average of 17, which inflates
	// the runtime's mark CPU (it is accounted in wall time of the worker).
	DefaultScanRate = 1.3e9
	// DefaultCycleCPU is the CPU of the two stop-the-world phases of a
	// cycle (sweep termination, mark termination): /cpu/classes/gc/pause
	// per cycle, 33–43 µs in the same runs.
	DefaultCycleCPU = 40 * time.Microsecond
)

// Config configures the collector.
type Config struct {
	GOGC       int   // percent; < 0 turns the collector off (GOGC=off); 0 means 100
	GOMEMLIMIT int64 // bytes; 0 = no limit (math.MaxInt64)
	// ScanRate is the mark throughput of one worker in bytes of scan
	// work per second of CPU (default DefaultScanRate, measured).
	ScanRate float64
	// Globals is the program's scannable globals (data and bss with
	// pointers: the runtime's globalsScan, /gc/scan/globals): every cycle
	// scans them (markrootBlock) and they count in the heap goal.
	Globals int64
	// STW is the length of each stop-the-world phase (default 30 µs;
	// sweep termination and mark termination).
	STW time.Duration
	// CycleCPU is the GC CPU a cycle costs beyond its scan work: the
	// stop-the-world phases' CPU. Added to the cycle's mark work, so the
	// workers (and assists) do it. Default DefaultCycleCPU.
	CycleCPU time.Duration
	// Off disables the collector (GOGC=off without a limit).
	Off bool
	// Controller selects gcController's worker plan (startCycle,
	// mgcpacer.go): round(GOMAXPROCS/4) dedicated workers, or one fewer
	// when rounding is more than 30% off, with a fractional worker making
	// up the rest; and idle-priority mark workers on every P that has
	// nothing else to run, up to GOMAXPROCS − dedicated of them. Without
	// it the model keeps its earlier plan (max(1, round(GOMAXPROCS/4))
	// always-on workers, no idle marking), under which earlier results
	// were produced; the scenarios turn it on with the host model, where
	// the CPU idle Ps spend on marking is what a quota runs out of.
	Controller bool
	// Marked is the heap live at the start, as if a cycle had just
	// marked it (a program that built its caches before serving): the
	// first goal is computed from it instead of from an empty heap.
	Marked int64
}

// LiveFunc returns the bytes reachable now (the heap a mark would find) and
// how many of them the mark must scan: pointer-free objects such as bufio
// buffers live in noscan spans and cost the mark nothing beyond their
// header (mbitmap.go: noscan spans are never scanned).
type LiveFunc func() (live, scan int64)

// Stats are the collector's metrics.
type Stats struct {
	Cycles      uint64
	CPU         time.Duration // background workers + assists
	AssistCPU   time.Duration
	STWTotal    time.Duration
	HeapPeak    int64         // highest heap in use (allocated, not yet swept)
	HeapGoal    int64         // goal of the current cycle
	Trigger     int64         // heap size that starts the next cycle (gcControllerState.trigger)
	IdleCPU     time.Duration // idle-priority mark workers (Controller)
	HeapInUse   int64
	HeapMarked  int64
	MarkTime    time.Duration
	Marking     bool
	TotalAlloc  int64
	GoalLimited uint64 // cycles whose goal GOMEMLIMIT lowered
}

// GC is the collector. It is a gmp.Behavior (for its mark workers).
type GC struct {
	s        *gmp.Sched
	e        *sim.Engine
	cfg      Config
	live     LiveFunc
	heap     int64 // bytes in use: marked + allocated since
	marked   int64
	goal     int64
	trigger  int64
	marking  bool
	work     float64 // scan bytes remaining this cycle
	assistPB float64 // assist scan bytes per allocated byte
	workers  int
	markFrom sim.Time
	running  int
	stats    Stats

	// The pacer's feedback (endCycle and commit, mgcpacer.go):
	// triggered is heapLive when this cycle started; scanWork the scan
	// bytes of this cycle (heapScanWork+stackScanWork; lastScan the last
	// cycle's, lastHeapScan+lastStackScan); consMark the cons/mark
	// estimate, the largest of the current and the 4 before (lastConsMark);
	// runway = consMark·(1−u)/u·lastScan; cycleAssist and cycleIdle the
	// assist and idle mark CPU since markFrom; swept whether commit runs
	// with the sweep done (the first commit, gcinit's, does).
	triggered    int64
	scanWork     int64
	lastScan     int64
	consMark     float64
	lastConsMark [4]float64
	runway       int64
	cycleAssist  time.Duration
	cycleIdle    time.Duration

	// Controller plan (startCycle): dedicated workers, the fractional
	// worker's share of one core, the idle worker cap.
	dedicated  int
	fractional float64
	maxIdle    int
	frac       fracWorker
}

// New returns a collector for the Gs of s. live reports the reachable heap.
func New(s *gmp.Sched, cfg Config, live LiveFunc) (*GC, error) {
	if cfg.GOGC == 0 {
		cfg.GOGC = 100
	}
	if cfg.GOMEMLIMIT < 0 || cfg.ScanRate < 0 || cfg.STW < 0 || cfg.CycleCPU < 0 || cfg.Globals < 0 {
		return nil, errors.New("gc: negative GOMEMLIMIT, ScanRate, STW, CycleCPU or Globals")
	}
	if cfg.GOMEMLIMIT == 0 {
		cfg.GOMEMLIMIT = math.MaxInt64
	}
	if cfg.GOGC < 0 && cfg.GOMEMLIMIT == math.MaxInt64 {
		cfg.Off = true
	}
	if cfg.ScanRate == 0 {
		cfg.ScanRate = DefaultScanRate
	}
	if cfg.STW == 0 {
		cfg.STW = 30 * time.Microsecond
	}
	if cfg.CycleCPU == 0 {
		cfg.CycleCPU = DefaultCycleCPU
	}
	g := &GC{s: s, e: s.Engine(), cfg: cfg, live: live}
	g.frac.g = g
	if cfg.Controller {
		g.dedicated, g.fractional = WorkerPlan(s.NumP())
		g.workers = g.dedicated
		g.maxIdle = s.NumP() - g.dedicated
		s.SetIdleWorker(g)
	} else {
		g.workers = int(float64(s.NumP())*gcBackgroundUtilization + 0.5)
		if g.workers < 1 {
			g.workers = 1 // stands in for the fractional worker at GOMAXPROCS < 2
		}
	}
	g.marked = max(cfg.Marked, 0)
	g.heap = g.marked
	g.commit(true) // gcinit: no sweep phase before the first cycle
	if g.marked > 0 {
		// A program that built its heap before serving has run cycles
		// whose cons/mark estimate the model does not have: the first
		// trigger takes the low end of the band (45/64 of the way, as
		// a runway past the goal gives) until endCycle estimates one.
		g.runway = g.goal + 1
		g.trigger = g.triggerFor(g.goal, 0)
		g.stats.Trigger = g.trigger
	}
	return g, nil
}

// commit recomputes the goal and trigger after a cycle. Mirrors
// gcControllerState.commit and heapGoalInternal (mgcpacer.go): goal =
// marked + (marked + stacks + globals)·GOGC/100, at least heapMinimum·GOGC/100, then
// lowered to stay under GOMEMLIMIT with 3% headroom (memoryLimitHeapGoal;
// non-heap memory is taken to be the scanned stacks); when the limit does
// not lower it and the sweep is not done, at least sweepDistMinTrigger
// (marked + 1 MiB), which is also the lowest trigger. The runway is
// commit's: consMark·(1−u)/u times the last cycle's scan work.
func (g *GC) commit(sweepDone bool) {
	goal, limited := g.GoalFor(g.marked)
	if limited {
		g.stats.GoalLimited++
	}
	var minTrigger int64
	if !limited && !sweepDone {
		minTrigger = g.marked + sweepMinHeapDistance
		goal = max(goal, minTrigger)
	}
	g.goal = goal
	g.runway = int64(g.consMark * (1 - gcGoalUtilization) / gcGoalUtilization * float64(g.lastScan))
	g.trigger = g.triggerFor(goal, minTrigger)
	g.stats.HeapGoal = goal
	g.stats.Trigger = g.trigger
}

// triggerFor mirrors gcControllerState.trigger (mgcpacer.go): the goal
// less the runway, kept between ~0.7 and ~0.95 of the way from the marked
// heap to the goal (and no lower than minTrigger, the sweep distance); the
// upper bound rises to goal − 4 MiB for large goals.
func (g *GC) triggerFor(goal, minTrigger int64) int64 {
	marked := g.marked
	if marked >= goal {
		return goal
	}
	minTrigger = max(minTrigger, marked)
	minTrigger = max(minTrigger, (goal-marked)/triggerRatioDen*minTriggerRatioNum+marked)
	maxTrigger := (goal-marked)/triggerRatioDen*maxTriggerRatioNum + marked
	if goal > defaultHeapMinimum && goal-defaultHeapMinimum > maxTrigger {
		maxTrigger = goal - defaultHeapMinimum
	}
	maxTrigger = max(maxTrigger, minTrigger)
	trigger := minTrigger
	if g.runway <= goal {
		trigger = goal - g.runway
	}
	return min(max(trigger, minTrigger), maxTrigger)
}

// endCycle mirrors gcControllerState.endCycle (mgcpacer.go): the
// cons/mark ratio of the cycle just ended, (heapLive − triggered)·(u +
// u_idle) / (scanWork·(1 − u)), where u is the background goal (25%) plus
// the assists' share of the mark phase's CPU and u_idle the idle workers'
// share; consMark becomes the largest of it and the 4 before.
func (g *GC) endCycle(procs int) {
	dur := g.e.Now().Sub(g.markFrom)
	u := gcBackgroundUtilization
	if dur > 0 {
		u += float64(g.cycleAssist) / float64(dur*time.Duration(procs))
	}
	if g.heap <= g.triggered || g.scanWork <= 0 {
		return
	}
	ui := 0.0
	if dur > 0 {
		ui = float64(g.cycleIdle) / float64(dur*time.Duration(procs))
	}
	cur := float64(g.heap-g.triggered) * (u + ui) / (float64(g.scanWork) * (1 - u))
	g.consMark = cur
	for _, c := range g.lastConsMark {
		g.consMark = max(g.consMark, c)
	}
	copy(g.lastConsMark[:], g.lastConsMark[1:])
	g.lastConsMark[len(g.lastConsMark)-1] = cur
}

// GoalFor returns the heap goal a cycle that marked `marked` bytes would
// set now, and whether GOMEMLIMIT lowered it. The stacks count with their
// scanned part (lastStackScan), taken as half of what is allocated.
func (g *GC) GoalFor(marked int64) (goal int64, limited bool) {
	stacks := g.s.Stats().StackBytes / 2
	goal = int64(math.MaxInt64)
	if g.cfg.GOGC >= 0 {
		goal = marked + (marked+stacks+g.cfg.Globals)*int64(g.cfg.GOGC)/100
		goal = max(goal, int64(heapMinimum)*int64(g.cfg.GOGC)/100)
	}
	if g.cfg.GOMEMLIMIT != math.MaxInt64 {
		lim := int64(float64(g.cfg.GOMEMLIMIT)*(1-memLimitHeadroom)) - stacks
		if lim < goal {
			goal = max(lim, marked+heapMinimum/4)
			limited = true
		}
	}
	return goal, limited
}

// Alloc records n bytes allocated by the running G and returns the mark
// assist CPU it owes (zero outside a mark phase). Mirrors
// gcAssistAlloc: during marking, a G allocating n bytes does
// n·assistWorkPerByte of scan work (plus the 64 KiB over-assist, amortised).
func (g *GC) Alloc(n int64) time.Duration {
	if g.cfg.Off || n <= 0 {
		return 0
	}
	g.heap += n
	g.stats.TotalAlloc += n
	if g.heap > g.stats.HeapPeak {
		g.stats.HeapPeak = g.heap
	}
	if !g.marking {
		if g.heap >= g.trigger {
			g.start()
		}
		return 0
	}
	w := float64(n) * g.assistPB
	w = min(w, g.work)
	if w <= 0 {
		return 0
	}
	g.work -= w
	d := time.Duration(w / g.cfg.ScanRate * 1e9)
	g.stats.AssistCPU += d
	g.cycleAssist += d
	g.stats.CPU += d
	if g.work <= 0 {
		g.finish()
	}
	return d
}

// start begins a cycle: sweep termination STW, then the mark phase with
// dedicated workers. Mirrors gcStart (mgc.go).
func (g *GC) start() {
	g.marking = true
	g.markFrom = g.e.Now()
	g.triggered = g.heap
	g.cycleAssist, g.cycleIdle = 0, 0
	g.stats.STWTotal += g.cfg.STW
	_, scan := g.live()
	// Stacks are scanned up to their used part; the model takes half of
	// the allocated stack (an assumption: the used part of a parked
	// goroutine's stack is not tracked).
	g.scanWork = scan + g.s.Stats().StackBytes/2 + g.cfg.Globals
	g.work = float64(g.scanWork) + g.cfg.CycleCPU.Seconds()*g.cfg.ScanRate
	// assistWorkPerByte = scan work remaining / heap distance remaining
	// (revise, mgcpacer.go).
	dist := float64(g.goal - g.heap)
	if dist < float64(gcOverAssistWork) {
		dist = gcOverAssistWork
	}
	g.assistPB = g.work / dist
	g.running = g.workers
	for range g.workers {
		g.s.Go(g, int64(g.stats.Cycles))
	}
	if g.cfg.Controller {
		if g.fractional > 0 {
			g.s.Go(&g.frac, int64(g.stats.Cycles)<<1)
		}
		// startTheWorldWithSema's wakep: an idle P wakes, finds idle
		// mark work, and its resetspinning wakes the next.
		g.s.WakeIdle()
	}
}

// workerSlice is how much a dedicated worker marks between checks that the
// cycle is still on (gcDrain checks for preemption and for work running out
// as it goes).
const workerSlice = 100 * time.Microsecond

// Step runs a dedicated mark worker (gcBgMarkWorker in gcMarkWorkerDedicatedMode):
// it drains the shared mark work in slices and exits when the cycle it was
// started for is over. arg is that cycle's number. Implements gmp.Behavior.
func (g *GC) Step(s *gmp.Sched, gp gmp.GID, arg int64) gmp.Action {
	if !g.marking || uint64(arg) != g.stats.Cycles || g.work <= 0 {
		return gmp.Exit()
	}
	d := min(workerSlice, time.Duration(g.work/g.cfg.ScanRate*1e9)+1)
	g.work -= d.Seconds() * g.cfg.ScanRate
	g.stats.CPU += d
	if g.work <= 0 {
		g.finish()
	}
	return gmp.Compute(d)
}

// WorkerPlan returns the dedicated mark workers and the fractional
// worker's share of one core for GOMAXPROCS procs. Mirrors
// gcControllerState.startCycle (src/runtime/mgcpacer.go, go1.26): the goal
// is 25% of procs; dedicated workers are that rounded, minus one if it
// rounded up by more than 30%, and when rounding is more than 30% off a
// fractional worker makes up the difference (fractionalUtilizationGoal ×
// procs; the runtime spreads it over the Ps, the model gives it to one G).
func WorkerPlan(procs int) (dedicated int, fractional float64) {
	goal := float64(procs) * gcBackgroundUtilization
	d := int(goal + 0.5)
	utilError := float64(d)/goal - 1
	const maxUtilError = 0.3
	if utilError < -maxUtilError || utilError > maxUtilError {
		if float64(d) > goal {
			d--
		}
		return d, goal - float64(d)
	}
	return d, 0
}

// idleSlice is how much an idle mark worker marks before findRunnable looks
// for other work again (gcDrain in idle mode stops when pollWork reports
// work; it checks between units of mark work, tens of µs at ScanRate).
const idleSlice = 50 * time.Microsecond

// IdleWork implements gmp.IdleWorker: while marking with work left and
// fewer than maxIdleMarkWorkers idle workers, an otherwise idle P marks for
// a slice (findRunnable's idle-time marking, gcMarkWorkerIdleMode).
func (g *GC) IdleWork(pp gmp.PID, busy int) time.Duration {
	if !g.marking || g.work <= 0 || busy >= g.maxIdle {
		return 0
	}
	d := min(idleSlice, time.Duration(g.work/g.cfg.ScanRate*1e9)+1)
	g.work -= d.Seconds() * g.cfg.ScanRate
	g.stats.CPU += d
	g.stats.IdleCPU += d
	g.cycleIdle += d
	if g.work <= 0 {
		g.finish()
	}
	return d
}

// fracWorker is the fractional mark worker (gcMarkWorkerFractionalMode):
// it marks for a slice, then stays off for as long as keeps its share of
// one core at the fractional goal, until the cycle ends. Its user word is
// cycle<<1 | off.
type fracWorker struct{ g *GC }

// Step implements gmp.Behavior.
func (w *fracWorker) Step(s *gmp.Sched, gp gmp.GID, arg int64) gmp.Action {
	g := w.g
	if !g.marking || uint64(arg>>1) != g.stats.Cycles || g.work <= 0 {
		return gmp.Exit()
	}
	if arg&1 == 1 {
		s.SetArg(gp, arg&^1)
		off := time.Duration(float64(workerSlice) * (1 - g.fractional) / g.fractional)
		return gmp.Sleep(off)
	}
	s.SetArg(gp, arg|1)
	return g.Step(s, gp, arg>>1)
}

// finish ends the mark phase: mark termination STW, the newly marked heap
// becomes the base of the next goal. Mirrors gcMarkTermination.
func (g *GC) finish() {
	g.marking = false
	g.work = 0
	g.stats.Cycles++
	g.stats.STWTotal += g.cfg.STW
	g.stats.MarkTime += g.e.Now().Sub(g.markFrom)
	g.endCycle(g.s.NumP())
	g.lastScan = g.scanWork
	g.marked, _ = g.live()
	g.heap = g.marked
	g.commit(false) // gcMarkTermination's gcControllerCommit: the sweep starts
}

// Stats returns the metrics so far.
func (g *GC) Stats() Stats {
	st := g.stats
	st.HeapInUse = g.heap
	st.HeapMarked = g.marked
	st.Marking = g.marking
	return st
}

// Goal returns the current heap goal.
func (g *GC) Goal() int64 { return g.goal }
