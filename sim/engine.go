package sim

import (
	"fmt"
	"slices"
	"time"
	"unsafe"

	"github.com/gohttpsim/gohttpsim/sim/container"
)

// Engine is the simulation kernel: a clock and an event queue.
//
// The queue is a ladder queue ([ladder]) for future events plus a FIFO
// for events scheduled at the current instant (zero-delay wake-ups are the
// most common event in the scheduler model and never need a heap sift).
// Events in the heap at the current instant were scheduled before any event
// in the FIFO, so the engine drains those first and (time, seq) order holds.
//
// An Engine is not safe for concurrent use; a run is single-threaded by
// design (determinism). Independent replications use independent Engines.
type Engine struct {
	now Time
	seq uint64
	q   ladder
	// fifo holds the events at time now, in seq order, from fifoHd. It is
	// not a container.Queue: on a run of same-instant wake-ups (BenchmarkZeroDelay)
	// that was 20% slower per event, the event being copied twice on Push.
	fifo    []Event
	fifoHd  int
	handler []Handler

	// Timer slots for cancellable events. A Timer is valid while its gen
	// matches its slot's generation; a slot's value marks a pending event
	// whose timer was cancelled (a zombie in the queue).
	timers  container.Slots[bool, uint32]
	zombies int

	processed uint64
	digest    uint64
	seqMax    uint64 // renumber past this sequence number (maxSeq; lower in tests)

	// Guards: a run stops before exceeding MaxEvents processed events or
	// simulated time MaxTime, and reports Truncated.
	MaxEvents uint64
	MaxTime   Time
	truncated bool
	stopped   bool

	observer Observer
	seed     uint64
}

// NewEngine returns an empty engine at time zero whose random streams derive
// from seed. Guards default to none (MaxEvents 0 = unlimited, MaxTime = never).
func NewEngine(seed uint64) *Engine {
	e := &Engine{seed: seed, MaxTime: MaxTime, digest: digestInit, q: newLadder(), seqMax: maxSeq}
	e.timers.Alloc() // slot 0 means "not cancellable"
	return e
}

// Seed returns the run seed.
func (e *Engine) Seed() uint64 { return e.seed }

// Now returns the current simulated time.
func (e *Engine) Now() Time { return e.now }

// Events returns how many events have been processed (zombies excluded).
func (e *Engine) Events() uint64 { return e.processed }

// Pending returns how many live events are queued.
func (e *Engine) Pending() int { return e.q.len() + len(e.fifo) - e.fifoHd - e.zombies }

// Truncated reports whether a guard stopped the run early.
func (e *Engine) Truncated() bool { return e.truncated }

// SetObserver installs o (nil removes it). The observer sees every processed
// event after its handler ran.
func (e *Engine) SetObserver(o Observer) { e.observer = o }

// Register adds h and returns its ID. Register handlers once, at model
// construction; it panics past 65535 handlers (a model bug).
func (e *Engine) Register(h Handler) HandlerID {
	if len(e.handler) >= 1<<16 {
		panic("sim: too many handlers")
	}
	e.handler = append(e.handler, h)
	return HandlerID(len(e.handler) - 1)
}

// Schedule queues an event for handler h at absolute time at. Scheduling in
// the past is a model bug and panics.
func (e *Engine) Schedule(at Time, h HandlerID, kind Kind, entity int32, arg int64) {
	e.push(Event{When: at, Arg: arg, Entity: entity, Kind: kind, H: h})
}

// After queues an event d after now.
func (e *Engine) After(d time.Duration, h HandlerID, kind Kind, entity int32, arg int64) {
	e.push(Event{When: e.now + Time(d), Arg: arg, Entity: entity, Kind: kind, H: h})
}

// Timer identifies a cancellable event. The zero Timer is never pending.
type Timer struct {
	slot uint32
	gen  uint32
}

// ScheduleTimer is [Engine.Schedule] for an event that may be cancelled.
func (e *Engine) ScheduleTimer(at Time, h HandlerID, kind Kind, entity int32, arg int64) Timer {
	s := e.timers.Alloc()
	if s > slotMask {
		panic("sim: more than 2^30-1 pending cancellable events")
	}
	e.push(Event{When: at, seq: uint64(s), Arg: arg, Entity: entity, Kind: kind, H: h})
	return Timer{slot: s, gen: e.timers.Gen(s)}
}

