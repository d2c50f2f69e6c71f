package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// refMax bounds the oracle's size (it is O(n) per push) in the ops below;
// the fuzzer sets it low so that each input runs fast.
var refMax = 1 << 30

// refQueue is the oracle: a slice kept sorted by (When, seq).
type refQueue struct{ ev []Event }

func (q *refQueue) len() int { return len(q.ev) }

func (q *refQueue) push(e Event) {
	i, _ := slices.BinarySearchFunc(q.ev, e, func(a, b Event) int {
		switch {
		case before(&a, &b):
			return -1
		case before(&b, &a):
			return 1
		}
		return 0
	})
	q.ev = slices.Insert(q.ev, i, e)
}

func (q *refQueue) min() *Event { return &q.ev[0] }

func (q *refQueue) pop() Event {
	e := q.ev[0]
	q.ev = q.ev[1:]
	return e
}

func (q *refQueue) filter(dead func(*Event) bool) {
	q.ev = slices.DeleteFunc(q.ev, func(e Event) bool { return dead(&e) })
}

// testQueue is a queue under test.
type testQueue interface {
	queueAPI
	filter(dead func(*Event) bool)
}

func newQueues() map[string]func() testQueue {
	return map[string]func() testQueue{
		"ladder": func() testQueue { l := newLadder(); return &l },
		"heap4":  func() testQueue { return &heap4{} },
	}
}

// queueOps decodes data into operations on q and checks every result
// against the oracle. Times never go below zero; pushes may go below the
// last popped time (the queues do not rely on monotonic time), except when
// monotonic is set, as in the engine.
func queueOps(t *testing.T, q testQueue, data []byte, monotonic bool) {
	t.Helper()
	var ref refQueue
	var seq uint64
	var now Time // last popped time
	last := Time(0)
	push := func(w Time) {
		if ref.len() >= refMax {
			return
		}
		if w < 0 {
			w = 0
		}
		if monotonic && w < now {
			w = now
		}
		seq++
		e := Event{When: w, seq: seq, Arg: int64(seq)}
		q.push(e)
		ref.push(e)
		last = w
	}
	check := func(op string) {
		t.Helper()
		if q.len() != ref.len() {
			t.Fatalf("%s: len %d, want %d", op, q.len(), ref.len())
		}
		if ref.len() > 0 {
			if g, w := *q.min(), *ref.min(); g != w {
				t.Fatalf("%s: min (%v,%d), want (%v,%d)", op, g.When, g.seq, w.When, w.seq)
			}
		}
	}
	for len(data) >= 3 {
		op, a, b := data[0], data[1], data[2]
		data = data[3:]
		arg := Time(a)<<8 | Time(b)
		switch op % 10 {
		case 0, 1, 2: // push a little after now
			push(now + arg)
		case 3: // push at the same time as the last push: a seq tie
			push(last)
		case 4: // a far outlier
			push(now + arg<<28 + Time(a))
		case 5: // a burst at one instant
			for range int(a)%64 + 1 {
				push(now + Time(b))
			}
		case 6: // push below now (never in the engine)
			push(now - arg)
		case 7, 8: // pop
			for range int(a)%4 + 1 {
				if ref.len() == 0 {
					break
				}
				g, w := q.pop(), ref.pop()
				if g != w {
					t.Fatalf("pop (%v,%d), want (%v,%d)", g.When, g.seq, w.When, w.seq)
				}
				now = w.When
			}
		case 9: // cancel: drop the events whose seq is r mod m
			m, r := uint64(a)%5+2, uint64(b)%7
			dead := func(e *Event) bool { return e.seq%m == r }
			q.filter(dead)
			ref.filter(dead)
		}
		check(fmt.Sprintf("op %d", op%10))
	}
	for ref.len() > 0 {
		if g, w := q.pop(), ref.pop(); g != w {
			t.Fatalf("drain: pop (%v,%d), want (%v,%d)", g.When, g.seq, w.When, w.seq)
		}
	}
	if q.len() != 0 {
		t.Fatalf("drained: len %d", q.len())
	}
}

