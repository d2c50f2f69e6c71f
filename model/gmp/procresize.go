// This file holds runtime.GOMAXPROCS: stop the world, resize the Ps, start
// the world.
//
// stopTheWorld takes every P but the caller's: a G running on another P is
// preempted to the global queue (gopreempt_m's goschedImpl, with the rest
// of its compute), a spinning or waking M gives its P up, a P in a syscall
// is taken from its M (the G finds no P at exitsyscall and takes the slow
// path). procresize then creates Ps up to n, or destroys Ps n and above:
// each destroyed P's ring is pushed, tail first, onto the head of the
// global queue and then its runnext, so they run before what was queued
// globally, in their local order (p.destroy), and its timers move to the
// caller's P (timers.take). The caller keeps its P if that P's id is below
// n, else it moves to P0. Every other P with local work gets an M
// (startTheWorld's newm/notewakeup); the rest go on the idle list from P0
// up, so the highest id is taken first; then wakep.
//
// Mirrors runtime.GOMAXPROCS (src/runtime/debug.go), stopTheWorldWithSema,
// startTheWorldWithSema, procresize and (*p).destroy (src/runtime/proc.go,
// go1.26). Simplified: the stop costs no simulated time (a real STW takes
// microseconds), startTheWorld's non-blocking netpoll is left to the next
// findRunnable, and an M is never tied to a particular P (oldm).

package gmp

import (
	"fmt"

	"github.com/gohttpsim/gohttpsim/model/host"
)

// GOMAXPROCS sets the number of Ps to n and returns the previous number, as
// runtime.GOMAXPROCS(n) does; n ≤ 0 only reports it. Call it from a G's
// Step (the G keeps running, on P0 if its P is removed) or between events.
// It panics if n exceeds 1024.
func (s *Sched) GOMAXPROCS(n int) int {
	old := len(s.allp)
	if n <= 0 || n == old {
		return old
	}
	if n > 1024 {
		panic(fmt.Sprintf("gmp: GOMAXPROCS %d > 1024", n))
	}
	s.stopTheWorld()
	s.procresize(n)
	return old
}

// stopTheWorld takes every P but the caller's (s.cur) out of the hands of
// its M.
func (s *Sched) stopTheWorld() {
	now := s.e.Now()
	s.pidle = s.pidle[:0]
	for _, pp := range s.allp {
		if pp == s.cur {
			continue
		}
		if h := s.cfg.Host; h != nil {
			r := h.Preempt(pp.thread)
			if pp.computing && pp.curg != NoG {
				s.gs.At(int(pp.curg)).remain += r
			}
			h.Release(pp.thread)
		} else if pp.computing && pp.curg != NoG {
			s.gs.At(int(pp.curg)).remain += pp.computeEnd.Sub(now)
		}
		pp.computing = false
		pp.preempt = false
		pp.gen++ // supersede its pending segment or wake-up
		switch {
		case pp.status == PSyscall:
			// The G stays in its syscall; the P is taken (the M has
			// no P at exitsyscall).
			pp.curg = NoG
			pp.busy += now.Sub(pp.busySince)
		case pp.curg != NoG:
			gp := pp.curg
			s.dropg(pp, GRunnable)
			s.gs.At(int(gp)).readyAt = now
			s.globrunqput(gp)
			s.nmidle++
		case pp.status == PRunning:
			// An M spinning or about to run schedule on pp stops.
			if pp.spinning {
				pp.spinning = false
				s.nmspinning--
				s.spinning += now.Sub(pp.spinSince)
			}
			s.nmidle++
		}
		pp.status = PIdle
	}
}