// TimerAfter is [Engine.ScheduleTimer] d after now.
func (e *Engine) TimerAfter(d time.Duration, h HandlerID, kind Kind, entity int32, arg int64) Timer {
	return e.ScheduleTimer(e.now+Time(d), h, kind, entity, arg)
}

// Pending reports whether t is scheduled and neither fired nor cancelled.
func (e *Engine) TimerPending(t Timer) bool {
	return t.slot != 0 && e.timers.Valid(container.Handle[uint32]{Index: t.slot, Gen: t.gen}) && !*e.timers.At(t.slot)
}

// Cancel cancels t in O(1) and reports whether it was pending. Cancelling a
// fired, cancelled or zero Timer is a no-op.
func (e *Engine) Cancel(t Timer) bool {
	if !e.TimerPending(t) {
		return false
	}
	*e.timers.At(t.slot) = true
	e.zombies++
	// NOTE: compaction keeps memory bounded when most timers are cancelled
	// (timeouts usually are); the runtime does the same with its zombies.
	if e.zombies > 1024 && e.zombies > e.q.len()/2 {
		e.compact()
	}
	return true
}

func (e *Engine) compact() {
	e.q.filter(func(ev *Event) bool {
		if s := ev.slot(); s != 0 && *e.timers.At(s) {
			e.releaseSlot(s)
			e.zombies--
			return true
		}
		return false
	})
}

func (e *Engine) releaseSlot(s uint32) {
	*e.timers.At(s) = false
	e.timers.Free(s)
}

func (e *Engine) push(ev Event) {
	if ev.When < e.now {
		panic(fmt.Sprintf("sim: event scheduled in the past (%v < now %v)", ev.When, e.now))
	}
	if e.seq >= e.seqMax {
		e.renumber()
	}
	e.seq++
	ev.seq |= e.seq << slotBits
	if ev.When == e.now {
		e.fifo = append(e.fifo, ev)
		return
	}
	e.q.push(ev)
}

// renumber gives the pending events the sequence numbers 1..n in their
// (When, seq) order and rebuilds the queue, so that the sequence numbers of
// later events (from n+1) follow all of them again. Only the relative order
// of pending events matters, and it is kept, so a run's results do not
// depend on when this happens. It runs once per 2^34 schedulings and costs
// a sort of the pending events.
func (e *Engine) renumber() {
	evs := make([]Event, 0, e.q.len()+len(e.fifo)-e.fifoHd)
	evs = e.q.appendAll(evs)
	evs = append(evs, e.fifo[e.fifoHd:]...)
	slices.SortFunc(evs, func(a, b Event) int {
		if before(&a, &b) {
			return -1
		}
		return 1 // sequence numbers are unique: a != b
	})
	e.q = newLadder()
	e.fifo, e.fifoHd = e.fifo[:0], 0
	for i := range evs {
		ev := &evs[i]
		ev.seq = uint64(i+1)<<slotBits | uint64(ev.slot())
		if ev.When == e.now {
			e.fifo = append(e.fifo, *ev)
		} else {
			e.q.push(*ev)
		}
	}
	e.seq = uint64(len(evs))
}

// head returns the next live event without removing it, or nil when none
// is pending; fromQ reports whether it is the queue's head rather than the
// FIFO's. Zombies in front of it are dropped here.
func (e *Engine) head() (p *Event, fromQ bool) {
	for {
		if e.fifoHd < len(e.fifo) {
			// Queue events at the current instant precede the FIFO (lower seq).
			p, fromQ = &e.fifo[e.fifoHd], false
			if e.q.len() > 0 {
				if m := e.q.min(); m.When == e.now {
					p, fromQ = m, true
				}
			}
		} else if e.q.len() > 0 {
			p, fromQ = e.q.min(), true
		} else {
			return nil, false
		}
		if s := p.slot(); s != 0 && *e.timers.At(s) {
			e.take(fromQ)
			e.zombies--
			e.releaseSlot(s)
			continue
		}
		return p, fromQ
	}
}

// take removes the event head returned.
func (e *Engine) take(fromQ bool) {
	if fromQ {
		e.q.drop()
		return
	}
	e.fifoHd++
	if e.fifoHd == len(e.fifo) {
		e.fifo, e.fifoHd = e.fifo[:0], 0
	}
}

