package gmp

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// g is one G: runtime2.go's g cut down to what scheduling needs. 40 bytes,
// so a million Gs cost 40 MB and no heap objects.
type g struct {
	arg       int64         // the user word
	remain    time.Duration // compute left after a preemption
	readyAt   sim.Time      // when it last became runnable (latency metric)
	stack     int32         // simulated stack bytes (0 when dead)
	schedlink GID           // intrusive link: global runq, free list, netpoll list, timer list
	beh       uint16        // index into Sched.behs
	pp        int16         // P of its timer or syscall
	state     GState
	reason    WaitReason
}

// P is one processor: runtime2.go's p cut down. The ring and runnext mirror
// p.runq/p.runnext exactly; the rest is bookkeeping for events and views.
type P struct {
	id        PID
	status    PStatus
	curg      GID
	runnext   GID
	runqhead  uint32
	runqtail  uint32
	runq      [runqSize]GID
	schedtick uint32
	// syscalltick counts syscalls (runtime p.syscalltick); sysmon uses it.
	syscalltick uint32
	spinning    bool // its M is spinning (m.spinning)
	gen         uint32
	computing   bool // the current G is in a Compute segment ending at computeEnd
	computeEnd  sim.Time
	preempt     bool // sysmon asked the current G to stop (gp.preempt)
	runnextAt   sim.Time
	timerHead   GID // expired timers waiting for this P's next checkTimers
	timerTail   GID
	// sysmontick mirrors runtime's p.sysmontick.
	sysSchedtick   uint32
	sysSchedwhen   sim.Time
	sysSyscalltick uint32
	sysSyscallwhen sim.Time
	busySince      sim.Time
	busy           time.Duration
	spinSince      sim.Time
}

// gQueue is an intrusive FIFO of Gs linked through g.schedlink (runtime's
// gQueue).
type gQueue struct {
	head, tail GID
	size       int
}

// Event kinds.
const (
	kRun     sim.Kind = iota // entity P, arg gen: the P's current segment ended; continue its G
	kFind                    // entity P, arg gen: a woken M runs schedule() on the P
	kTimer                   // entity G: a Sleep timer fired
	kSyscall                 // entity G: its syscall returned
	kSysmon                  // sysmon tick
	kNetpoll                 // the blocked poller M wakes with ready Gs
)

// Sched is the scheduler: the G table, GOMAXPROCS Ps, the global run queue,
// counters standing for the Ms, sysmon and the netpoller. It is a
// [sim.Handler] registered once on its engine. Not safe for concurrent use.
type Sched struct {
	e   *sim.Engine
	h   sim.HandlerID
	cfg Config
	rng *rand.Rand

	gs    []g
	behs  []Behavior
	allp  []*P
	pidle []PID // idle Ps, a LIFO like sched.pidle
	runq  gQueue
	gfree gQueue // dead Gs (gfput/gfget); one list, see gfput
	netq  gQueue // Gs whose I/O is ready but not yet netpolled

	cur           *P // P whose G is in Step, or nil
	nmspinning    int
	nm, nmidle    int
	nmsyscall     int
	nnetwait      int // Gs parked on the netpoller (netpollWaiters)
	nsleep        int // Gs parked on timers
	nsyscallG     int
	pollerBlocked bool // an M blocks in netpoll (sched.lastpoll == 0)
	netpollWake   bool // a kNetpoll event is pending
	lastpoll      sim.Time
	started       bool

	// sysmon
	sysmonIdle    int
	sysmonDelay   time.Duration
	sysmonWaiting bool
	sysmonPending bool

	// randomOrder (proc.go): coprimes of GOMAXPROCS
	coprimes []uint32

	// metrics
	ngo, ngoPeak int
	created      uint64
	reused       uint64
	steals       uint64
	stolen       uint64
	handoffs     uint64
	preemptions  uint64
	netpolls     uint64
	spinning     time.Duration
	stackBytes   int64
	stackPeak    int64
	nrunq        int
	runqTW       stats.TimeWeighted
	runqPeak     int
	latency      stats.Histogram

	// schedtickBase is added to P0's initial schedtick; see Config.
	trace func(ev TraceEvent)
}

