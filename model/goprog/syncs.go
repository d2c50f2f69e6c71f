package goprog

import (
	"github.com/gohttpsim/gohttpsim/model/gmp"
)

// The sync package, simulated: each object is created on first use in the
// value cell of the sync type (opaque types, value.go).

type wgObj struct {
	count   int64
	waiters waitq
}

type muObj struct {
	locked   bool
	readers  int32 // RWMutex: active readers
	writer   bool  // RWMutex: a writer waits or holds it
	waiters  waitq // Mutex waiters; RWMutex writers
	rwaiters waitq // RWMutex readers waiting for a writer
	pendingR int32 // readers the waiting writer waits for
}

type onceObj struct {
	done    bool
	running bool
	waiters waitq
	val     value // OnceValue's result
	pval    *panicState
}

func cell(v value) *value {
	p := v.ptr()
	if p == nil {
		panic(nilDeref)
	}
	return p
}

func wgOf(v value) *wgObj {
	p := cell(v)
	if w, ok := p.r.(*wgObj); ok {
		return w
	}
	w := &wgObj{}
	p.r = w
	return w
}

func muOf(v value) *muObj {
	p := cell(v)
	if m, ok := p.r.(*muObj); ok {
		return m
	}
	m := &muObj{}
	p.r = m
	return m
}

// wgAdd mirrors sync.WaitGroup.Add: at zero, every waiter is released in
// queue order (runtime_Semrelease each, so each goready takes runnext).
func (r *Runner) wgAdd(wg *wgObj, d int64) {
	wg.count += d
	if wg.count < 0 {
		panic(runtimeError("sync: negative WaitGroup counter"))
	}
	if wg.count > 0 {
		return
	}
	for {
		sg, ok := r.dequeue(&wg.waiters)
		if !ok {
			return
		}
		r.wake(sg, value{}, true)
	}
}

func nWGAdd(r *Runner, c *ncall)  { r.wgAdd(wgOf(c.args[0]), c.args[1].i()) }
func nWGDone(r *Runner, c *ncall) { r.wgAdd(wgOf(c.args[0]), -1) }

func nWGWait(r *Runner, c *ncall) {
	if c.resumed {
		return
	}
	wg := wgOf(c.args[0])
	if wg.count == 0 {
		return
	}
	r.enqueue(&wg.waiters, c.gi, -1, false)
	c.block, c.act = true, r.park(c.g, gmp.WaitSyncWaitGroupWait)
}

// nWGGo is WaitGroup.Go(f): Add(1), then go func() { defer Done(); f() }.
func nWGGo(r *Runner, c *ncall) {
	wg := wgOf(c.args[0])
	r.wgAdd(wg, 1)
	f, _ := c.args[1].r.(*closure)
	if f == nil {
		panic(nilDeref)
	}
	nf := r.newFrame(f.fn)
	copy(nf.regs[f.fn.nparams:], f.env)
	ng := r.newG(nf)
	r.g(ng).ext().wgExit = wg
	c.g.fr.pc++ // the Go call completes when the spawn action returns
	c.block, c.act = true, gmp.Spawn(r, int64(ng))
}

// starvationThresholdNs mirrors sync.Mutex's starvation threshold (1 ms).
const starvationThresholdNs = 1e6

// nLock mirrors sync.Mutex.Lock: a barging Lock takes a free mutex; a
// waiter woken by Unlock competes again and requeues at the head (lifo);
// in starvation mode Unlock hands the mutex to the first waiter.
func nLock(r *Runner, c *ncall) {
	mu := muOf(c.args[0])
	g := c.g
	if c.resumed { // handed off in starvation mode
		g.lifo = false
		return
	}
	if !mu.locked {
		mu.locked = true
		g.lifo = false
		return
	}
	if !g.lifo {
		g.val = i2v(int64(r.e.Now())) // wait start, for starvation mode
	}
	r.enqueue(&mu.waiters, c.gi, -1, g.lifo)
	c.block, c.act = true, r.park(g, gmp.WaitSyncMutexLock)
}

func nTryLock(r *Runner, c *ncall) {
	mu := muOf(c.args[0])
	if mu.locked {
		c.res[0] = b2v(false)
		return
	}
	mu.locked = true
	c.res[0] = b2v(true)
}

func nUnlock(r *Runner, c *ncall) { r.unlock(muOf(c.args[0])) }

