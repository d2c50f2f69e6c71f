package sim

import (
	"math/rand/v2"
	"testing"
	"time"
	"unsafe"
)

// recorder handles events by appending them.
type recorder struct {
	e   *Engine
	got []Event
	// onEvent, if set, runs inside Handle.
	onEvent func(ev Event)
}

func (r *recorder) Handle(ev Event) {
	r.got = append(r.got, ev)
	if r.onEvent != nil {
		r.onEvent(ev)
	}
}

func newRec() (*Engine, *recorder, HandlerID) {
	e := NewEngine(1)
	r := &recorder{e: e}
	return e, r, e.Register(r)
}

func TestOrderTimeThenSequence(t *testing.T) {
	e, r, h := newRec()
	e.Schedule(30, h, 0, 1, 0)
	e.Schedule(10, h, 0, 2, 0)
	e.Schedule(30, h, 0, 3, 0)
	e.Schedule(20, h, 0, 4, 0)
	e.Schedule(10, h, 0, 5, 0)
	e.Run()
	want := []int32{2, 5, 4, 1, 3}
	for i, ev := range r.got {
		if ev.Entity != want[i] {
			t.Fatalf("event %d: entity %d, want %d (order %v)", i, ev.Entity, want[i], r.got)
		}
	}
	if e.Now() != 30 || e.Events() != 5 {
		t.Fatalf("now %v events %d", e.Now(), e.Events())
	}
}

// Zero-delay events scheduled while handling an event at t run after the
// events already queued for t, in scheduling order.
func TestSameInstantFIFO(t *testing.T) {
	e, r, h := newRec()
	e.Schedule(5, h, 0, 1, 0)
	e.Schedule(5, h, 0, 2, 0)
	r.onEvent = func(ev Event) {
		if ev.Entity == 1 {
			e.After(0, h, 0, 10, 0)
			e.After(0, h, 0, 11, 0)
		}
		if ev.Entity == 10 {
			e.After(0, h, 0, 12, 0)
		}
	}
	e.Run()
	want := []int32{1, 2, 10, 11, 12}
	if len(r.got) != len(want) {
		t.Fatalf("got %d events, want %d", len(r.got), len(want))
	}
	for i, ev := range r.got {
		if ev.Entity != want[i] {
			t.Fatalf("event %d: entity %d, want %d", i, ev.Entity, want[i])
		}
	}
}

func TestCancel(t *testing.T) {
	e, r, h := newRec()
	a := e.ScheduleTimer(10, h, 0, 1, 0)
	b := e.ScheduleTimer(20, h, 0, 2, 0)
	if !e.TimerPending(a) || !e.Cancel(a) {
		t.Fatal("a should be pending and cancellable")
	}
	if e.Cancel(a) {
		t.Fatal("second cancel must report false")
	}
	if e.Pending() != 1 {
		t.Fatalf("pending %d, want 1", e.Pending())
	}
	e.Run()
	if len(r.got) != 1 || r.got[0].Entity != 2 {
		t.Fatalf("got %v", r.got)
	}
	if e.TimerPending(b) || e.Cancel(b) {
		t.Fatal("fired timer must not be pending or cancellable")
	}
	if e.Cancel(Timer{}) {
		t.Fatal("zero timer cancelled")
	}
	// A recycled slot must not be cancellable through the stale Timer.
	c := e.TimerAfter(5, h, 0, 3, 0)
	if e.Cancel(b) || !e.TimerPending(c) {
		t.Fatal("stale timer cancelled a recycled slot")
	}
}

// Many cancelled timers are compacted away; memory stays bounded.
func TestCancelCompaction(t *testing.T) {
	e, r, h := newRec()
	for i := 0; i < 100000; i++ {
		tm := e.TimerAfter(time.Duration(1000+i), h, 0, int32(i), 0)
		if i%10 != 0 {
			e.Cancel(tm)
		}
	}
	if p := e.Pending(); p != 10000 {
		t.Fatalf("pending %d, want 10000", p)
	}
	if n := e.q.len(); n > 40000 {
		t.Fatalf("queue still holds %d entries: compaction did not run", n)
	}
	e.Run()
	if len(r.got) != 10000 {
		t.Fatalf("fired %d, want 10000", len(r.got))
	}
}

