package sim

import "testing"

type zeroH struct {
	e  *Engine
	id HandlerID
}

func (h *zeroH) Handle(ev Event) {
	if ev.Arg < 3 {
		h.e.Schedule(h.e.Now(), h.id, 0, ev.Entity, ev.Arg+1)
		return
	}
	h.e.Schedule(h.e.Now()+Time(1+ev.Entity%7), h.id, 0, ev.Entity, 0)
}

// BenchmarkZeroDelay is a scheduler-like load: three same-instant wake-ups
// (the engine's FIFO) for every step forward in time (the ladder).
func BenchmarkZeroDelay(b *testing.B) {
	e := NewEngine(1)
	h := &zeroH{e: e}
	h.id = e.Register(h)
	for i := range 1000 {
		e.Schedule(Time(i%13+1), h.id, 0, int32(i), 0)
	}
	b.ResetTimer()
	for b.Loop() {
		e.Step()
	}
}