// unlock mirrors sync.Mutex.Unlock: in normal mode the lock is released and
// the first waiter woken to compete for it (a barging Lock may win, and the
// waiter then queues again at the head); once a waiter waited over 1 ms the
// mutex is handed off directly (starvation mode).
func (r *Runner) unlock(mu *muObj) {
	if !mu.locked {
		r.fatal("fatal error: sync: unlock of unlocked mutex")
		return
	}
	sg, ok := r.dequeue(&mu.waiters)
	if !ok {
		mu.locked = false
		return
	}
	wg := r.g(sg.g)
	if int64(r.e.Now())-wg.val.i() > starvationThresholdNs {
		r.wake(sg, value{}, true) // handoff: stays locked, now owned by the waiter
		return
	}
	mu.locked = false
	wg.lifo = true
	wg.waitGen++
	wg.reason = gmp.WaitNone
	r.s.Ready(wg.gid) // done=false: it retries Lock
}

// fatal ends the program with a runtime fatal error (exit status 2).
func (r *Runner) fatal(msg string) {
	r.stderr.WriteString(msg + "\n")
	r.exit(2)
	panic(exitPanic{})
}

// RWMutex, simplified: writers have priority over new readers (as
// rwmutex.go's readerCount trick gives), readers waiting for a writer are
// released together when it unlocks, and a writer waits for the active
// readers to leave. Starvation mode of the writer's inner Mutex is omitted.
func nRLock(r *Runner, c *ncall) {
	mu := muOf(c.args[0])
	if c.resumed {
		return
	}
	if !mu.writer {
		mu.readers++
		return
	}
	r.enqueue(&mu.rwaiters, c.gi, -1, false)
	c.block, c.act = true, r.park(c.g, gmp.WaitSyncMutexLock)
}

func nRUnlock(r *Runner, c *ncall) {
	mu := muOf(c.args[0])
	if mu.readers <= 0 {
		r.fatal("fatal error: sync: RUnlock of unlocked RWMutex")
	}
	mu.readers--
	if mu.writer && mu.pendingR > 0 {
		mu.pendingR--
		if mu.pendingR == 0 {
			if sg, ok := r.dequeue(&mu.waiters); ok {
				r.wake(sg, value{}, true) // the writer now holds it
			}
		}
	}
}

func nWLock(r *Runner, c *ncall) {
	mu := muOf(c.args[0])
	if c.resumed {
		return
	}
	if !mu.writer && mu.readers == 0 {
		mu.writer, mu.locked = true, true
		return
	}
	if !mu.writer {
		mu.writer = true
		mu.pendingR = mu.readers
	}
	r.enqueue(&mu.waiters, c.gi, -1, false)
	c.block, c.act = true, r.park(c.g, gmp.WaitSyncMutexLock)
}

func nWUnlock(r *Runner, c *ncall) {
	mu := muOf(c.args[0])
	if !mu.writer {
		r.fatal("fatal error: sync: Unlock of unlocked RWMutex")
	}
	mu.writer, mu.locked = false, false
	// readers that queued behind the writer go first
	for {
		sg, ok := r.dequeue(&mu.rwaiters)
		if !ok {
			break
		}
		mu.readers++
		r.wake(sg, value{}, true)
	}
	if mu.readers == 0 {
		if sg, ok := r.dequeue(&mu.waiters); ok {
			mu.writer, mu.locked = true, true
			r.wake(sg, value{}, true)
		}
	} else if !mu.waiters.empty(r) {
		mu.writer = true
		mu.pendingR = mu.readers
	}
}

// Once.Do(f): the first caller runs f (as a frame); callers arriving while
// it runs wait for it.
func nOnceDo(r *Runner, c *ncall) {
	p := cell(c.args[0])
	o, _ := p.r.(*onceObj)
	if o == nil {
		o = &onceObj{}
		p.r = o
	}
	if c.resumed && o.running && c.g.lifo {
		// f returned: we are the runner
		c.g.lifo = false
		o.running, o.done = false, true
		for {
			sg, ok := r.dequeue(&o.waiters)
			if !ok {
				break
			}
			r.wake(sg, value{}, true)
		}
		return
	}
	if o.done || c.resumed {
		return
	}
	if o.running {
		r.enqueue(&o.waiters, c.gi, -1, false)
		c.block, c.act = true, r.park(c.g, gmp.WaitSyncMutexLock)
		return
	}
	o.running = true
	c.g.lifo = true
	f, _ := c.args[1].r.(*closure)
	if f == nil {
		panic(nilDeref)
	}
	c.then = f
}