// engineOps decodes data into Schedule, ScheduleTimer, Cancel, Step and
// RunUntil calls on an Engine and checks the events it delivers, in order,
// against the oracle.
func engineOps(t *testing.T, data []byte) {
	t.Helper()
	e := NewEngine(1)
	var got []Event
	h := e.Register(HandlerFunc(func(ev Event) { got = append(got, ev) }))
	var ref refQueue
	var seq uint64
	type tm struct {
		t   Timer
		seq uint64
	}
	var timers []tm
	live := map[uint64]bool{} // seq -> pending (for timers)
	pending := 0
	sched := func(w Time, timer bool) {
		if ref.len() >= refMax {
			return
		}
		if w < e.Now() {
			w = e.Now()
		}
		seq++
		ev := Event{When: w, seq: seq, Entity: int32(seq), H: h}
		if timer {
			tt := e.ScheduleTimer(w, h, 0, int32(seq), 0)
			timers = append(timers, tm{tt, seq})
			live[seq] = true
		} else {
			e.Schedule(w, h, 0, int32(seq), 0)
		}
		ref.push(ev)
		pending++
	}
	popRef := func() (Event, bool) {
		for ref.len() > 0 {
			w := ref.pop()
			if _, isTimer := live[w.seq]; isTimer {
				if !live[w.seq] {
					continue // cancelled
				}
				live[w.seq] = false
			}
			pending--
			return w, true
		}
		return Event{}, false
	}
	expect := func(op string, w Event) {
		t.Helper()
		if len(got) != 1 {
			t.Fatalf("%s: %d events delivered, want 1", op, len(got))
		}
		g := got[0]
		got = got[:0]
		if g.When != w.When || g.Seq() != w.seq || g.Entity != w.Entity {
			t.Fatalf("%s: event (%v,%d,%d), want (%v,%d,%d)", op, g.When, g.Seq(), g.Entity, w.When, w.seq, w.Entity)
		}
		if e.Now() != w.When {
			t.Fatalf("%s: now %v, want %v", op, e.Now(), w.When)
		}
	}
	last := Time(0)
	for len(data) >= 3 {
		op, a, b := data[0], data[1], data[2]
		data = data[3:]
		arg := Time(a)<<8 | Time(b)
		now := e.Now()
		switch op % 12 {
		case 0, 1:
			last = now + arg
			sched(last, op%2 == 1)
		case 2: // same instant: the FIFO
			last = now
			sched(now, b%2 == 1)
		case 3: // seq tie with the last
			sched(last, b%2 == 1)
		case 4: // a long timeout
			sched(now+Time(30*time.Second)+arg<<20, true)
		case 5: // a burst of timers, most cancelled (exercises compaction)
			n := min(int(a)*8+1, refMax-ref.len())
			if n <= 0 {
				break
			}
			for range n {
				sched(now+Time(b)+Time(time.Minute), true)
			}
			for i := len(timers) - n; i < len(timers); i++ {
				if i%int(b%8+1) != 0 {
					if !e.Cancel(timers[i].t) {
						x := timers[i].t
						t.Fatalf("burst: cancel of pending timer %d/%d failed: slot %d gen %d cur %d cancelled %v zombies %d qlen %d fifo %d", i, len(timers), x.slot, x.gen, e.timers.Gen(x.slot), *e.timers.At(x.slot), e.zombies, e.q.len(), len(e.fifo)-e.fifoHd)
					}
					live[timers[i].seq] = false
					pending--
				}
			}
		case 6, 7: // cancel a timer, maybe fired or cancelled already
			if len(timers) > 0 {
				x := timers[int(arg)%len(timers)]
				want := live[x.seq]
				if g := e.TimerPending(x.t); g != want {
					t.Fatalf("TimerPending %v, want %v", g, want)
				}
				if g := e.Cancel(x.t); g != want {
					t.Fatalf("Cancel %v, want %v", g, want)
				}
				if want {
					live[x.seq] = false
					pending--
				}
			}
		case 8, 9, 10: // step
			for range int(a)%4 + 1 {
				w, ok := popRef()
				if e.Step() != ok {
					t.Fatalf("Step = %v, want %v", !ok, ok)
				}
				if ok {
					expect("step", w)
				}
			}
		case 11: // RunUntil
			until := now + arg
			e.RunUntil(until)
			for ref.len() > 0 {
				w := ref.ev[0]
				if w.When > until {
					break
				}
				if p, isTimer := live[w.seq]; isTimer && !p {
					ref.pop() // a cancelled timer
					continue
				}
				if w, ok := popRef(); ok {
					if len(got) == 0 {
						t.Fatalf("RunUntil(%v): missing event (%v,%d)", until, w.When, w.seq)
					}
					g := got[0]
					got = got[1:]
					if g.When != w.When || g.Seq() != w.seq {
						t.Fatalf("RunUntil: event (%v,%d), want (%v,%d)", g.When, g.Seq(), w.When, w.seq)
					}
				}
			}
			if len(got) != 0 {
				t.Fatalf("RunUntil: %d extra events", len(got))
			}
			got = got[:0]
			if e.Now() != until {
				t.Fatalf("RunUntil: now %v, want %v", e.Now(), until)
			}
		}
		if e.Pending() != pending {
			t.Fatalf("op %d: Pending %d, want %d", op%12, e.Pending(), pending)
		}
	}
	for {
		w, ok := popRef()
		if e.Step() != ok {
			t.Fatalf("drain: Step = %v, want %v", !ok, ok)
		}
		if !ok {
			break
		}
		expect("drain", w)
	}
}