// New returns a scheduler on e with cfg (zero fields take their defaults).
// All Ps start idle; the first [Sched.Go] starts P0. It panics if
// cfg.GOMAXPROCS exceeds 1024.
func New(e *sim.Engine, cfg Config) *Sched {
	cfg = cfg.withDefaults()
	if cfg.GOMAXPROCS > 1024 {
		panic(fmt.Sprintf("gmp: GOMAXPROCS %d > 1024", cfg.GOMAXPROCS))
	}
	s := &Sched{e: e, cfg: cfg, rng: e.Stream("gmp"), runq: emptyQ(), gfree: emptyQ(), netq: emptyQ()}
	s.h = e.Register(s)
	n := cfg.GOMAXPROCS
	s.allp = make([]*P, n)
	for i := range n {
		pp := &P{id: PID(i), curg: NoG, runnext: NoG, timerHead: NoG, timerTail: NoG}
		s.allp[i] = pp
	}
	// procresize puts Ps on the idle list from the highest down, so P0 is
	// taken first.
	for i := n - 1; i >= 0; i-- {
		s.pidle = append(s.pidle, PID(i))
	}
	for i := 1; i <= n; i++ {
		if gcd(i, n) == 1 {
			s.coprimes = append(s.coprimes, uint32(i))
		}
	}
	s.allp[0].schedtick = uint32(cfg.StartSchedtick)
	s.sysmonDelay = sysmonMinDelay
	return s
}

func emptyQ() gQueue { return gQueue{head: NoG, tail: NoG} }

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Engine returns the engine the scheduler runs on.
func (s *Sched) Engine() *sim.Engine { return s.e }

// Config returns the effective configuration.
func (s *Sched) Config() Config { return s.cfg }

// Now returns the simulated time.
func (s *Sched) Now() sim.Time { return s.e.Now() }

// Current returns the G whose Step is executing, or NoG outside Step.
func (s *Sched) Current() GID {
	if s.cur == nil {
		return NoG
	}
	return s.cur.curg
}

// Arg returns gp's user word.
func (s *Sched) Arg(gp GID) int64 { return s.gs[gp].arg }

// SetArg sets gp's user word.
func (s *Sched) SetArg(gp GID, v int64) { s.gs[gp].arg = v }

// GrowStack makes gp's simulated stack at least n bytes, doubling from its
// current size as newstack does (copystack to oldsize*2). Mirrors
// runtime.newstack (src/runtime/stack.go, go1.26); omits the copy cost and
// shrinkstack (GC halves stacks using < 1/4; the model has no GC).
func (s *Sched) GrowStack(gp GID, n int) {
	st := &s.gs[gp]
	for int(st.stack) < n {
		s.stackBytes += int64(st.stack)
		st.stack *= 2
	}
	if s.stackBytes > s.stackPeak {
		s.stackPeak = s.stackBytes
	}
}

func (s *Sched) beh(b Behavior) uint16 {
	for i := len(s.behs) - 1; i >= 0; i-- {
		if s.behs[i] == b {
			return uint16(i)
		}
	}
	if len(s.behs) >= 1<<16 {
		panic("gmp: too many distinct Behaviors")
	}
	s.behs = append(s.behs, b)
	return uint16(len(s.behs) - 1)
}

// Go creates a G running b with user word arg and makes it runnable. From
// inside a Behavior's Step it is newproc on the running G's P (the new G goes
// to runnext, wakep); from outside (an event handler of another model) it
// goes to the global queue and an idle P is started (injectglist with no P).
// The first G of a run (main) lands on P0. It returns the new G's id.
func (s *Sched) Go(b Behavior, arg int64) GID {
	gp := s.newproc1(b, arg)
	if s.cur != nil {
		s.runqput(s.cur, gp, true)
		s.wakep()
		return gp
	}
	s.globrunqput(gp)
	s.startIdle(1)
	return gp
}

// newproc1 mirrors runtime.newproc1 (src/runtime/proc.go, go1.26): reuse a
// dead G (gfget) or allocate one, give it a stackMin stack, mark it
// runnable. Omits adaptive stack start (adaptivestackstart: new Gs start at
// the average scanned stack size; the model has no GC to scan).
func (s *Sched) newproc1(b Behavior, arg int64) GID {
	var gp GID
	if s.gfree.size > 0 {
		gp = s.qpop(&s.gfree)
		s.reused++
	} else {
		s.gs = append(s.gs, g{})
		gp = GID(len(s.gs) - 1)
	}
	st := &s.gs[gp]
	*st = g{arg: arg, beh: s.beh(b), stack: int32(s.cfg.StackMin), schedlink: NoG, pp: -1, state: GRunnable, readyAt: s.e.Now()}
	s.created++
	s.ngo++
	if s.ngo > s.ngoPeak {
		s.ngoPeak = s.ngo
	}
	s.stackBytes += int64(st.stack)
	if s.stackBytes > s.stackPeak {
		s.stackPeak = s.stackBytes
	}
	return gp
}

// gfput mirrors runtime.gfput: the dead G is kept for reuse. Omits the
// per-P free lists and their balancing with the global list: which dead G
// is reused does not change scheduling.
func (s *Sched) gfput(gp GID) {
	st := &s.gs[gp]
	s.stackBytes -= int64(st.stack)
	st.stack = 0
	st.state = GDead
	s.ngo--
	s.qpush(&s.gfree, gp)
}

