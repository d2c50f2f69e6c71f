package simbench

import (
	"container/heap"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// HoldResult is the outcome of the classic hold-model benchmark: N pending
// events, each processed event schedules one new one at now + Exp(mean).
type HoldResult struct {
	Events         uint64  `json:"events"`
	Pending        int     `json:"pending"`
	WallNs         int64   `json:"wall_ns"`
	EventsPerSec   float64 `json:"events_per_sec"`
	AllocsPerEvent float64 `json:"allocs_per_event"`
}

type holdHandler struct {
	e    *sim.Engine
	r    *rand.Rand
	mean float64
	id   sim.HandlerID
}

func (h *holdHandler) Handle(ev sim.Event) {
	d := time.Duration(h.r.ExpFloat64()*h.mean) + 1
	h.e.After(d, h.id, 0, ev.Entity, 0)
}

// Hold runs the hold model on the kernel: pending events, then events more
// processed events, each rescheduling itself at now + Exp(mean). Only the
// processing phase is timed. It uses wall time to measure, never to decide.
func Hold(pending int, events uint64, mean time.Duration, seed uint64) HoldResult {
	e := sim.NewEngine(seed)
	h := &holdHandler{e: e, r: e.Stream("hold"), mean: float64(mean)}
	h.id = e.Register(h)
	for i := 0; i < pending; i++ {
		e.After(time.Duration(h.r.ExpFloat64()*h.mean)+1, h.id, 0, int32(i), 0)
	}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	start := time.Now()
	e.MaxEvents = events
	e.Run()
	wall := time.Since(start)
	runtime.ReadMemStats(&m1)
	return holdResult(e.Events(), pending, wall, m1.Mallocs-m0.Mallocs)
}

func holdResult(n uint64, pending int, wall time.Duration, allocs uint64) HoldResult {
	return HoldResult{
		Events:         n,
		Pending:        pending,
		WallNs:         wall.Nanoseconds(),
		EventsPerSec:   float64(n) / wall.Seconds(),
		AllocsPerEvent: float64(allocs) / float64(max(n, 1)),
	}
}

// The textbook baseline: container/heap over pointers, one heap-allocated
// event holding a closure per schedule. It is what a first DES in Go looks
// like, and what the kernel is measured against.
type tbEvent struct {
	when int64
	seq  uint64
	fn   func()
}

type tbQueue []*tbEvent

func (q tbQueue) Len() int { return len(q) }
func (q tbQueue) Less(i, j int) bool {
	return q[i].when < q[j].when || (q[i].when == q[j].when && q[i].seq < q[j].seq)
}
func (q tbQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *tbQueue) Push(x any)   { *q = append(*q, x.(*tbEvent)) }
func (q *tbQueue) Pop() any {
	old := *q
	n := len(old)
	x := old[n-1]
	old[n-1] = nil
	*q = old[:n-1]
	return x
}

// HoldBaseline runs the same hold model on the textbook baseline.
func HoldBaseline(pending int, events uint64, mean time.Duration, seed uint64) HoldResult {
	r := sim.NewStream(seed, "hold")
	var q tbQueue
	var now int64
	var seq uint64
	var schedule func(at int64)
	schedule = func(at int64) {
		seq++
		heap.Push(&q, &tbEvent{when: at, seq: seq, fn: func() {
			schedule(now + int64(r.ExpFloat64()*float64(mean)) + 1)
		}})
	}
	for i := 0; i < pending; i++ {
		schedule(int64(r.ExpFloat64()*float64(mean)) + 1)
	}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	start := time.Now()
	var n uint64
	for n < events && q.Len() > 0 {
		ev := heap.Pop(&q).(*tbEvent)
		now = ev.when
		ev.fn()
		n++
	}
	wall := time.Since(start)
	runtime.ReadMemStats(&m1)
	return holdResult(n, pending, wall, m1.Mallocs-m0.Mallocs)
}
