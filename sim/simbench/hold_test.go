package simbench

import (
	"container/heap"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

func benchHold(b *testing.B, pending int) {
	e := sim.NewEngine(1)
	h := &holdHandler{e: e, r: e.Stream("hold"), mean: float64(time.Millisecond)}
	h.id = e.Register(h)
	for i := 0; i < pending; i++ {
		e.After(time.Duration(h.r.ExpFloat64()*h.mean)+1, h.id, 0, int32(i), 0)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		e.Step()
	}
	reportRate(b)
}

func BenchmarkHold1K(b *testing.B)   { benchHold(b, 1_000) }
func BenchmarkHold100K(b *testing.B) { benchHold(b, 100_000) }
func BenchmarkHold1M(b *testing.B)   { benchHold(b, 1_000_000) }

// benchHoldBaseline times the baseline's event loop, one event per op.
func benchHoldBaseline(b *testing.B, pending int) {
	const mean = float64(time.Millisecond)
	r := sim.NewStream(1, "hold")
	var q tbQueue
	var now int64
	var seq uint64
	var schedule func(at int64)
	schedule = func(at int64) {
		seq++
		heap.Push(&q, &tbEvent{when: at, seq: seq, fn: func() {
			schedule(now + int64(r.ExpFloat64()*mean) + 1)
		}})
	}
	for i := 0; i < pending; i++ {
		schedule(int64(r.ExpFloat64()*mean) + 1)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ev := heap.Pop(&q).(*tbEvent)
		now = ev.when
		ev.fn()
	}
	reportRate(b)
}

func reportRate(b *testing.B) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s/1e6, "Mevents/s")
	}
}

func BenchmarkHoldBaseline1K(b *testing.B)   { benchHoldBaseline(b, 1_000) }
func BenchmarkHoldBaseline100K(b *testing.B) { benchHoldBaseline(b, 100_000) }
func BenchmarkHoldBaseline1M(b *testing.B)   { benchHoldBaseline(b, 1_000_000) }