// Ready makes the parked G gp runnable with goready's semantics: from inside
// Step it goes to the running P's runnext and wakep is called; from outside,
// to the global queue with an idle P started. It panics if gp is not parked
// with [Park].
func (s *Sched) Ready(gp GID) {
	st := &s.gs[gp]
	if st.state != GWaiting || st.reason == WaitIOWait || st.reason == WaitSleep {
		panic(fmt.Sprintf("gmp: Ready(%d) of a G that is %v (%v)", gp, st.state, st.reason))
	}
	st.state = GRunnable
	st.reason = WaitNone
	st.readyAt = s.e.Now()
	if s.cur != nil {
		s.runqput(s.cur, gp, true)
		s.wakep()
		return
	}
	s.globrunqput(gp)
	s.startIdle(1)
}

// NetReady reports I/O readiness for gp, parked with [ParkNet]: gp joins the
// netpoller's ready list and is made runnable by the next netpoll (a blocked
// poller M, a P that ran out of work, or sysmon after 10 ms).
func (s *Sched) NetReady(gp GID) {
	st := &s.gs[gp]
	if st.state != GWaiting || st.reason != WaitIOWait || st.pp == -2 {
		panic(fmt.Sprintf("gmp: NetReady(%d) of a G that is %v (%v)", gp, st.state, st.reason))
	}
	st.pp = -2 // marks "on netq"
	s.qpush(&s.netq, gp)
	if s.pollerBlocked && !s.netpollWake {
		s.netpollWake = true
		s.e.After(s.cfg.Wakeup, s.h, kNetpoll, 0, 0)
	}
}

// Deadlocked reports whether no G can ever run again although some are
// parked on sync objects (checkdead's condition): nothing is runnable,
// running, sleeping, in a syscall or parked on the netpoller.
func (s *Sched) Deadlocked() bool {
	if s.ngo == 0 || s.nrunq > 0 || s.nsleep > 0 || s.nnetwait > 0 || s.nsyscallG > 0 {
		return false
	}
	for _, pp := range s.allp {
		if pp.curg != NoG || pp.status != PIdle {
			return false
		}
	}
	return true
}

// Handle implements sim.Handler.
func (s *Sched) Handle(ev sim.Event) {
	switch ev.Kind {
	case kRun:
		pp := s.allp[ev.Entity]
		if uint32(ev.Arg) != pp.gen {
			return // superseded (preempted compute)
		}
		pp.computing = false
		s.run(pp)
	case kFind:
		pp := s.allp[ev.Entity]
		if uint32(ev.Arg) != pp.gen {
			return
		}
		s.schedule(pp)
	case kTimer:
		s.timerFired(GID(ev.Entity))
	case kSyscall:
		s.exitsyscall(GID(ev.Entity))
	case kSysmon:
		s.sysmon()
	case kNetpoll:
		s.netpollWake = false
		s.netpollBlocked()
	}
}

// after schedules pp's next segment end d from now.
func (s *Sched) after(pp *P, d time.Duration, k sim.Kind) {
	pp.gen++
	s.e.After(d, s.h, k, int32(pp.id), int64(pp.gen))
}

// run continues pp's current G: resume a preempted compute, or call its
// Step and act on the returned Action until one takes time or gives up the
// P. Mirrors what happens between execute and the next gopark/gosched/
// goexit in the runtime.
func (s *Sched) run(pp *P) {
	for {
		gp := pp.curg
		st := &s.gs[gp]
		if pp.preempt {
			pp.preempt = false
			s.preemptG(pp)
			return
		}
		if st.remain > 0 {
			d := st.remain
			st.remain = 0
			s.compute(pp, d)
			return
		}
		s.cur = pp
		a := s.behs[st.beh].Step(s, gp, st.arg)
		s.cur = nil
		st = &s.gs[gp] // Step may have grown s.gs
		switch a.Op {
		case OpCompute:
			if a.D <= 0 {
				continue
			}
			s.compute(pp, a.D)
			return
		case OpGosched:
			// goschedImpl: to the global queue, then schedule.
			s.dropg(pp, GRunnable)
			st.readyAt = s.e.Now()
			s.globrunqput(gp)
			s.schedule(pp)
			return
		case OpPark, OpParkNet:
			s.dropg(pp, GWaiting)
			st.reason = a.Reason
			if a.Op == OpParkNet {
				st.reason = WaitIOWait
				st.pp = -1
				s.nnetwait++
			}
			s.schedule(pp)
			return
		case OpSleep:
			if a.D <= 0 {
				continue // time.Sleep(0) returns at once
			}
			s.dropg(pp, GWaiting)
			st.reason = WaitSleep
			st.pp = int16(pp.id)
			s.nsleep++
			s.e.After(a.D, s.h, kTimer, int32(gp), 0)
			s.schedule(pp)
			return
		case OpSyscall:
			s.entersyscall(pp, gp, a.D)
			return
		case OpSpawn:
			ngp := s.newproc1(a.B, a.Arg)
			s.runqput(pp, ngp, true)
			s.wakep()
			s.after(pp, s.cfg.GoCreate, kRun)
			return
		case OpExit:
			s.dropg(pp, GDead)
			s.gfput(gp)
			s.schedule(pp)
			return
		default:
			panic(fmt.Sprintf("gmp: unknown Op %d", a.Op))
		}
	}
}

