package goprog

import (
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
)

// Timers (time.After, Tick, NewTimer, NewTicker, AfterFunc).
//
// SIMPLIFICATION: the runtime keeps each timer in a per-P heap and runs it
// from checkTimers (sendTime, or goFunc for AfterFunc), readying the
// receiver into that P's runnext. gmp models per-P timers only for
// sleeping Gs, so a timer here is a hidden timer goroutine that sleeps
// until the timer's deadline on a P's timer list (gmp's Sleep) and then
// performs the send (or the go f()) from that P: the receiver lands in
// runnext as with the runtime, one context switch later. The hidden G is
// created from outside the creating G's Step (a zero-delay event: the
// global queue), so that it does not take the creator's runnext; it does
// not count in runtime.NumGoroutine. A stopped timer's hidden G wakes at
// the old deadline and exits silently.
type timerObj struct {
	ch     *chanObj
	fn     *closure // AfterFunc
	ctx    *ctxObj  // a context deadline
	when   int64    // deadline, simulated ns
	period int64    // Ticker
	gen    uint32   // bumped by Stop/Reset: older hidden Gs exit
	active bool
}

const kStartTimer sim.Kind = 1

// Handle implements sim.Handler: it starts a hidden timer goroutine.
func (r *Runner) Handle(ev sim.Event) {
	if r.exited {
		return
	}
	gi := int32(ev.Entity)
	r.g(gi).gid = r.s.Go(r, int64(gi))
}

func (r *Runner) startTimer(t *timerObj, d int64) {
	if d < 0 {
		d = 0
	}
	t.gen++
	t.active = true
	t.when = int64(r.e.Now()) + d
	gi := r.newGstate(gstate{x: &gext{timer: t}, gid: gmp.NoG, selIdx: int32(t.gen)})
	r.ntimerG++
	if r.hid == 0 {
		r.hid = r.e.Register(r) + 1
	}
	r.e.After(0, r.hid-1, kStartTimer, gi, 0)
}

// newGstate stores g in a free slot of gs (the last one freed first) or a
// new one, and returns its index.
func (r *Runner) newGstate(g gstate) int32 {
	g.live = true
	if r.gfree != 0 {
		gi := r.gfree - 1
		slot := r.g(gi)
		r.gfree = slot.selIdx
		*slot = g
		return gi
	}
	return int32(r.gs.Append(g))
}

// g returns goroutine gi's state; the pointer stays valid (gs never
// moves), and after the goroutine ends the slot has live false until reused.
func (r *Runner) g(gi int32) *gstate { return r.gs.At(int(gi)) }

// freeG ends gi's slot: cleared (so the GC can free what it referenced)
// and put on the free list.
func (r *Runner) freeG(gi int32) {
	*r.g(gi) = gstate{selIdx: r.gfree}
	r.gfree = gi + 1
}

// timerStep runs a hidden timer goroutine: sleep until the deadline, fire,
// and for a ticker repeat.
func (r *Runner) timerStep(gi int32, g *gstate) gmp.Action {
	t := g.x.timer
	if uint32(g.selIdx) != t.gen || !t.active {
		return r.timerExit(gi)
	}
	now := int64(r.e.Now())
	if now < t.when {
		return gmp.Sleep(time.Duration(t.when - now))
	}
	// fire
	if t.ctx != nil {
		t.active = false
		r.cancelCtx(t.ctx, r.prog.ctxDeadline, value{})
		return r.timerExit(gi)
	}
	if t.fn != nil {
		t.active = false
		f := t.fn
		nf := r.newFrame(f.fn)
		copy(nf.regs[f.fn.nparams:], f.env)
		ng := r.newG(nf)
		g.selIdx = -1 // exit when resumed
		return gmp.Spawn(r, int64(ng))
	}
	if t.ch.n == 0 { // a full buffer drops the tick (sendTime is non-blocking)
		r.trySend(t.ch, i2v(simEpoch+now))
	}
	if t.period > 0 {
		t.when += t.period
		return gmp.Sleep(time.Duration(t.when - now))
	}
	t.active = false
	return r.timerExit(gi)
}

