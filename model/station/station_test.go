package station

import (
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// One worker, three arrivals at 0: the first runs 0–10 ms, the second
// waits 10 ms and runs to 20 ms; the third is abandoned while queued and
// skipped. Busy is 20 ms over 40 ms: utilization 0.5.
func TestStationOneWorker(t *testing.T) {
	e := sim.NewEngine(1)
	s := New[int](e, 1)
	abandoned := map[int]bool{}
	live := func(x int) bool { return !abandoned[x] }
	for x := range 3 {
		if s.Free() {
			s.Start()
		} else {
			s.Enqueue(x)
		}
	}
	if st := s.Stats(); st.Running != 1 || st.Queued != 2 || st.QueuedPeak != 2 {
		t.Fatalf("after arrivals: %+v", st)
	}
	abandoned[2] = true
	s.Abandon()
	e.RunUntil(sim.Time(10 * time.Millisecond))
	s.Finish()
	x, ok := s.Next(live)
	if !ok || x != 1 {
		t.Fatalf("next: %d %v, want 1", x, ok)
	}
	s.Start()
	if _, ok := s.Next(live); ok {
		t.Fatal("no worker is free: Next must wait")
	}
	e.RunUntil(sim.Time(20 * time.Millisecond))
	s.Finish()
	if _, ok := s.Next(live); ok {
		t.Fatal("the abandoned entry must be skipped")
	}
	e.RunUntil(sim.Time(40 * time.Millisecond))
	st := s.Stats()
	want := Stats{Running: 0, RunningPeak: 1, Queued: 0, QueuedPeak: 2, QueueWaits: 1, QueueWait: 10 * time.Millisecond, Busy: 20 * time.Millisecond}
	if st != want {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
	if u := s.Utilization(); u != 0.5 {
		t.Errorf("utilization %v, want 0.5", u)
	}
}

// Unlimited workers never queue, and have no utilization.
func TestStationUnlimited(t *testing.T) {
	e := sim.NewEngine(1)
	s := New[int](e, 0)
	for range 1000 {
		if !s.Free() {
			t.Fatal("an unlimited station is always free")
		}
		s.Start()
	}
	e.RunUntil(sim.Time(time.Second))
	if st := s.Stats(); st.Running != 1000 || st.Busy != 1000*time.Second {
		t.Errorf("stats %+v", st)
	}
	if u := s.Utilization(); u != -1 {
		t.Errorf("utilization %v, want -1 (unlimited)", u)
	}
}