func (s *Sched) compute(pp *P, d time.Duration) {
	pp.computing = true
	pp.computeEnd = s.e.Now().Add(d)
	s.after(pp, d, kRun)
}

// dropg detaches pp's current G, leaving it in state st.
func (s *Sched) dropg(pp *P, st GState) {
	s.gs[pp.curg].state = st
	pp.curg = NoG
	pp.busy += s.e.Now().Sub(pp.busySince)
}

// preemptG mirrors gopreempt_m → goschedImpl: the preempted G goes to the
// global queue with the rest of its compute, and pp schedules.
func (s *Sched) preemptG(pp *P) {
	gp := pp.curg
	st := &s.gs[gp]
	if pp.computing {
		st.remain += pp.computeEnd.Sub(s.e.Now())
		pp.computing = false
		pp.gen++ // supersede the pending end-of-compute event
	}
	s.preemptions++
	s.dropg(pp, GRunnable)
	st.readyAt = s.e.Now()
	s.globrunqput(gp)
	s.schedule(pp)
}

// schedule mirrors runtime.schedule (src/runtime/proc.go, go1.26): find a
// runnable G and execute it; if none, the P goes idle and its M stops.
// Omits locked Ms, GC and the trace reader.
func (s *Sched) schedule(pp *P) {
	gp, inheritTime, cost := s.findRunnable(pp)
	if gp == NoG {
		return // pp is idle now
	}
	if pp.spinning {
		s.resetspinning(pp)
	}
	s.execute(pp, gp, inheritTime, cost)
}

// execute mirrors runtime.execute: the G runs on pp after the context-switch
// cost; a G taken from runnext inherits the time slice (no schedtick++), so
// runnext chains share one 10 ms slice.
func (s *Sched) execute(pp *P, gp GID, inheritTime bool, cost time.Duration) {
	st := &s.gs[gp]
	if !inheritTime {
		pp.schedtick++
	}
	now := s.e.Now()
	st.state = GRunning
	s.latency.Record(int64(now - st.readyAt))
	pp.curg = gp
	pp.busySince = now
	if s.trace != nil {
		s.trace(TraceEvent{Time: now, P: pp.id, G: gp})
	}
	s.after(pp, s.cfg.CtxSwitch+cost, kRun)
	s.wakeSysmon()
}

func (s *Sched) resetspinning(pp *P) {
	pp.spinning = false
	s.nmspinning--
	s.spinning += s.e.Now().Sub(pp.spinSince)
	s.wakep()
}

// findRunnable mirrors runtime.findRunnable (src/runtime/proc.go, go1.26):
// timers, the 1-in-61 global check, runq, a global batch, netpoll(0),
// stealing, then releasing the P. Omits GC workers, the trace reader and
// the final re-checks' idle-priority GC. It returns NoG after putting pp
// on the idle list; cost is the extra CPU spent finding the G (steals).
func (s *Sched) findRunnable(pp *P) (GID, bool, time.Duration) {
	var cost time.Duration
top:
	s.checkTimers(pp, pp)
	// Check the global runnable queue once in a while to ensure fairness.
	// Otherwise two goroutines can completely occupy the local runqueue
	// by constantly respawning each other.
	if pp.schedtick%globalFairTick == 0 && s.runq.size > 0 {
		gp := s.globrunqpop()
		return gp, false, cost
	}
	if gp, inherit := s.runqget(pp); gp != NoG {
		return gp, inherit, cost
	}
	if s.runq.size > 0 {
		return s.globrunqgetbatch(pp, runqSize/2), false, cost
	}
	// Non-blocking netpoll, only if nobody blocks in netpoll.
	if s.nnetwait > 0 && !s.pollerBlocked && s.netq.size > 0 {
		gp := s.netpoll(pp)
		cost += s.cfg.Netpoll
		return gp, false, cost
	}
	// Spinning Ms: steal work from other Ps. Limit the number of spinning
	// Ms to half the number of busy Ps, which prevents excessive CPU use
	// when GOMAXPROCS>>1 but the program parallelism is low.
	if pp.spinning || 2*s.nmspinning < len(s.allp)-len(s.pidle) {
		if !pp.spinning {
			s.becomeSpinning(pp)
		}
		if gp, d := s.stealWork(pp); gp != NoG {
			cost += d + s.cfg.Steal
			return gp, false, cost
		}
	}
	// Release the P. Then re-check for work that arrived meanwhile
	// (checkRunqsNoP): a spinning M that saw work takes a P back.
	wasSpinning := pp.spinning
	if pp.spinning {
		pp.spinning = false
		s.nmspinning--
		s.spinning += s.e.Now().Sub(pp.spinSince)
	}
	if wasSpinning && (s.runq.size > 0 || s.anyRunq(pp)) {
		s.becomeSpinning(pp)
		goto top
	}
	s.pidleput(pp)
	// The last M to stop blocks in netpoll if anything waits on it.
	if !s.pollerBlocked && (s.nnetwait > 0 || s.nsleep > 0) {
		s.pollerBlocked = true
		if s.netq.size > 0 && !s.netpollWake {
			s.netpollWake = true
			s.e.After(s.cfg.Wakeup, s.h, kNetpoll, 0, 0)
		}
	} else {
		s.nmidle++
	}
	return NoG, false, cost
}

