// This file holds the life of a G outside the scheduler loop: creation,
// death and readying.
//
// Go and OpSpawn call newproc1, which reuses a dead G from gfree (gfget)
// or appends one to Sched.gs, and gives it a StackMin stack; the new G goes
// to the creator's runnext and wakep runs (newproc). A G that exits is
// kept on gfree for reuse (gfput). Ready is goready: the woken G goes to
// the waker's runnext, or to the global queue with an idle P started when
// the waker is not a G. Deadlocked is checkdead's condition.
//
// Mirrors runtime.newproc, newproc1, gfput, gfget, goready and checkdead
// (src/runtime/proc.go, go1.26) and newstack (src/runtime/stack.go).

package gmp

import (
	"fmt"
)

// GrowStack makes gp's simulated stack at least n bytes, doubling from its
// current size as newstack does (copystack to oldsize*2). Mirrors
// runtime.newstack (src/runtime/stack.go, go1.26); omits the copy cost and
// shrinkstack (GC halves stacks using < 1/4; the model has no GC).
func (s *Sched) GrowStack(gp GID, n int) {
	st := s.gs.At(int(gp))
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
		gp = GID(s.gs.Append(g{}))
	}
	st := s.gs.At(int(gp))
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
	st := s.gs.At(int(gp))
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
	st := s.gs.At(int(gp))
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
