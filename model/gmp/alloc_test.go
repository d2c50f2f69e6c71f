package gmp

import (
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// churn is a steady-state workload using every Action: a driver G spawns a
// worker every few µs; each worker computes, parks until the driver readies
// it, parks on the netpoller until an outside event readies it, makes a
// syscall, yields, sleeps and exits. Its state lives in preallocated slices
// indexed by the worker slot (the G's user word), as a model's would.
type churn struct {
	s      *Sched
	h      sim.HandlerID
	phase  []uint8
	free   []int64
	parked []GID
	n      int
}

func newChurn(e *sim.Engine, procs int) *churn { return newChurnOn(e, Config{GOMAXPROCS: procs}) }

func newChurnOn(e *sim.Engine, cfg Config) *churn {
	c := &churn{phase: make([]uint8, 4096), parked: make([]GID, 0, 4096)}
	for i := len(c.phase) - 1; i >= 0; i-- {
		c.free = append(c.free, int64(i))
	}
	c.s = New(e, cfg)
	c.h = e.Register(c)
	c.s.Go(c, -1)
	return c
}

// Handle is the outside world: I/O for a G parked on the netpoller is ready.
func (c *churn) Handle(ev sim.Event) { c.s.NetReady(GID(ev.Entity)) }

func (c *churn) Step(s *Sched, gp GID, arg int64) Action {
	if arg < 0 { // driver: -1 spawn next, -2 sleep
		for _, w := range c.parked {
			s.Ready(w)
		}
		c.parked = c.parked[:0]
		if arg == -2 || len(c.free) == 0 {
			s.SetArg(gp, -1)
			return Sleep(3 * time.Microsecond)
		}
		s.SetArg(gp, -2)
		slot := c.free[len(c.free)-1]
		c.free = c.free[:len(c.free)-1]
		c.phase[slot] = 0
		return Spawn(c, slot)
	}
	p := c.phase[arg]
	c.phase[arg]++
	switch p {
	case 0:
		if c.n++; c.n%3000 == 0 {
			return Compute(25 * time.Millisecond) // preempted: sysmon ticks at least every 10ms
		}
		return Compute(time.Duration(1+arg%7) * time.Microsecond)
	case 1:
		c.parked = append(c.parked, gp)
		return Park(WaitChanReceive)
	case 2:
		s.Engine().After(time.Duration(10+arg%13)*time.Microsecond, c.h, 0, int32(gp), 0)
		return ParkNet()
	case 3:
		return Syscall(time.Duration(arg%3) * time.Microsecond)
	case 4:
		return Gosched()
	case 5:
		return Sleep(time.Duration(2+arg%5) * time.Microsecond)
	default:
		c.free = append(c.free, arg)
		return Exit()
	}
}

// After warm-up (the G table, run queues and event queue have grown to their
// working size), simulating the scheduler allocates nothing.
func TestSteadyStateAllocs(t *testing.T) {
	for _, procs := range []int{1, 4} {
		e := sim.NewEngine(1)
		c := newChurn(e, procs)
		e.RunUntil(sim.Time(20 * time.Millisecond))
		before := c.s.Stats()
		allocs := testing.AllocsPerRun(50, func() {
			e.RunUntil(e.Now().Add(time.Millisecond))
		})
		after := c.s.Stats()
		if after.Created-before.Created < 1000 || after.Reused-before.Reused < 1000 {
			t.Fatalf("GOMAXPROCS=%d: workload did not churn: %d created, %d reused", procs, after.Created-before.Created, after.Reused-before.Reused)
		}
		if after.Netpolls == before.Netpolls || after.Preemptions == before.Preemptions {
			t.Errorf("GOMAXPROCS=%d: no netpolls (%d) or preemptions (%d) in the measured span", procs, after.Netpolls-before.Netpolls, after.Preemptions-before.Preemptions)
		}
		if procs > 1 && after.Steals == before.Steals {
			t.Errorf("GOMAXPROCS=%d: no steals in the measured span", procs)
		}
		if allocs != 0 {
			t.Errorf("GOMAXPROCS=%d: %v allocations per 1ms of simulated time, want 0", procs, allocs)
		}
	}
}

func BenchmarkChurn(b *testing.B) {
	e := sim.NewEngine(1)
	c := newChurn(e, 4)
	e.RunUntil(sim.Time(20 * time.Millisecond))
	ev0 := e.Events()
	b.ReportAllocs()
	for b.Loop() {
		e.RunUntil(e.Now().Add(100 * time.Microsecond))
	}
	b.ReportMetric(float64(e.Events()-ev0)/float64(b.N), "events/op")
	_ = c
}
