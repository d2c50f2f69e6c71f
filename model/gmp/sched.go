// This file holds the scheduler's state and its event loop.
//
// A G is a 40-byte value in Sched.gs addressed by its GID; a P is a small
// struct holding runtime2.go's p fields that scheduling reads (the 256-slot
// ring, runnext, schedtick, syscalltick, the sysmontick copy). Ms are not
// entities: they are counters (nm, nmidle, nmspinning, nmsyscall), because
// the model never needs to know which thread runs a P, only how many exist.
//
// Time passes only in events. Each P has at most one pending segment-end
// event (kRun or kFind), tagged with P.gen so that preemption can supersede
// it without cancelling; Handle dispatches every event kind to the function
// that mirrors the runtime code running at that moment (schedule, exitsyscall,
// sysmon, the blocked netpoller).
//
// Mirrors the types g, p and schedt of src/runtime/runtime2.go (go1.26),
// cut down to what scheduling needs.

package gmp

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gohttpsim/gohttpsim/model/host"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
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
	thread    host.ThreadID // its M on Config.Host
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
	idleWorking bool // the P runs a slice of IdleWorker work (no G)
	computeEnd  sim.Time
	preempt     bool // sysmon asked the current G to stop (gp.preempt)
	runnextAt   sim.Time
	timers      gQueue // expired timers waiting for this P's next checkTimers
	// sysmontick mirrors runtime's p.sysmontick.
	sysSchedtick   uint32
	sysSchedwhen   sim.Time
	sysSyscalltick uint32
	sysSyscallwhen sim.Time
	busySince      sim.Time
	busy           time.Duration
	spinSince      sim.Time
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

	gs    container.Paged[g] // the G table (allgs); pages, so 10M Gs are never copied
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
	// deadp keeps Ps destroyed by GOMAXPROCS, by id, for reuse when it
	// grows again (allp keeps its capacity in the runtime).
	deadp []*P

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

	// idle is the work an otherwise idle P does (the GC's idle mark
	// worker); nidleWork counts Ps in such a slice.
	idle      IdleWorker
	nidleWork int
	idleTime  time.Duration
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
		pp := &P{id: PID(i), curg: NoG, runnext: NoG, timers: emptyQ(), thread: host.NoThread}
		if cfg.Host != nil {
			pp.thread = cfg.Host.NewThread(s, int32(i))
		}
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
func (s *Sched) Arg(gp GID) int64 { return s.gs.At(int(gp)).arg }

// SetArg sets gp's user word.
func (s *Sched) SetArg(gp GID, v int64) { s.gs.At(int(gp)).arg = v }

// Handle implements sim.Handler.
func (s *Sched) Handle(ev sim.Event) {
	switch ev.Kind {
	case kRun:
		if int(ev.Entity) >= len(s.allp) {
			return // its P was destroyed by GOMAXPROCS
		}
		pp := s.allp[ev.Entity]
		if uint32(ev.Arg) != pp.gen {
			return // superseded (preempted compute)
		}
		s.segmentEnd(pp)
	case kFind:
		if int(ev.Entity) >= len(s.allp) {
			return
		}
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

// after schedules pp's next segment end d from now. A kRun segment is CPU:
// with a host it ends when pp's M has received d of CPU (CPUDone), which
// may be later than d from now if the M waits for a core or is throttled.
func (s *Sched) after(pp *P, d time.Duration, k sim.Kind) {
	pp.gen++
	if k == kRun && s.cfg.Host != nil {
		s.cfg.Host.Run(pp.thread, d, int64(pp.gen))
		return
	}
	s.e.After(d, s.h, k, int32(pp.id), int64(pp.gen))
}

// CPUDone implements host.Runner: P entity's M received the CPU of its
// segment; it continues as a kRun event would.
func (s *Sched) CPUDone(entity int32, tag int64) {
	if int(entity) >= len(s.allp) {
		return // its P was destroyed by GOMAXPROCS
	}
	pp := s.allp[entity]
	if uint32(tag) != pp.gen {
		return
	}
	s.segmentEnd(pp)
}

// segmentEnd continues pp after a CPU segment: its G, or findRunnable again
// after a slice of idle work.
func (s *Sched) segmentEnd(pp *P) {
	pp.computing = false
	if pp.idleWorking {
		pp.idleWorking = false
		s.nidleWork--
		s.schedule(pp)
		return
	}
	s.run(pp)
}
