package gmp

import (
	"slices"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// resizer is main: spawn n workers (each computes work), compute `before`,
// call GOMAXPROCS(to) (recording what the views showed just before), then
// park until the workers are done. arg < 0 counts main's steps.
type resizer struct {
	n, to       int
	work        time.Duration
	before      time.Duration
	sleepWorker int // this worker sleeps 50 µs before computing (a timer)
	main        GID
	left        int
	step        map[GID]int

	// observed around the call
	prev                  int
	wantGlobal, gotGlobal []GID
	mainP                 PID
	finished              []int64
	procsAfterResize      int
}

func (b *resizer) Step(s *Sched, gp GID, arg int64) Action {
	if arg >= 0 { // worker
		b.step[gp]++
		switch b.step[gp] {
		case 1:
			if int(arg) == b.sleepWorker {
				return Sleep(50 * time.Microsecond)
			}
			return Compute(b.work)
		case 2:
			if int(arg) == b.sleepWorker {
				return Compute(b.work)
			}
		}
		b.finished = append(b.finished, arg)
		b.left--
		if b.left == 0 {
			s.Ready(b.main)
		}
		return Exit()
	}
	i := -arg - 1
	switch {
	case int(i) < b.n:
		if i == 0 {
			b.main, b.left = gp, b.n
		}
		s.SetArg(gp, arg-1)
		return Spawn(b, i)
	case int(i) == b.n:
		s.SetArg(gp, arg-1)
		return Compute(b.before)
	case int(i) == b.n+1:
		s.SetArg(gp, arg-1)
		// Expected global queue after the resize: for each removed P
		// (from the lowest id; each pushes on the head, so the highest
		// ends first) runnext then its ring, then the old global queue,
		// then the Gs running on the stopped Ps, preempted in P order.
		var heads, running []GID
		for id := b.to; id < s.NumP(); id++ {
			v := s.P(PID(id))
			h := []GID{}
			if v.Runnext != NoG {
				h = append(h, v.Runnext)
			}
			h = s.RunqAppend(PID(id), h)
			heads = append(h, heads...)
		}
		for id := range s.NumP() {
			v := s.P(PID(id))
			if v.Curg != NoG && v.Curg != gp {
				running = append(running, v.Curg)
			}
		}
		b.wantGlobal = append(append(heads, s.GlobalRunqAppend(nil)...), running...)
		b.prev = s.GOMAXPROCS(b.to)
		b.procsAfterResize = s.NumP()
		b.gotGlobal = s.GlobalRunqAppend(nil)
		for id := range s.NumP() {
			if s.P(PID(id)).Curg == gp {
				b.mainP = PID(id)
			}
		}
		return Compute(0)
	case int(i) == b.n+2 && b.left > 0:
		s.SetArg(gp, arg-1)
		return Park(WaitSyncWaitGroupWait)
	}
	return Exit()
}

func runResize(t *testing.T, procs, to, n int, sleepWorker int) (*resizer, *Sched) {
	t.Helper()
	e := sim.NewEngine(1)
	s := New(e, Config{GOMAXPROCS: procs})
	b := &resizer{n: n, to: to, work: time.Millisecond, before: 200 * time.Microsecond, sleepWorker: sleepWorker, step: map[GID]int{}}
	s.Go(b, -1)
	e.Run()
	if len(b.finished) != n {
		t.Fatalf("%d of %d workers finished", len(b.finished), n)
	}
	if s.Stats().Goroutines != 0 || s.Deadlocked() {
		t.Fatalf("goroutines left %d, deadlocked %v", s.Stats().Goroutines, s.Deadlocked())
	}
	return b, s
}

// Shrinking from 4 Ps to 1 while the other Ps run stolen workers and hold
// some in their rings: the world stops (running workers go to the global
// queue with the rest of their compute), the removed Ps' runnext and rings
// go to the head of the global queue in their order (p.destroy), the
// caller keeps P0, and everything still finishes, on one P.
func TestGOMAXPROCSShrink(t *testing.T) {
	b, s := runResize(t, 4, 1, 12, -1)
	if b.prev != 4 || b.procsAfterResize != 1 || s.NumP() != 1 || b.mainP != 0 {
		t.Errorf("GOMAXPROCS(1) returned %d, NumP %d then %d, main on P%d; want 4, 1, 1, P0", b.prev, b.procsAfterResize, s.NumP(), b.mainP)
	}
	if !slices.Equal(b.gotGlobal, b.wantGlobal) {
		t.Errorf("global queue after the resize %v, want %v", b.gotGlobal, b.wantGlobal)
	}
	t.Logf("global queue after the resize: %v", b.gotGlobal)
	if len(b.wantGlobal) < 3 {
		t.Errorf("the scenario should leave work on the removed Ps: %v", b.wantGlobal)
	}
}

// A caller on a removed P moves to P0 (procresize: "release the current P
// and acquire allp[0]"): a hog runs on P0 and the caller, started second,
// on P1; after GOMAXPROCS(1) the caller runs on P0 and the hog, preempted
// by the stop, waits in the global queue and still finishes.
func TestGOMAXPROCSCallerMovesToP0(t *testing.T) {
	e := sim.NewEngine(1)
	s := New(e, Config{GOMAXPROCS: 2})
	var where []PID
	var prev int
	hog := &scripted{acts: []Action{Compute(5 * time.Millisecond), Exit()}}
	caller := &callOn{fn: func(s *Sched, gp GID) {
		for id := range s.NumP() {
			if s.P(PID(id)).Curg == gp {
				where = append(where, PID(id))
			}
		}
		prev = s.GOMAXPROCS(1)
		for id := range s.NumP() {
			if s.P(PID(id)).Curg == gp {
				where = append(where, PID(id))
			}
		}
	}}
	s.Go(hog, 0)    // P0 runs the hog
	s.Go(caller, 0) // an idle P (P1) starts for the caller
	e.Run()
	if prev != 2 || !slices.Equal(where, []PID{1, 0}) || s.NumP() != 1 {
		t.Errorf("prev %d, caller on %v (want P1 then P0), NumP %d", prev, where, s.NumP())
	}
	if !hog.done || !caller.done {
		t.Errorf("hog done %v, caller done %v", hog.done, caller.done)
	}
}

// A sleeping G whose timer sits on a removed P still wakes (timers move to
// the caller's P), and growing again makes new Ps that steal.
func TestGOMAXPROCSTimersAndGrow(t *testing.T) {
	// Worker 0 sleeps; spawned first, it is stolen by another P and its
	// timer lives there when the world stops.
	b, _ := runResize(t, 2, 1, 6, 0)
	if !slices.Contains(b.finished, 0) {
		t.Errorf("the sleeper never woke: %v", b.finished)
	}
	b, s := runResize(t, 1, 3, 6, -1)
	if b.prev != 1 || s.NumP() != 3 {
		t.Errorf("grow: prev %d NumP %d", b.prev, s.NumP())
	}
	if s.Stats().Steals == 0 {
		t.Error("after growing to 3 Ps nobody stole work")
	}
	// Same P count, or a query, does nothing.
	e := sim.NewEngine(1)
	s = New(e, Config{GOMAXPROCS: 2})
	if s.GOMAXPROCS(2) != 2 || s.GOMAXPROCS(0) != 2 || s.GOMAXPROCS(-1) != 2 || s.NumP() != 2 {
		t.Error("GOMAXPROCS(n) for n ≤ 0 or n == current must only report")
	}
}

// scripted runs its actions in order, then is done.
type scripted struct {
	acts []Action
	i    int
	done bool
}

func (b *scripted) Step(s *Sched, gp GID, arg int64) Action {
	a := b.acts[b.i]
	b.i++
	if a.Op == OpExit {
		b.done = true
	}
	return a
}

// callOn calls fn from its G's Step, computes 100 µs and exits.
type callOn struct {
	fn   func(s *Sched, gp GID)
	i    int
	done bool
}

func (b *callOn) Step(s *Sched, gp GID, arg int64) Action {
	b.i++
	switch b.i {
	case 1:
		b.fn(s, gp)
		return Compute(100 * time.Microsecond)
	}
	b.done = true
	return Exit()
}