func (s *Sched) anyRunq(self *P) bool {
	for _, p2 := range s.allp {
		if p2 != self && (p2.runqtail != p2.runqhead || p2.runnext != NoG) {
			return true
		}
	}
	return false
}

func (s *Sched) becomeSpinning(pp *P) {
	pp.spinning = true
	s.nmspinning++
	pp.spinSince = s.e.Now()
}

// stealWork mirrors runtime.stealWork: stealTries passes over all Ps in a
// random order (random start, stride coprime with GOMAXPROCS, drawn from the
// model's own stream instead of cheaprand); the last pass also runs the
// victim's expired timers and may take its runnext. It returns the stolen G
// and extra CPU spent (usleep(3) before taking a running P's runnext).
func (s *Sched) stealWork(pp *P) (GID, time.Duration) {
	n := uint32(len(s.allp))
	if n == 1 {
		return NoG, 0
	}
	for i := 0; i < stealTries; i++ {
		last := i == stealTries-1
		r := s.rng.Uint32()
		pos := r % n
		inc := s.coprimes[r/n%uint32(len(s.coprimes))]
		for k := uint32(0); k < n; k, pos = k+1, (pos+inc)%n {
			p2 := s.allp[pos]
			if p2 == pp {
				continue
			}
			if last && p2.timerHead != NoG {
				s.checkTimers(p2, pp)
				if gp, _ := s.runqget(pp); gp != NoG {
					return gp, 0
				}
			}
			if p2.status == PIdle {
				continue
			}
			if gp, d := s.runqsteal(pp, p2, last); gp != NoG {
				return gp, d
			}
		}
	}
	return NoG, 0
}

// runqsteal mirrors runtime.runqsteal/runqgrab: take half of p2's ring,
// rounded up (n - n/2), into pp's ring and return the last one; with an
// empty ring and stealRunNext, take p2's runnext (after usleep(3) if p2 is
// running). NOTE: the runtime may lose the runnext race to p2 during that
// usleep; the model always wins it.
func (s *Sched) runqsteal(pp, p2 *P, stealRunNext bool) (GID, time.Duration) {
	h, t := p2.runqhead, p2.runqtail
	n := t - h
	n -= n / 2
	if n == 0 {
		if stealRunNext && p2.runnext != NoG {
			gp := p2.runnext
			p2.runnext = NoG
			s.steals++
			s.stolen++
			var d time.Duration
			if p2.status == PRunning && p2.curg != NoG {
				d = 3 * time.Microsecond
			}
			s.nrunqAdd(-1)
			return gp, d
		}
		return NoG, 0
	}
	pt := pp.runqtail
	for i := uint32(0); i < n; i++ {
		pp.runq[(pt+i)%runqSize] = p2.runq[(h+i)%runqSize]
	}
	p2.runqhead = h + n
	n--
	gp := pp.runq[(pt+n)%runqSize]
	pp.runqtail = pt + n
	s.steals++
	s.stolen += uint64(n + 1)
	s.nrunqAdd(-1)
	return gp, 0
}

// runqput mirrors runtime.runqput: with next, gp takes runnext and the old
// runnext is kicked to the tail of the ring; a full ring sends half of it
// plus the G to the global queue (runqputslow).
func (s *Sched) runqput(pp *P, gp GID, next bool) {
	s.nrunqAdd(1)
	if next {
		old := pp.runnext
		pp.runnext = gp
		pp.runnextAt = s.e.Now()
		if old == NoG {
			return
		}
		gp = old
	}
	h, t := pp.runqhead, pp.runqtail
	if t-h < runqSize {
		pp.runq[t%runqSize] = gp
		pp.runqtail = t + 1
		return
	}
	s.runqputslow(pp, gp, h, t)
}

