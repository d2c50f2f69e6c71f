// This file holds the netpoller: Gs parked on I/O and how they come back.
//
// A G parked with ParkNet counts in nnetwait; NetReady puts it on netq, the
// list of ready Gs not yet polled (standing for the epoll ready list). Three
// callers poll, as in the runtime: a P that ran out of work does a
// non-blocking netpoll in findRunnable; the last M to stop blocks in
// netpoll and wakes when a G becomes ready (netpollBlocked); sysmon polls
// when nobody has for 10 ms. A poll takes up to 128 Gs, runs the first and
// places the rest with injectglist: one per idle P to the global queue
// (starting that many Ps), the rest on the poller's own ring.
//
// Mirrors runtime.netpoll's batch of 128 (src/runtime/netpoll_epoll.go),
// findRunnable's netpoll calls and injectglist (src/runtime/proc.go,
// go1.26).

package gmp

import (
	"fmt"
)

// NetReady reports I/O readiness for gp, parked with [ParkNet]: gp joins the
// netpoller's ready list and is made runnable by the next netpoll (a blocked
// poller M, a P that ran out of work, or sysmon after 10 ms).
func (s *Sched) NetReady(gp GID) {
	st := s.gs.At(int(gp))
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

// injectglist mirrors runtime.injectglist: with a P, one G per idle P goes
// to the global queue (and that many idle Ps are started), the rest to pp's
// local queue; with no P (sysmon), all go to the global queue.
func (s *Sched) injectglist(pp *P, q *gQueue) {
	now := s.e.Now()
	for gp := q.head; gp != NoG; gp = s.gs.At(int(gp)).schedlink {
		s.gs.At(int(gp)).state = GRunnable
		s.gs.At(int(gp)).reason = WaitNone
		s.gs.At(int(gp)).readyAt = now
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
		s.gs.At(int(gp)).pp = -1
		s.qpush(&batch, gp)
	}
	s.nnetwait -= batch.size
	s.netpolls++
	s.lastpoll = s.e.Now()
	if batch.size == 0 {
		return NoG
	}
	gp := s.qpop(&batch)
	st := s.gs.At(int(gp))
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
