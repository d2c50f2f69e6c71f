package gmp

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// spawner is main: spawn n workers, park until the last one readies it.
type spawner struct {
	n, left int
	main    GID
	order   []int64
	work    time.Duration
	phase   map[GID]int
}

func (b *spawner) Step(s *Sched, gp GID, arg int64) Action {
	if arg >= 0 { // worker
		if b.phase[gp] == 0 && b.work > 0 {
			b.phase[gp] = 1
			return Compute(b.work)
		}
		b.order = append(b.order, arg)
		delete(b.phase, gp)
		b.left--
		if b.left == 0 {
			s.Ready(b.main)
		}
		return Exit()
	}
	switch b.phase[gp] {
	case 0:
		b.main = gp
		b.phase[gp] = 1
		b.left = b.n
		return Compute(0)
	default:
		i := -arg - 1
		if int(i) < b.n {
			s.SetArg(gp, arg-1)
			return Spawn(b, i)
		}
		if b.left == 0 {
			return Exit()
		}
		b.phase[gp] = 2
		if b.phase[gp] == 2 && b.left > 0 {
			b.phase[gp] = 3
			return Park(WaitSyncWaitGroupWait)
		}
		return Exit()
	}
}

func runSpawn(t *testing.T, procs, n int, work time.Duration, seed uint64) (*spawner, *Sched) {
	e := sim.NewEngine(seed)
	s := New(e, Config{GOMAXPROCS: procs})
	b := &spawner{n: n, phase: map[GID]int{}, work: work}
	s.Go(b, -1)
	e.Run()
	if len(b.order) != n {
		t.Fatalf("ran %d of %d workers", len(b.order), n)
	}
	if s.Stats().Goroutines != 0 {
		t.Fatalf("goroutines left: %d", s.Stats().Goroutines)
	}
	return b, s
}

func seq(lo, hi int) []int64 {
	var out []int64
	for i := lo; i < hi; i++ {
		out = append(out, int64(i))
	}
	return out
}

func TestSpawnOrderGOMAXPROCS1(t *testing.T) {
	tests := []struct {
		n    int
		want []int64
	}{
		{1, []int64{0}},
		{3, []int64{2, 0, 1}},
		{10, append([]int64{9}, seq(0, 9)...)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			b, _ := runSpawn(t, 1, tt.n, 0, 1)
			if !slices.Equal(b.order, tt.want) {
				t.Errorf("order %v, want %v", b.order, tt.want)
			}
		})
	}
}

func TestManyProcsRunAll(t *testing.T) {
	for _, procs := range []int{2, 4, 8} {
		b, s := runSpawn(t, procs, 1000, 50*time.Microsecond, 7)
		_ = b
		st := s.Stats()
		if st.Steals == 0 {
			t.Errorf("GOMAXPROCS=%d: no steals", procs)
		}
		busy := 0
		for i := range procs {
			if s.P(PID(i)).Busy > 0 {
				busy++
			}
		}
		if busy != procs {
			t.Errorf("GOMAXPROCS=%d: only %d Ps ran Gs", procs, busy)
		}
		if s.Ms().Spinning != 0 {
			t.Errorf("spinning Ms left: %d", s.Ms().Spinning)
		}
	}
}

func TestPreemption(t *testing.T) {
	_, s := runSpawn(t, 1, 3, 50*time.Millisecond, 1)
	if s.Stats().Preemptions == 0 {
		t.Error("no preemptions of 50ms computes")
	}
	if got := s.Now(); got < sim.Time(150*time.Millisecond) || got > sim.Time(161*time.Millisecond) {
		t.Errorf("end at %v, want 150ms plus at most one sysmon tick", got)
	}
}

func TestDeterminism(t *testing.T) {
	d := func() uint64 {
		_, s := runSpawn(t, 4, 2000, 20*time.Microsecond, 42)
		return s.Engine().Digest()
	}
	if a, b := d(), d(); a != b {
		t.Fatalf("digests differ: %x %x", a, b)
	}
}

func runSpawnB(procs, n int) {
	e := sim.NewEngine(1)
	s := New(e, Config{GOMAXPROCS: procs})
	b := &spawner{n: n, phase: map[GID]int{}, work: time.Microsecond}
	s.Go(b, -1)
	e.Run()
}
