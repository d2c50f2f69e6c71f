// This file holds one round of the scheduler on a P: run the current G
// until it gives up the P, then find the next G and execute it.
//
// run calls the G's Behavior.Step and acts on each Action: compute holds
// the P for a span (a kRun event ends it), and gosched, park, sleep, exit
// and syscall leave the P to schedule. findRunnable searches in the
// runtime's order: the P's expired timers, the global queue every 61st
// schedtick, the local runnext and ring, a batch from the global queue, a
// non-blocking netpoll, stealing (at most half the busy Ps' Ms spin), then
// the P goes idle after a last check of all run queues; the last M to stop
// blocks in netpoll. execute charges the context switch and, unless the G
// came from runnext, starts a new time slice (schedtick++).
//
// Mirrors runtime.schedule, findRunnable, execute, resetspinning,
// goschedImpl and gopreempt_m (src/runtime/proc.go, go1.26).

package gmp

import (
	"fmt"
	"time"
)

// run continues pp's current G: resume a preempted compute, or call its
// Step and act on the returned Action until one takes time or gives up the
// P. Mirrors what happens between execute and the next gopark/gosched/
// goexit in the runtime.
func (s *Sched) run(pp *P) {
	for {
		gp := pp.curg
		st := s.gs.At(int(gp))
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
		pp = s.cur // GOMAXPROCS may have moved the G to P0
		s.cur = nil
		st = s.gs.At(int(gp)) // Step may have run newproc (elements of s.gs never move)
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
	s.gs.At(int(pp.curg)).state = st
	pp.curg = NoG
	pp.busy += s.e.Now().Sub(pp.busySince)
}

// preemptG mirrors gopreempt_m → goschedImpl: the preempted G goes to the
// global queue with the rest of its compute, and pp schedules.
func (s *Sched) preemptG(pp *P) {
	gp := pp.curg
	st := s.gs.At(int(gp))
	if pp.computing {
		if h := s.cfg.Host; h != nil {
			// The CPU the G has not received yet (it may have waited
			// for a core or been throttled); its M keeps its core.
			st.remain += h.Preempt(pp.thread)
		} else {
			st.remain += pp.computeEnd.Sub(s.e.Now())
		}
		pp.computing = false
		pp.gen++ // supersede the pending end-of-compute event
	}
	s.preemptions++
	s.dropg(pp, GRunnable)
	st.readyAt = s.e.Now()
	s.globrunqput(gp)
	s.schedule(pp)
	if h := s.cfg.Host; h != nil {
		h.Release(pp.thread) // the P went idle: its M gives up the core
	}
}

// schedule mirrors runtime.schedule (src/runtime/proc.go, go1.26): find a
// runnable G and execute it; if none, the P goes idle and its M stops.
// Omits locked Ms, GC and the trace reader.
func (s *Sched) schedule(pp *P) {
	gp, inheritTime, cost := s.findRunnable(pp)
	if gp == NoG {
		return // pp is idle now, or in a slice of idle work
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
	st := s.gs.At(int(gp))
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
	// We have nothing to do. If the GC is marking, run idle-time marking
	// rather than give up the P (findRunnable's gcMarkWorkAvailable →
	// gcMarkWorkerIdleMode); the slice ends in findRunnable again, so work
	// that arrives meanwhile waits at most one slice (gcDrain's pollWork).
	if s.idle != nil {
		if d := s.idle.IdleWork(pp.id, s.nidleWork); d > 0 {
			if pp.spinning {
				s.resetspinning(pp) // wakep: the next idle P marks too
			}
			pp.idleWorking = true
			s.nidleWork++
			s.idleTime += d
			s.after(pp, s.cfg.CtxSwitch+d, kRun)
			return NoG, false, cost
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