func TestGuards(t *testing.T) {
	e, r, h := newRec()
	r.onEvent = func(ev Event) { e.After(time.Millisecond, h, 0, 0, 0) }
	e.After(0, h, 0, 0, 0)
	e.MaxEvents = 100
	e.Run()
	if !e.Truncated() || e.Events() != 100 {
		t.Fatalf("max events: truncated %v events %d", e.Truncated(), e.Events())
	}

	e2, r2, h2 := newRec()
	r2.onEvent = func(ev Event) { e2.After(time.Millisecond, h2, 0, 0, 0) }
	e2.After(0, h2, 0, 0, 0)
	e2.MaxTime = Time(10 * time.Millisecond)
	e2.Run()
	if !e2.Truncated() || e2.Now() != Time(10*time.Millisecond) {
		t.Fatalf("max time: truncated %v now %v", e2.Truncated(), e2.Now())
	}

	// A run that ends naturally is not truncated.
	e3, _, h3 := newRec()
	e3.After(5, h3, 0, 0, 0)
	e3.MaxEvents = 1
	e3.Run()
	if e3.Truncated() {
		t.Fatal("natural end marked truncated")
	}
}

func TestRunUntil(t *testing.T) {
	e, r, h := newRec()
	for i := 1; i <= 10; i++ {
		e.Schedule(Time(i*10), h, 0, int32(i), 0)
	}
	e.RunUntil(45)
	if len(r.got) != 4 || e.Now() != 45 {
		t.Fatalf("got %d events, now %v", len(r.got), e.Now())
	}
	e.RunUntil(1000)
	if len(r.got) != 10 || e.Now() != 1000 {
		t.Fatalf("got %d events, now %v", len(r.got), e.Now())
	}
}

func TestSchedulePastPanics(t *testing.T) {
	e, _, h := newRec()
	e.Schedule(10, h, 0, 0, 0)
	e.Run()
	defer func() {
		if recover() == nil {
			t.Fatal("scheduling in the past did not panic")
		}
	}()
	e.Schedule(5, h, 0, 0, 0)
}

// The digest of a fixed run is pinned: never edit it casually. A change
// means every recorded run changes (see math/rand/v2's regress_test.go).
func TestGoldenDigest(t *testing.T) {
	run := func() uint64 {
		e := NewEngine(42)
		hh := &testHold{e: e, r: e.Stream("hold"), mean: float64(time.Millisecond)}
		hh.id = e.Register(hh)
		for i := 0; i < 1000; i++ {
			e.After(time.Duration(hh.r.ExpFloat64()*hh.mean)+1, hh.id, 0, int32(i), 0)
		}
		e.MaxEvents = 100000
		e.Run()
		return e.Digest()
	}
	a, b := run(), run()
	if a != b {
		t.Fatalf("same seed, different digests: %x %x", a, b)
	}
	const golden = "fbc3fa81c2d68b88"
	if got := DigestString(a); got != golden {
		t.Fatalf("digest %s, golden %s", got, golden)
	}
}

func TestStreamsIndependent(t *testing.T) {
	a := NewStream(7, "a")
	b := NewStream(7, "b")
	a2 := NewStream(7, "a")
	same := 0
	for i := 0; i < 100; i++ {
		x, y, z := a.Uint64(), b.Uint64(), a2.Uint64()
		if x != z {
			t.Fatal("the same name and seed must give the same stream")
		}
		if x == y {
			same++
		}
	}
	if same > 0 {
		t.Fatal("different names gave overlapping streams")
	}
	if DeriveSeed(1, 0) == DeriveSeed(1, 1) || DeriveSeed(1, 0, 1) == DeriveSeed(1, 1, 0) {
		t.Fatal("derived seeds collide")
	}
}

