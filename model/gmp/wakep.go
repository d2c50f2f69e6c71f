// This file holds idle Ps and the Ms that start on them.
//
// Idle Ps form a LIFO (sched.pidle): pidleput pushes, pidleget pops the
// most recently idled one. Ms are counted, not modelled: mget reuses an
// idle M or creates one (newm). wakep starts one spinning M on an idle P,
// but only when no M spins already; a spinning M that finds work calls
// wakep again (resetspinning), so wake-ups chain one at a time. startm
// schedules a kFind event after the wake-up latency.
//
// Mirrors runtime.pidleput, pidleget, mget, wakep, startm and
// injectglist's startIdle (src/runtime/proc.go, go1.26).

package gmp

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
