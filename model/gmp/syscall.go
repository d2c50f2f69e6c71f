// This file holds blocking system calls.
//
// entersyscall leaves the P with its M in status PSyscall for the length of
// the call. If sysmon's retake finds the P still in the same syscall one
// tick later, handoffp gives it away: an M starts on it if there is work,
// or spins if nobody else does, else it goes idle. exitsyscall keeps the
// old P when it was not retaken (exitsyscallfast), else takes an idle P,
// else queues the G globally and stops the M (exitsyscall0).
//
// Mirrors runtime.entersyscall, exitsyscall, exitsyscallfast, exitsyscall0
// and handoffp (src/runtime/proc.go, go1.26).

package gmp

import (
	"time"
)

// entersyscall mirrors runtime.entersyscall: the P stays with the M
// (_Psyscall in ≤1.25, wired in 1.26) until sysmon's retake hands it off.
func (s *Sched) entersyscall(pp *P, gp GID, d time.Duration) {
	st := s.gs.At(int(gp))
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
	st := s.gs.At(int(gp))
	s.nmsyscall--
	s.nsyscallG--
	var pp *P
	if st.pp >= 0 { // -1: GOMAXPROCS destroyed its P
		pp = s.allp[st.pp]
	}
	st.pp = -1
	if pp != nil && pp.status == PSyscall && pp.curg == gp {
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
