// This file holds work stealing.
//
// stealWork makes stealTries (4) passes over all Ps in a random order: a
// random start and a stride coprime with GOMAXPROCS, so each pass visits
// every P once. From a victim it takes half the ring, rounded up
// (runqgrab), moving it to the thief's ring and running the last G taken.
// Only the last pass also runs the victim's expired timers and may take
// its runnext, after usleep(3) if the victim is running.
//
// Mirrors runtime.stealWork, runqsteal and runqgrab (src/runtime/proc.go,
// go1.26). The random order draws from the model's "gmp" stream instead of
// cheaprand.

package gmp

import (
	"time"
)

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
			if last && p2.timers.size > 0 {
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
