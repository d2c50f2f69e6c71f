// This file holds the run queues: each P's 256-slot ring with its runnext
// slot, and the global queue.
//
// The local ring is indexed by free-running uint32 head and tail counters
// (t-h is the length, index mod 256). runqput with next puts the G in
// runnext and kicks the old runnext to the ring's tail; a full ring moves
// half of itself plus the G to the global queue (runqputslow). runqget
// takes runnext first, so a G readied by the running G runs next and
// inherits its time slice. The global queue and the other G lists are
// intrusive FIFOs linked through g.schedlink (gQueue); globrunqgetbatch
// moves min(max, size, size/GOMAXPROCS+1) Gs to a P's ring at once.
//
// Mirrors runtime.runqput, runqputslow, runqget, globrunqput,
// globrunqget and globrunqgetbatch and the gQueue type (src/runtime/proc.go,
// go1.26).

package gmp

// gQueue is an intrusive FIFO of Gs linked through g.schedlink (runtime's
// gQueue).
type gQueue struct {
	head, tail GID
	size       int
}

func emptyQ() gQueue { return gQueue{head: NoG, tail: NoG} }

// runqput mirrors runtime.runqput: with next, gp takes runnext and the old
// runnext is kicked to the tail of the ring; a full ring sends half of it
// plus the G to the global queue (runqputslow).
func (s *Sched) runqput(pp *P, gp GID, next bool) {
	s.nrunqAdd(1)
	if next {
		old := pp.runnext
		pp.runnext = gp
		pp.runnextAt = s.e.Now()
		if old == NoG {
			return
		}
		gp = old
	}
	h, t := pp.runqhead, pp.runqtail
	if t-h < runqSize {
		pp.runq[t%runqSize] = gp
		pp.runqtail = t + 1
		return
	}
	s.runqputslow(pp, gp, h, t)
}

// runqputslow mirrors runtime.runqputslow: move len(runq)/2 Gs from the
// head of the ring, plus gp, to the tail of the global queue, in order.
func (s *Sched) runqputslow(pp *P, gp GID, h, t uint32) {
	n := (t - h) / 2
	for i := uint32(0); i < n; i++ {
		s.qpush(&s.runq, pp.runq[(h+i)%runqSize])
	}
	pp.runqhead = h + n
	s.qpush(&s.runq, gp)
}

// runqget mirrors runtime.runqget: runnext first (inheritTime), then the
// head of the ring.
func (s *Sched) runqget(pp *P) (GID, bool) {
	if gp := pp.runnext; gp != NoG {
		pp.runnext = NoG
		s.nrunqAdd(-1)
		return gp, true
	}
	if pp.runqhead == pp.runqtail {
		return NoG, false
	}
	gp := pp.runq[pp.runqhead%runqSize]
	pp.runqhead++
	s.nrunqAdd(-1)
	return gp, false
}

func (s *Sched) globrunqput(gp GID) {
	s.nrunqAdd(1)
	s.qpush(&s.runq, gp)
}

func (s *Sched) globrunqpop() GID {
	s.nrunqAdd(-1)
	return s.qpop(&s.runq)
}

// globrunqgetbatch mirrors runtime.globrunqgetbatch: take
// min(max, size, size/GOMAXPROCS+1) Gs from the global queue, run the first
// and put the rest on pp's ring.
func (s *Sched) globrunqgetbatch(pp *P, max int) GID {
	n := min(max, s.runq.size, s.runq.size/len(s.allp)+1)
	gp := s.qpop(&s.runq)
	for i := 1; i < n; i++ {
		x := s.qpop(&s.runq)
		pp.runq[pp.runqtail%runqSize] = x
		pp.runqtail++
	}
	s.nrunqAdd(-1)
	return gp
}

func (s *Sched) nrunqAdd(d int) {
	s.nrunq += d
	s.runqTW.Set(s.e.Now(), float64(s.nrunq))
	if s.nrunq > s.runqPeak {
		s.runqPeak = s.nrunq
	}
}

func (s *Sched) qpush(q *gQueue, gp GID) {
	s.gs.At(int(gp)).schedlink = NoG
	if q.tail == NoG {
		q.head = gp
	} else {
		s.gs.At(int(q.tail)).schedlink = gp
	}
	q.tail = gp
	q.size++
}

// qpushAll moves all of from to the tail of q (gQueue.pushBackAll).
func (s *Sched) qpushAll(q, from *gQueue) {
	if from.size == 0 {
		return
	}
	if q.tail == NoG {
		q.head = from.head
	} else {
		s.gs.At(int(q.tail)).schedlink = from.head
	}
	q.tail = from.tail
	q.size += from.size
	*from = emptyQ()
}

func (s *Sched) qpop(q *gQueue) GID {
	gp := q.head
	q.head = s.gs.At(int(gp)).schedlink
	if q.head == NoG {
		q.tail = NoG
	}
	s.gs.At(int(gp)).schedlink = NoG
	q.size--
	return gp
}
