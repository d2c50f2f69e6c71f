package sim

import (
	"testing"
	"time"
)

func benchHold(b *testing.B, pending int) {
	e := NewEngine(1)
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