// runqputslow mirrors runtime.runqputslow: move len(runq)/2 Gs from the
// head of the ring, plus gp, to the tail of the global queue, in order.
func (s *Sched) runqputslow(pp *P, gp GID, h, t uint32) {
	n := (t - h) / 2
	for i := uint32(0); i < n; i++ {
		s.qpush(&s.runq, pp.runq[(h+i)%runqSize])
	}
	pp.runqhead = h + n
	s.qpush(&s.runq, gp)
}

// runqget mirrors runtime.runqget: runnext first (inheritTime), then the
// head of the ring.
func (s *Sched) runqget(pp *P) (GID, bool) {
	if gp := pp.runnext; gp != NoG {
		pp.runnext = NoG
		s.nrunqAdd(-1)
		return gp, true
	}
	if pp.runqhead == pp.runqtail {
		return NoG, false
	}
	gp := pp.runq[pp.runqhead%runqSize]
	pp.runqhead++
	s.nrunqAdd(-1)
	return gp, false
}

func (s *Sched) globrunqput(gp GID) {
	s.nrunqAdd(1)
	s.qpush(&s.runq, gp)
}

func (s *Sched) globrunqpop() GID {
	s.nrunqAdd(-1)
	return s.qpop(&s.runq)
}

// globrunqgetbatch mirrors runtime.globrunqgetbatch: take
// min(max, size, size/GOMAXPROCS+1) Gs from the global queue, run the first
// and put the rest on pp's ring.
func (s *Sched) globrunqgetbatch(pp *P, max int) GID {
	n := min(max, s.runq.size, s.runq.size/len(s.allp)+1)
	gp := s.qpop(&s.runq)
	for i := 1; i < n; i++ {
		x := s.qpop(&s.runq)
		pp.runq[pp.runqtail%runqSize] = x
		pp.runqtail++
	}
	s.nrunqAdd(-1)
	return gp
}

func (s *Sched) nrunqAdd(d int) {
	s.nrunq += d
	s.runqTW.Set(s.e.Now(), float64(s.nrunq))
	if s.nrunq > s.runqPeak {
		s.runqPeak = s.nrunq
	}
}

func (s *Sched) qpush(q *gQueue, gp GID) {
	s.gs[gp].schedlink = NoG
	if q.tail == NoG {
		q.head = gp
	} else {
		s.gs[q.tail].schedlink = gp
	}
	q.tail = gp
	q.size++
}

func (s *Sched) qpop(q *gQueue) GID {
	gp := q.head
	q.head = s.gs[gp].schedlink
	if q.head == NoG {
		q.tail = NoG
	}
	s.gs[gp].schedlink = NoG
	q.size--
	return gp
}

// pidleput puts pp on the idle list; its M stops.
func (s *Sched) pidleput(pp *P) {
	pp.status = PIdle
	pp.gen++
	s.pidle = append(s.pidle, pp.id)
}

// pidleget takes the most recently idled P, or nil.
func (s *Sched) pidleget() *P {
	n := len(s.pidle)
	if n == 0 {
		return nil
	}
	pp := s.allp[s.pidle[n-1]]
	s.pidle = s.pidle[:n-1]
	pp.status = PRunning
	return pp
}

// mget takes an idle M or creates one (newm).
func (s *Sched) mget() {
	if s.nmidle > 0 {
		s.nmidle--
		return
	}
	s.nm++
}

// wakep mirrors runtime.wakep: start one spinning M on an idle P, but only
// if no M is spinning already (spinning Ms chain their own wake-ups through
// resetspinning).
func (s *Sched) wakep() {
	if s.nmspinning != 0 || len(s.pidle) == 0 {
		return
	}
	pp := s.pidleget()
	s.becomeSpinning(pp)
	s.startm(pp)
}

// startm mirrors runtime.startm: an M (idle or new) starts running
// schedule() on pp after the wake-up latency.
func (s *Sched) startm(pp *P) {
	s.mget()
	s.after(pp, s.cfg.Wakeup, kFind)
	s.wakeSysmon()
}

// startIdle mirrors injectglist's startIdle: start up to n idle Ps.
func (s *Sched) startIdle(n int) {
	for ; n > 0; n-- {
		pp := s.pidleget()
		if pp == nil {
			return
		}
		s.startm(pp)
	}
}

// injectglist mirrors runtime.injectglist: with a P, one G per idle P goes
// to the global queue (and that many idle Ps are started), the rest to pp's
// local queue; with no P (sysmon), all go to the global queue.
func (s *Sched) injectglist(pp *P, q *gQueue) {
	now := s.e.Now()
	for gp := q.head; gp != NoG; gp = s.gs[gp].schedlink {
		s.gs[gp].state = GRunnable
		s.gs[gp].reason = WaitNone
		s.gs[gp].readyAt = now
	}
	if pp == nil {
		n := q.size
		for q.size > 0 {
			s.globrunqput(s.qpop(q))
		}
		s.startIdle(n)
		return
	}
	nglob := 0
	for npidle := len(s.pidle); npidle > 0 && q.size > 0; npidle-- {
		s.globrunqput(s.qpop(q))
		nglob++
	}
	s.startIdle(nglob)
	for q.size > 0 {
		s.runqput(pp, s.qpop(q), false)
	}
}