// procresize mirrors runtime.procresize with the world stopped: grow or
// shrink allp to n, keep or move the caller, then hand out the Ps.
func (s *Sched) procresize(n int) {
	old := len(s.allp)
	now := s.e.Now()
	// Grow: new Ps (or ones destroyed earlier, as allp keeps its cap).
	for i := old; i < n; i++ {
		if i < len(s.deadp) && s.deadp[i] != nil {
			pp := s.deadp[i]
			// gen carries on, so events left from its first life stay stale.
			*pp = P{id: PID(i), curg: NoG, runnext: NoG, timers: emptyQ(), thread: pp.thread, gen: pp.gen + 1}
			s.allp = append(s.allp, pp)
			continue
		}
		pp := &P{id: PID(i), curg: NoG, runnext: NoG, timers: emptyQ(), thread: host.NoThread}
		if s.cfg.Host != nil {
			pp.thread = s.cfg.Host.NewThread(s, int32(i))
		}
		s.allp = append(s.allp, pp)
	}
	// The caller keeps its P if it survives, else moves to P0.
	cur := s.cur
	if cur != nil && int(cur.id) >= n {
		gp := cur.curg
		cur.curg = NoG
		cur.busy += now.Sub(cur.busySince)
		cur.status = PIdle
		p0 := s.allp[0]
		p0.curg, p0.status, p0.busySince = gp, PRunning, now
		p0.sysSchedtick, p0.sysSchedwhen = p0.schedtick, now
		s.cur = p0
		cur = p0
	}
	// Destroy Ps n and above (p.destroy).
	if n < old {
		var into *P = cur
		if into == nil {
			into = s.allp[0]
		}
		for i := n; i < old; i++ {
			pp := s.allp[i]
			for pp.runqhead != pp.runqtail {
				pp.runqtail--
				s.globrunqputhead(pp.runq[pp.runqtail%runqSize])
			}
			if pp.runnext != NoG {
				s.globrunqputhead(pp.runnext)
				pp.runnext = NoG
			}
			// timers.take: expired timers join the caller's list; the
			// pending ones now belong to the caller's P (below).
			s.qpushAll(&into.timers, &pp.timers)
		}
		// Gs sleeping on a destroyed P's timer, or in a syscall taken
		// from one, now refer to the caller's P / no P.
		for i := range s.gs.Len() {
			st := s.gs.At(i)
			if int(st.pp) < n {
				continue
			}
			switch st.state {
			case GWaiting:
				st.pp = int16(into.id)
			case GSyscall:
				st.pp = -1
			}
		}
		for len(s.deadp) < old {
			s.deadp = append(s.deadp, nil)
		}
		for i := n; i < old; i++ {
			s.deadp[i] = s.allp[i]
		}
		s.allp = s.allp[:n]
	}
	// randomOrder.reset(n)
	s.coprimes = s.coprimes[:0]
	for i := 1; i <= n; i++ {
		if gcd(i, n) == 1 {
			s.coprimes = append(s.coprimes, uint32(i))
		}
	}
	// Hand out the Ps: those with local work get an M, the rest go idle
	// (idlePs is built from n-1 down, then put from its head: P0 first).
	var runnable []*P
	for i := n - 1; i >= 0; i-- {
		pp := s.allp[i]
		if pp == cur {
			continue
		}
		pp.status = PIdle
		if pp.runqhead != pp.runqtail || pp.runnext != NoG {
			runnable = append(runnable, pp)
		}
	}
	for i := 0; i < n; i++ {
		pp := s.allp[i]
		if pp != cur && pp.runqhead == pp.runqtail && pp.runnext == NoG {
			s.pidleput(pp)
		}
	}
	// startTheWorld: an M for each runnable P, then wakep for the rest.
	for _, pp := range runnable {
		pp.status = PRunning
		s.startm(pp)
	}
	s.wakep()
	s.wakeSysmon()
}

// globrunqputhead mirrors runtime.globrunqputhead: push gp at the head of
// the global queue. gp comes from a local queue, so the count of queued Gs
// does not change.
func (s *Sched) globrunqputhead(gp GID) {
	st := s.gs.At(int(gp))
	st.schedlink = s.runq.head
	s.runq.head = gp
	if s.runq.tail == NoG {
		s.runq.tail = gp
	}
	s.runq.size++
}