func FuzzQueue(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 3, 30, 300, 3000} {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		f.Add(b)
	}
	f.Add([]byte{5, 200, 7, 5, 10, 7, 7, 3, 0, 3, 0, 0, 7, 3, 0, 5, 255, 255, 7, 3, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		// The oracle is O(n) per push: bound the work per input.
		refMax = 4096
		if len(data) > 3*1500 {
			data = data[:3*1500]
		}
		defer func() { refMax = 1 << 30 }()
		for name, mk := range newQueues() {
			t.Run(name, func(t *testing.T) {
				queueOps(t, mk(), data, false)
				queueOps(t, mk(), data, true)
			})
		}
		engineOps(t, data)
	})
}

// TestQueueRandom runs long random sequences that build deep ladders, larger
// than fuzz inputs usually get.
func TestQueueRandom(t *testing.T) {
	for seed := range uint64(4) {
		r := rand.New(rand.NewPCG(seed, 7))
		data := make([]byte, 3*60_000)
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		// Bias toward pushes so that the queue grows large.
		for i := 0; i < len(data); i += 3 {
			if data[i]%10 >= 7 && r.IntN(3) > 0 {
				data[i] = 0
			}
		}
		for name, mk := range newQueues() {
			queueOps(t, mk(), data, seed%2 == 0)
			_ = name
		}
		engineOps(t, data[:3*10_000])
	}
}

// TestQueueHoldOracle runs the hold model on both queues against the oracle.
func TestQueueHoldOracle(t *testing.T) {
	for name, mk := range newQueues() {
		q := mk()
		var ref refQueue
		r := rand.New(rand.NewPCG(3, 4))
		var seq uint64
		for i := 0; i < 20_000; i++ {
			seq++
			e := Event{When: Time(r.ExpFloat64()*1e6) + 1, seq: seq}
			q.push(e)
			ref.push(e)
		}
		for i := 0; i < 200_000; i++ {
			g, w := q.pop(), ref.pop()
			if g != w {
				t.Fatalf("%s: pop %d: (%v,%d), want (%v,%d)", name, i, g.When, g.seq, w.When, w.seq)
			}
			seq++
			e := Event{When: w.When + Time(r.ExpFloat64()*1e6) + 1, seq: seq}
			if i%3 == 0 {
				e.When = w.When // ties at the head
			}
			q.push(e)
			ref.push(e)
		}
	}
}

// TestStepAllocs checks that a steady-state Step allocates nothing, for the
// hold model and the mixed workload with cancelled timeouts.
func TestStepAllocs(t *testing.T) {
	e := NewEngine(1)
	h := &testHold{e: e, r: e.Stream("hold"), mean: float64(time.Millisecond)}
	h.id = e.Register(h)
	for i := 0; i < 10_000; i++ {
		e.After(time.Duration(h.r.ExpFloat64()*h.mean)+1, h.id, 0, int32(i), 0)
	}
	for range 200_000 {
		e.Step()
	}
	if a := testing.AllocsPerRun(100_000, func() { e.Step() }); a != 0 {
		t.Errorf("hold: %v allocs per Step, want 0", a)
	}
	m := newMix(10_000)
	for range 500_000 {
		m.e.Step()
	}
	if a := testing.AllocsPerRun(100_000, func() { m.e.Step() }); a != 0 {
		t.Errorf("mix: %v allocs per Step, want 0", a)
	}
}