func TestEngineStepAllocs(t *testing.T) {
	e := NewEngine(1)
	hh := &testHold{e: e, r: e.Stream("hold"), mean: float64(time.Millisecond)}
	hh.id = e.Register(hh)
	for i := 0; i < 10000; i++ {
		e.After(time.Duration(hh.r.ExpFloat64()*hh.mean)+1, hh.id, 0, int32(i), 0)
	}
	for i := 0; i < 200000; i++ { // warm up: let buffers reach their size
		e.Step()
	}
	if a := testing.AllocsPerRun(10000, func() { e.Step() }); a != 0 {
		t.Fatalf("Step allocates %v per event in steady state", a)
	}
}

// The timer slot shares a word with the sequence number: Seq must not see
// the slot and ordering must still follow scheduling order.
func TestSeqSlotPacking(t *testing.T) {
	e := NewEngine(1)
	var seqs []uint64
	id := e.Register(HandlerFunc(func(ev Event) { seqs = append(seqs, ev.Seq()) }))
	for i := 0; i < 5; i++ {
		e.ScheduleTimer(10, id, 0, int32(i), 0)
		e.Schedule(10, id, 0, int32(i), 0)
	}
	if unsafe.Sizeof(Event{}) != 32 {
		t.Errorf("Event is %d bytes, want 32", unsafe.Sizeof(Event{}))
	}
	e.Run()
	for i, s := range seqs {
		if s != uint64(i+1) {
			t.Fatalf("seqs %v, want 1..10", seqs)
		}
	}
}

// testHold is the hold model: every event reschedules its entity at
// now + Exp(mean) + 1ns (sim/simbench has the benchmarked copy).
type testHold struct {
	e    *Engine
	r    *rand.Rand
	mean float64
	id   HandlerID
}

func (h *testHold) Handle(ev Event) {
	h.e.After(time.Duration(h.r.ExpFloat64()*h.mean)+1, h.id, 0, ev.Entity, 0)
}

// Renumbering the pending events when the sequence space runs out must not
// change what runs when: a mixed model (ties at one instant, zero-delay
// wake-ups, cancellable timers, some cancelled) runs identically with the
// space exhausted every few dozen schedulings and with the full space.
func TestRenumberKeepsOrder(t *testing.T) {
	run := func(seqMax uint64) ([]Event, uint64) {
		e := NewEngine(3)
		e.seqMax = seqMax
		r := e.Stream("mix")
		var got []Event
		var timers []Timer
		var id HandlerID
		id = e.Register(HandlerFunc(func(ev Event) {
			ev.seq = 0 // renumbering changes sequence numbers, not order
			got = append(got, ev)
			switch r.IntN(5) {
			case 0:
				e.After(0, id, 1, ev.Entity, 0)
			case 1:
				e.After(time.Duration(r.IntN(3)), id, 2, ev.Entity, 0)
			case 2:
				timers = append(timers, e.TimerAfter(time.Duration(r.IntN(50)), id, 3, ev.Entity, 0))
			case 3:
				if len(timers) > 0 {
					e.Cancel(timers[r.IntN(len(timers))])
				}
				e.After(time.Duration(r.IntN(20)+1), id, 4, ev.Entity, 0)
			default:
				e.After(time.Duration(r.IntN(1000)+1), id, 5, ev.Entity, 0)
			}
		}))
		for i := range 200 {
			e.Schedule(Time(i%7), id, 0, int32(i), 0)
		}
		e.MaxEvents = 20000
		e.Run()
		return got, e.Digest()
	}
	want, wd := run(maxSeq)
	got, gd := run(1000)
	if len(got) != len(want) || wd != gd {
		t.Fatalf("renumbering changed the run: %d events digest %x, want %d events digest %x", len(got), gd, len(want), wd)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("event %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}