// netpoll takes up to 128 ready Gs off the netpoller (netpoll's events
// [128]), returns the first to run on pp and injects the rest.
func (s *Sched) netpoll(pp *P) GID {
	batch := emptyQ()
	for i := 0; i < netpollBatch && s.netq.size > 0; i++ {
		gp := s.qpop(&s.netq)
		s.gs[gp].pp = -1
		s.qpush(&batch, gp)
	}
	s.nnetwait -= batch.size
	s.netpolls++
	s.lastpoll = s.e.Now()
	if batch.size == 0 {
		return NoG
	}
	gp := s.qpop(&batch)
	st := &s.gs[gp]
	st.state, st.reason, st.readyAt = GRunnable, WaitNone, s.e.Now()
	s.injectglist(pp, &batch)
	return gp
}

// netpollBlocked is the M blocked in findRunnable's netpoll(delay) waking
// with ready Gs: it takes an idle P, runs the first G and injects the rest.
func (s *Sched) netpollBlocked() {
	if !s.pollerBlocked || s.netq.size == 0 {
		return
	}
	s.pollerBlocked = false
	pp := s.pidleget()
	if pp == nil {
		gp := s.netpoll(nil)
		if gp != NoG {
			s.globrunqput(gp)
		}
		s.nmidle++
		return
	}
	gp := s.netpoll(pp)
	s.execute(pp, gp, false, s.cfg.Netpoll)
}

// checkTimers runs the expired timers queued on owner, readying their Gs
// onto pp's runnext in expiry order (each goready kicks the previous one to
// the tail), as timers.check → goroutineReady → goready does.
func (s *Sched) checkTimers(owner, pp *P) {
	for owner.timerHead != NoG {
		gp := owner.timerHead
		st := &s.gs[gp]
		owner.timerHead = st.schedlink
		if owner.timerHead == NoG {
			owner.timerTail = NoG
		}
		st.schedlink = NoG
		st.state, st.reason, st.readyAt = GRunnable, WaitNone, s.e.Now()
		s.nsleep--
		s.runqput(pp, gp, true)
		s.wakep()
	}
}

// timerFired handles a Sleep's expiry. The G's timer lives on the P it
// slept on (per-P timer heaps, runtime/time.go). If that P is busy, the
// timer waits for its next checkTimers (or a thief's stealWork, or sysmon
// starting an M); if it is idle, the M blocked in netpoll until this timer
// wakes and takes it. NOTE: the model wakes the owner P itself; the
// runtime's poller takes whichever P is idle, then steals the timer.
func (s *Sched) timerFired(gp GID) {
	st := &s.gs[gp]
	owner := s.allp[st.pp]
	st.schedlink = NoG
	if owner.timerTail == NoG {
		owner.timerHead = gp
	} else {
		s.gs[owner.timerTail].schedlink = gp
	}
	owner.timerTail = gp
	if owner.status == PIdle {
		for i, id := range s.pidle {
			if id == owner.id {
				s.pidle = append(s.pidle[:i], s.pidle[i+1:]...)
				break
			}
		}
		owner.status = PRunning
		if s.pollerBlocked {
			s.pollerBlocked = false
		} else {
			s.mget()
		}
		s.after(owner, s.cfg.Wakeup, kFind)
		s.wakeSysmon()
	}
}

// entersyscall mirrors runtime.entersyscall: the P stays with the M
// (_Psyscall in ≤1.25, wired in 1.26) until sysmon's retake hands it off.
func (s *Sched) entersyscall(pp *P, gp GID, d time.Duration) {
	st := &s.gs[gp]
	st.state = GSyscall
	st.pp = int16(pp.id)
	pp.status = PSyscall
	pp.syscalltick++
	pp.gen++
	s.nmsyscall++
	s.nsyscallG++
	s.e.After(s.cfg.SyscallEnter+d, s.h, kSyscall, int32(gp), 0)
	s.wakeSysmon()
}

