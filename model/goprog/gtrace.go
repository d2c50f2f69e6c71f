package goprog

import (
	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
)

// Place is where a G is, as the playground draws it: a slot of a P, a
// queue, or a reason it is parked.
type Place uint8

// The places, after the runtime's structures (runtime2.go's p.runnext,
// p.runq, sched.runq, the netpoller, the per-P timer heaps) and gmp's wait
// reasons. PlaceGone is a G that exited (or was never started).
const (
	PlaceGone     Place = iota
	PlaceRunning        // curg of P
	PlaceRunnext        // p.runnext of P
	PlaceRunq           // p.runq of P, at Pos (0 = head)
	PlaceGlobal         // sched.runq, at Pos
	PlaceRunnable       // runnable but in none of the queues (in transit: being stolen or injected)
	PlaceTimers         // parked on a timer (time.Sleep, a timer channel)
	PlaceNetpoll        // parked on the netpoller
	PlaceChan           // parked in a channel operation or select
	PlaceSync           // parked on a sync object (Mutex, WaitGroup, Cond)
	PlaceSyscall        // in a blocking syscall
	PlaceOther          // parked for another reason
	numPlaces
)

var placeNames = [numPlaces]string{"gone", "running", "runnext", "runq", "global", "runnable", "timers", "netpoll", "chan", "sync", "syscall", "other"}

func (p Place) String() string {
	if p < numPlaces {
		return placeNames[p]
	}
	return "?"
}

// PlaceNames lists the names of the places, indexed by Place.
func PlaceNames() []string { return placeNames[:] }

// Move is one change of a G's place.
type Move struct {
	T     sim.Time
	G     int32
	Place Place
	P     int16 // the P of PlaceRunning, PlaceRunnext and PlaceRunq, else -1
	Pos   int32 // the index in PlaceRunq or PlaceGlobal, else 0
}

// GTrace records every G's moves between the scheduler's places over a run:
// after each event of the engine it compares every G's place with the last
// one recorded. It costs O(Gs) per event, for the playground's small
// programs; Gs with a GID of MaxG or more are not recorded, and recording
// stops after MaxMoves moves (Truncated).
type GTrace struct {
	MaxG      int // default 256
	MaxMoves  int // default 100000
	Moves     []Move
	Truncated bool

	s    *gmp.Sched
	last []Move // last recorded place per GID
	buf  []gmp.GID
	cur  []Move // this event's places
}

func (t *GTrace) attach(s *gmp.Sched) {
	t.s = s
	if t.MaxG <= 0 {
		t.MaxG = 256
	}
	if t.MaxMoves <= 0 {
		t.MaxMoves = 100000
	}
	s.Engine().SetObserver(t)
}

// Observe implements sim.Observer.
func (t *GTrace) Observe(sim.Event) {
	if t.Truncated {
		return
	}
	s := t.s
	n := min(s.NumG(), t.MaxG)
	for len(t.last) < n {
		t.last = append(t.last, Move{G: int32(len(t.last)), P: -1})
	}
	t.cur = t.cur[:0]
	for g := range n {
		t.cur = append(t.cur, Move{G: int32(g), P: -1})
	}
	put := func(g gmp.GID, pl Place, p int16, pos int32) {
		if g >= 0 && int(g) < n {
			t.cur[g].Place, t.cur[g].P, t.cur[g].Pos = pl, p, pos
		}
	}
	for i := range s.NumP() {
		pv := s.P(gmp.PID(i))
		if pv.Curg != gmp.NoG {
			if st, _ := s.GState(pv.Curg); st == gmp.GRunning {
				put(pv.Curg, PlaceRunning, int16(i), 0)
			}
		}
		if pv.Runnext != gmp.NoG {
			put(pv.Runnext, PlaceRunnext, int16(i), 0)
		}
		t.buf = s.RunqAppend(gmp.PID(i), t.buf[:0])
		for j, g := range t.buf {
			put(g, PlaceRunq, int16(i), int32(j))
		}
	}
	t.buf = s.GlobalRunqAppend(t.buf[:0])
	for j, g := range t.buf {
		put(g, PlaceGlobal, -1, int32(j))
	}
	for g := range n {
		c := &t.cur[g]
		if c.Place == PlaceGone {
			st, why := s.GState(gmp.GID(g))
			switch st {
			case gmp.GRunnable:
				c.Place = PlaceRunnable
			case gmp.GRunning:
				c.Place = PlaceRunnable // on its way onto a P
			case gmp.GSyscall:
				c.Place = PlaceSyscall
			case gmp.GWaiting:
				c.Place = waitPlace(why)
			}
		}
		if l := &t.last[g]; l.Place != c.Place || l.P != c.P || l.Pos != c.Pos {
			if len(t.Moves) >= t.MaxMoves {
				t.Truncated = true
				return
			}
			c.T = s.Now()
			*l = *c
			t.Moves = append(t.Moves, *c)
		}
	}
}

func waitPlace(r gmp.WaitReason) Place {
	switch r {
	case gmp.WaitSleep:
		return PlaceTimers
	case gmp.WaitIOWait:
		return PlaceNetpoll
	case gmp.WaitChanReceive, gmp.WaitChanSend, gmp.WaitSelect, gmp.WaitSelectNoCases:
		return PlaceChan
	case gmp.WaitSyncMutexLock, gmp.WaitSyncWaitGroupWait, gmp.WaitSyncCondWait:
		return PlaceSync
	}
	return PlaceOther
}
