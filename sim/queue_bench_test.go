package sim

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Benchmarks for the future-event queue.
//
//   - The hold model through the whole kernel and through the textbook
//     baseline lives in sim/simbench (BenchmarkHold*, BenchmarkHoldBaseline*).
//   - BenchmarkMix* runs a model-like mix through the kernel: zero-delay
//     wake-ups, short delays, and long timeouts that are mostly cancelled.
//   - BenchmarkQueue* run the hold model directly on a queue (ladder and the
//     4-ary heap), without the engine.
//
// Run side by side with:
//
//	go test ./sim/simbench -run '^$' -bench 'Hold' -benchtime 3s -cpu 1

// mixModel is a model-like workload: entities run chains of events; each
// event is followed by a zero-delay wake-up (20%) or a short delay
// (Exp(20µs), 80%); one event in ten arms a long timeout (+30s..+90s) for
// its entity, cancelling the entity's previous one if still pending, so most
// timeouts are cancelled, as request timeouts are.
type mixModel struct {
	e      *Engine
	r      *rand.Rand
	id     HandlerID
	timers []Timer
}

const (
	mixKindStep Kind = iota
	mixKindTimeout
)

func (m *mixModel) Handle(ev Event) {
	if ev.Kind == mixKindTimeout {
		return
	}
	u := m.r.Uint64()
	if u%5 == 0 {
		m.e.After(0, m.id, mixKindStep, ev.Entity, 0)
	} else {
		m.e.After(time.Duration(m.r.ExpFloat64()*20e3)+1, m.id, mixKindStep, ev.Entity, 0)
	}
	if (u>>8)%10 == 0 {
		m.e.Cancel(m.timers[ev.Entity])
		d := 30*time.Second + time.Duration((u>>16)%uint64(60*time.Second))
		m.timers[ev.Entity] = m.e.TimerAfter(d, m.id, mixKindTimeout, ev.Entity, 0)
	}
}

func newMix(entities int) *mixModel {
	e := NewEngine(1)
	m := &mixModel{e: e, r: e.Stream("mix"), timers: make([]Timer, entities)}
	m.id = e.Register(m)
	for i := 0; i < entities; i++ {
		e.After(time.Duration(m.r.ExpFloat64()*20e3)+1, m.id, mixKindStep, int32(i), 0)
	}
	return m
}

func benchMix(b *testing.B, entities int) {
	m := newMix(entities)
	for range 2 * entities { // warm up: arm the timeouts
		m.e.Step()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.e.Step()
	}
	reportRate(b)
}

func BenchmarkMix1K(b *testing.B)   { benchMix(b, 1_000) }
func BenchmarkMix100K(b *testing.B) { benchMix(b, 100_000) }
func BenchmarkMix1M(b *testing.B)   { benchMix(b, 1_000_000) }

// queueAPI is what the engine needs from a future-event queue.
type queueAPI interface {
	push(Event)
	pop() Event
	min() *Event
	len() int
}

func benchQueueHold(b *testing.B, q queueAPI, pending int) {
	r := NewStream(1, "hold")
	var seq uint64
	for i := 0; i < pending; i++ {
		seq++
		q.push(Event{When: Time(r.ExpFloat64()*1e6) + 1, seq: seq})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ev := q.pop()
		seq++
		q.push(Event{When: ev.When + Time(r.ExpFloat64()*1e6) + 1, seq: seq})
	}
	reportRate(b)
}

func BenchmarkQueueLadder1K(b *testing.B) {
	l := newLadder()
	benchQueueHold(b, &l, 1_000)
}
func BenchmarkQueueLadder100K(b *testing.B) {
	l := newLadder()
	benchQueueHold(b, &l, 100_000)
}
func BenchmarkQueueLadder1M(b *testing.B) {
	l := newLadder()
	benchQueueHold(b, &l, 1_000_000)
}
func BenchmarkQueueHeap1K(b *testing.B)   { benchQueueHold(b, &heap4{}, 1_000) }
func BenchmarkQueueHeap100K(b *testing.B) { benchQueueHold(b, &heap4{}, 100_000) }
func BenchmarkQueueHeap1M(b *testing.B)   { benchQueueHold(b, &heap4{}, 1_000_000) }

func reportRate(b *testing.B) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s/1e6, "Mevents/s")
	}
}