// exitsyscall mirrors runtime.exitsyscall: keep the old P if sysmon did not
// retake it (exitsyscallfast), else take an idle P, else put the G on the
// global queue and stop the M (exitsyscall0).
func (s *Sched) exitsyscall(gp GID) {
	st := &s.gs[gp]
	s.nmsyscall--
	s.nsyscallG--
	pp := s.allp[st.pp]
	st.pp = -1
	if pp.status == PSyscall && pp.curg == gp {
		pp.status = PRunning
		st.state = GRunning
		s.after(pp, s.cfg.SyscallExit, kRun)
		return
	}
	if pp = s.pidleget(); pp != nil {
		st.state = GRunning
		pp.curg = gp
		pp.busySince = s.e.Now()
		s.after(pp, s.cfg.SyscallExit, kRun)
		s.wakeSysmon()
		return
	}
	st.state = GRunnable
	st.readyAt = s.e.Now()
	s.globrunqput(gp)
	s.nmidle++
}

// handoffp mirrors runtime.handoffp for a P retaken from a syscall: if there
// is work, start an M on it; if nobody spins and no P is idle, start a
// spinning M; otherwise the P goes idle.
func (s *Sched) handoffp(pp *P) {
	s.handoffs++
	gp := pp.curg
	pp.curg = NoG
	pp.busy += s.e.Now().Sub(pp.busySince)
	_ = gp
	pp.status = PRunning
	if pp.runqhead != pp.runqtail || pp.runnext != NoG || s.runq.size > 0 {
		s.startm(pp)
		return
	}
	if s.nmspinning+len(s.pidle) == 0 {
		s.becomeSpinning(pp)
		s.startm(pp)
		return
	}
	if s.netq.size > 0 && !s.pollerBlocked {
		s.startm(pp)
		return
	}
	s.pidleput(pp)
}

func (s *Sched) wakeSysmon() {
	if s.cfg.NoSysmon || s.sysmonPending {
		return
	}
	s.sysmonPending = true
	if !s.started {
		s.started = true
		s.lastpoll = s.e.Now()
	}
	s.e.After(s.sysmonDelay, s.h, kSysmon, 0, 0)
}

// sysmon mirrors runtime.sysmon's loop (src/runtime/proc.go, go1.26): sleep
// 20 µs, doubling after 50 idle rounds up to 10 ms; netpoll if nobody polled
// for 10 ms; retake. When every P is idle it stops ticking until a P starts
// again (sysmonwait). Omits forced GC and the GOMAXPROCS refresh. NOTE: the
// runtime's sysmon also wakes at the next timer while all Ps are idle; here
// the timer's P waking restarts it, which is equivalent.
func (s *Sched) sysmon() {
	s.sysmonPending = false
	now := s.e.Now()
	if len(s.pidle) == len(s.allp) {
		return // sysmonwait; the next execute/startm restarts it
	}
	if !s.pollerBlocked && s.nnetwait > 0 && s.lastpoll+sim.Time(netpollForce) < now {
		s.lastpoll = now
		if s.netq.size > 0 {
			gp := s.netpoll(nil)
			s.globrunqput(gp)
			s.startIdle(1)
		}
	}
	if s.retake(now) != 0 {
		s.sysmonIdle = 0
	} else {
		s.sysmonIdle++
	}
	switch {
	case s.sysmonIdle == 0:
		s.sysmonDelay = sysmonMinDelay
	case s.sysmonIdle > sysmonIdleRamp:
		s.sysmonDelay *= 2
	}
	s.sysmonDelay = min(s.sysmonDelay, sysmonMaxDelay)
	s.sysmonPending = true
	s.e.After(s.sysmonDelay, s.h, kSysmon, 0, 0)
}

// retake mirrors runtime.retake: preempt a G that has run for 10 ms in one
// schedtick slice, and hand off a P whose M has sat in a syscall for a
// sysmon tick unless it has no work, others are spinning or idle, and the
// syscall is younger than 10 ms. It returns the number of handoffs.
func (s *Sched) retake(now sim.Time) int {
	n := 0
	for _, pp := range s.allp {
		switch pp.status {
		case PRunning:
			if pp.curg == NoG {
				continue
			}
			if pp.sysSchedtick != pp.schedtick {
				pp.sysSchedtick = pp.schedtick
				pp.sysSchedwhen = now
			} else if pp.sysSchedwhen+sim.Time(forcePreemptNS) <= now {
				s.preemptone(pp)
			}
		case PSyscall:
			if pp.sysSyscalltick != pp.syscalltick {
				pp.sysSyscalltick = pp.syscalltick
				pp.sysSyscallwhen = now
				continue
			}
			empty := pp.runqhead == pp.runqtail && pp.runnext == NoG
			if empty && s.nmspinning+len(s.pidle) > 0 && pp.sysSyscallwhen+sim.Time(forcePreemptNS) > now {
				continue
			}
			s.handoffp(pp)
			n++
		}
	}
	return n
}

// preemptone mirrors runtime.preemptone: a G in a Compute segment stops now
// (async preemption by SIGURG); otherwise at its next action.
func (s *Sched) preemptone(pp *P) {
	if pp.computing {
		s.preemptG(pp)
		return
	}
	pp.preempt = true
}