// peekTime returns the time of the next live event, or MaxTime.
func (e *Engine) peekTime() Time {
	if p, _ := e.head(); p != nil {
		return p.When
	}
	return MaxTime
}

// Step processes the next event and reports whether one was processed. It
// returns false when the queue is empty, a guard was hit, or Stop was called.
func (e *Engine) Step() bool {
	if e.stopped {
		return false
	}
	p, fromQ := e.head()
	if e.MaxEvents != 0 && e.processed >= e.MaxEvents {
		if p != nil && p.When != MaxTime {
			e.truncated = true
		}
		return false
	}
	if p == nil || p.When == MaxTime {
		return false
	} else if p.When > e.MaxTime {
		e.truncated = true
		return false
	}
	ev := *p
	e.take(fromQ)
	if s := ev.slot(); s != 0 {
		e.releaseSlot(s)
	}
	e.now = ev.When
	e.processed++
	e.digest = digestMix(e.digest, uint64(ev.When), uint64(ev.H)<<16|uint64(ev.Kind), uint64(uint32(ev.Entity)))
	e.handler[ev.H].Handle(ev)
	if e.observer != nil {
		e.observer.Observe(ev)
	}
	return true
}

// Run processes events until the queue is empty, a guard is hit or Stop is
// called.
func (e *Engine) Run() {
	for e.Step() {
	}
}

// RunUntil processes every event at or before t, then advances the clock to
// t (unless a guard or Stop ended the run first). Events after t stay queued.
func (e *Engine) RunUntil(t Time) {
	for !e.stopped {
		nt := e.peekTime()
		if nt > t {
			break
		}
		if !e.Step() {
			return
		}
	}
	if e.stopped || e.truncated {
		return
	}
	if t > e.MaxTime {
		e.truncated = true
		t = e.MaxTime
	}
	if t > e.now && t != MaxTime {
		e.now = t
	}
}

// Stop makes Step return false from now on. Models call it when their run
// is complete (for example a program exited); it does not mark truncation.
func (e *Engine) Stop() { e.stopped = true }

// Stopped reports whether Stop was called.
func (e *Engine) Stopped() bool { return e.stopped }

// Digest returns the running 64-bit digest over (time, kind, entity) of every
// processed event, in order.
func (e *Engine) Digest() uint64 { return e.digest }

// DigestString formats a digest as 16 lowercase hex digits.
func DigestString(d uint64) string { return fmt.Sprintf("%016x", d) }

const (
	digestInit  = 0xcbf29ce484222325 // FNV-1a offset basis
	digestPrime = 0x100000001b3
)

// digestMix folds three words into d. It is FNV-1a over 64-bit words with a
// final avalanche per word, cheap enough to run on every event.
func digestMix(d, a, b, c uint64) uint64 {
	d = (d ^ a) * digestPrime
	d = (d ^ b) * digestPrime
	d = (d ^ c) * digestPrime
	d ^= d >> 29
	return d
}

// RunUntilN is RunUntil bounded to at most n events: it reports true when it
// reached t (the clock is then at t), the queue emptied, a guard fired or
// Stop was called; false when it stopped after n events short of t.
func (e *Engine) RunUntilN(t Time, n int) bool {
	for i := 0; i < n; i++ {
		if e.stopped || e.truncated {
			return true
		}
		nt := e.peekTime()
		if nt > t {
			if t > e.MaxTime {
				e.truncated = true
				return true
			}
			if t > e.now && t != MaxTime {
				e.now = t
			}
			return true
		}
		if !e.Step() {
			return true
		}
	}
	return false
}

// MemBytes reports the memory the engine holds for pending events (the
// ladder's pages, its sorted bottom and the same-instant FIFO) and for
// timer slots (generation, cancelled flag and free-list entry per slot),
// as allocated: capacity, not just what is in use.
func (e *Engine) MemBytes() (events, timers int64) {
	const ev = int64(unsafe.Sizeof(Event{}))
	events = int64(len(e.q.pages))*pageChunks*chunkLen*ev + int64(cap(e.q.next))*4 +
		int64(cap(e.q.bottom))*ev + int64(cap(e.fifo))*ev
	for _, r := range e.q.rungs {
		events += int64(cap(r.b)) * int64(unsafe.Sizeof(bucket{}))
	}
	timers = e.timers.MemBytes()
	return events, timers
}
