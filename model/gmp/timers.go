// This file holds the timers of sleeping Gs.
//
// A G that sleeps keeps its timer on the P it slept on (g.pp), as the
// runtime keeps per-P timer heaps. When the timer fires (kTimer), the G is
// appended to that P's list of expired timers; a busy P readies them at its
// next checkTimers (in findRunnable), a thief's last steal pass may run
// them, and an idle owner is woken to run them itself. Each readied G goes
// to runnext, so several expiring at once run in expiry order.
//
// Mirrors runtime.checkTimers and timers.check → goroutineReady → goready
// (src/runtime/time.go and proc.go, go1.26). The model wakes the owner P
// itself where the runtime's poller takes any idle P and steals the timer.

package gmp

// checkTimers runs the expired timers queued on owner, readying their Gs
// onto pp's runnext in expiry order (each goready kicks the previous one to
// the tail), as timers.check → goroutineReady → goready does.
func (s *Sched) checkTimers(owner, pp *P) {
	for owner.timers.size > 0 {
		gp := s.qpop(&owner.timers)
		st := s.gs.At(int(gp))
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
	owner := s.allp[s.gs.At(int(gp)).pp]
	s.qpush(&owner.timers, gp)
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