func (r *Runner) timerExit(gi int32) gmp.Action {
	r.ntimerG--
	r.freeG(gi)
	return gmp.Exit()
}

// timerChan makes a timer's channel: one buffer slot, len and cap 0.
func timerChan() *chanObj {
	return &chanObj{cap: 1, timer: true, elem: timeType}
}

// newTimerValue builds a *time.Timer or *time.Ticker: a struct {C, init}
// whose second field holds the timerObj.
func newTimerValue(t *timerObj) value {
	var c value
	if t.ch != nil {
		c = value{r: t.ch}
	}
	return value{r: &value{r: []value{c, {r: t}}}}
}

func timerOf(v value) *timerObj {
	p := v.ptr()
	if p == nil {
		panic(nilDeref)
	}
	f := p.sl()
	if len(f) < 2 {
		panic(runtimeError("time: Stop called on uninitialized Timer"))
	}
	t, _ := f[1].r.(*timerObj)
	if t == nil {
		panic(runtimeError("time: Stop called on uninitialized Timer"))
	}
	return t
}

// stop mirrors Timer.Stop (go1.23+): it reports whether the timer was
// pending, and no stale value stays in the channel.
func (r *Runner) stopTimer(t *timerObj) bool {
	was := t.active
	t.active = false
	t.gen++
	if t.ch != nil && t.ch.n > 0 {
		t.ch.n, t.ch.head = 0, 0
		t.ch.buf[0] = value{}
	}
	return was
}

func init() {
	bind(map[string]nativeFn{
		"time.After": func(r *Runner, c *ncall) {
			t := &timerObj{ch: timerChan()}
			r.startTimer(t, c.args[0].i())
			c.res[0] = value{r: t.ch}
		},
		"time.Tick": func(r *Runner, c *ncall) {
			d := c.args[0].i()
			if d <= 0 {
				c.res[0] = value{}
				return
			}
			t := &timerObj{ch: timerChan(), period: d}
			r.startTimer(t, d)
			c.res[0] = value{r: t.ch}
		},
		"time.NewTimer": func(r *Runner, c *ncall) {
			t := &timerObj{ch: timerChan()}
			r.startTimer(t, c.args[0].i())
			c.res[0] = newTimerValue(t)
		},
		"time.NewTicker": func(r *Runner, c *ncall) {
			d := c.args[0].i()
			if d <= 0 {
				panic(runtimeError("non-positive interval for NewTicker"))
			}
			t := &timerObj{ch: timerChan(), period: d}
			r.startTimer(t, d)
			c.res[0] = newTimerValue(t)
		},
		"time.AfterFunc": func(r *Runner, c *ncall) {
			f, _ := c.args[1].r.(*closure)
			t := &timerObj{fn: f}
			r.startTimer(t, c.args[0].i())
			c.res[0] = newTimerValue(t)
		},
		"(*time.Timer).Stop": func(r *Runner, c *ncall) {
			c.res[0] = b2v(r.stopTimer(timerOf(c.args[0])))
		},
		"(*time.Timer).Reset": func(r *Runner, c *ncall) {
			t := timerOf(c.args[0])
			was := r.stopTimer(t)
			r.startTimer(t, c.args[1].i())
			c.res[0] = b2v(was)
		},
		"(*time.Ticker).Stop": func(r *Runner, c *ncall) {
			r.stopTimer(timerOf(c.args[0]))
		},
		"(*time.Ticker).Reset": func(r *Runner, c *ncall) {
			t := timerOf(c.args[0])
			d := c.args[1].i()
			if d <= 0 {
				panic(runtimeError("non-positive interval for Ticker.Reset"))
			}
			r.stopTimer(t)
			t.period = d
			r.startTimer(t, d)
		},
	})
}
