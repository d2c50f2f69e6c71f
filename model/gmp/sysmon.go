// This file holds sysmon, the runtime's monitor thread.
//
// sysmon ticks every 20 µs, doubling its sleep after 50 idle rounds up to
// 10 ms, and stops ticking while all Ps are idle (sysmonwait) until a P
// starts again (wakeSysmon). Each tick polls the network if nobody has for
// 10 ms, then retakes: a G that has run for 10 ms in one schedtick slice is
// preempted (preemptone; a G computing stops at once, as with async
// preemption by SIGURG), and a P whose M has sat in a syscall for a whole
// tick is handed off (handoffp).
//
// Mirrors runtime.sysmon, retake and preemptone (src/runtime/proc.go,
// go1.26). Omits forced GC and the GOMAXPROCS refresh.

package gmp

import (
	"github.com/gohttpsim/gohttpsim/sim"
)

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
