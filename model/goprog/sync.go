package goprog

import (
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
)

// slow executes an instruction that may block or take time. It reports
// block=true with the Action to return; block=false means the instruction
// completed and g.pc moved on.
func (r *Runner) slow(gi int32, g *gstate, in instr) (gmp.Action, bool) {
	st := r.stack(g)
	resumed := g.done
	g.done = false
	switch in.op {
	case opGosched:
		g.pc++
		return r.withDebt(g, gmp.Gosched()), true
	case opSleep:
		d := time.Duration(st[g.sp-1])
		g.sp--
		g.pc++
		if d <= 0 {
			return gmp.Action{}, false
		}
		return gmp.Sleep(d), true
	case opBurn:
		d := time.Duration(st[g.sp-1]) + time.Duration(g.debt*instrNS)
		g.debt = 0
		g.sp--
		g.pc++
		if d <= 0 {
			return gmp.Action{}, false
		}
		return gmp.Compute(d), true
	case opSend:
		if g.sendPanic {
			panic(runtimePanic{"send on closed channel"})
		}
		if resumed {
			g.sp -= 2
			g.pc++
			return gmp.Action{}, false
		}
		ch, v := st[g.sp-2], st[g.sp-1]
		if r.trySend(ch, v) {
			g.sp -= 2
			g.pc++
			return gmp.Action{}, false
		}
		if ch != 0 {
			c := &r.chans[ch]
			r.enqueue(&c.sendq, gi, v, -1, false)
		}
		return gmp.Park(gmp.WaitChanSend), true
	case opRecv:
		if resumed {
			g.sp--
			r.pushRecv(g, in.a == 1, g.val, g.ok)
			return gmp.Action{}, false
		}
		ch := st[g.sp-1]
		if v, ok, done := r.tryRecv(ch); done {
			g.sp--
			r.pushRecv(g, in.a == 1, v, ok)
			return gmp.Action{}, false
		}
		if ch != 0 {
			c := &r.chans[ch]
			r.enqueue(&c.recvq, gi, 0, -1, false)
		}
		return gmp.Park(gmp.WaitChanReceive), true
	case opClose:
		ch := st[g.sp-1]
		g.sp--
		g.pc++
		r.closechan(ch)
		return gmp.Action{}, false
	case opSelect:
		return r.selectgo(gi, g, in, resumed)
	case opWGAdd:
		wg, d := st[g.sp-2], st[g.sp-1]
		g.sp -= 2
		g.pc++
		r.wgAdd(int32(wg), d)
		return gmp.Action{}, false
	case opWGDone:
		wg := st[g.sp-1]
		g.sp--
		g.pc++
		r.wgAdd(int32(wg), -1)
		return gmp.Action{}, false
	case opWGWait:
		if resumed {
			g.sp--
			g.pc++
			return gmp.Action{}, false
		}
		wg := &r.wgs[st[g.sp-1]]
		if wg.count == 0 {
			g.sp--
			g.pc++
			return gmp.Action{}, false
		}
		r.enqueue(&wg.waiters, gi, 0, -1, false)
		return gmp.Park(gmp.WaitSyncWaitGroupWait), true
	case opWGGo:
		wg, cl := int32(st[g.sp-2]), int32(st[g.sp-1])
		g.sp -= 2
		g.pc++
		r.wgAdd(wg, 1)
		ng := r.newG((*r.clos.At(int(cl))).fn, cl, nil)
		r.gs.At(ng).wgExit = wg
		return gmp.Spawn(r, int64(ng)), true
	case opLock:
		mu := &r.mus[st[g.sp-1]]
		if resumed { // handed off in starvation mode
			g.sp--
			g.pc++
			g.lifo = false
			return gmp.Action{}, false
		}
		if !mu.locked {
			mu.locked = true
			g.sp--
			g.pc++
			g.lifo = false
			return gmp.Action{}, false
		}
		if !g.lifo {
			g.val = int64(r.e.Now()) // wait start, for starvation mode
		}
		r.enqueue(&mu.waiters, gi, 0, -1, g.lifo)
		return gmp.Park(gmp.WaitSyncMutexLock), true
	case opUnlock:
		mi := st[g.sp-1]
		g.sp--
		g.pc++
		r.unlock(mi)
		return gmp.Action{}, false
	}
	panic("goprog: bad slow op")
}

func (r *Runner) withDebt(g *gstate, a gmp.Action) gmp.Action {
	return a
}

func (r *Runner) pushRecv(g *gstate, withOK bool, v int64, ok bool) {
	r.stack(g)[g.sp] = v
	g.sp++
	if withOK {
		r.stack(g)[g.sp] = b2i(ok)
		g.sp++
	}
	g.pc++
}

// Wait queues of sudogs (runtime/runtime2.go sudog, runtime/chan.go waitq).

func (r *Runner) enqueue(q *waitq, gi int32, v int64, sel int32, front bool) {
	sg := r.sudogs.Alloc()
	*r.sudogs.At(sg) = sudog{g: gi, val: v, sel: sel, gen: r.gs.At(gi).waitGen}
	if front {
		r.sudogs.At(sg).next = q.head
		q.head = sg
		if q.tail == 0 {
			q.tail = sg
		}
		return
	}
	if q.tail == 0 {
		q.head = sg
	} else {
		r.sudogs.At(q.tail).next = sg
	}
	q.tail = sg
}

// dequeue pops the first live sudog (skipping those of selects that already
// completed) and returns its copy, or ok=false.
func (r *Runner) dequeue(q *waitq) (sudog, bool) {
	for q.head != 0 {
		sg := q.head
		x := (*r.sudogs.At(sg))
		q.head = x.next
		if q.head == 0 {
			q.tail = 0
		}
		r.sudogs.Free(sg)
		if x.gen == r.gs.At(x.g).waitGen {
			return x, true
		}
	}
	return sudog{}, false
}

// wake completes a blocked operation of sg's goroutine with (v, ok) and
// readies it (goready: the waker's runnext).
func (r *Runner) wake(sg sudog, v int64, ok bool) {
	g := r.gs.At(sg.g)
	g.done = true
	g.val, g.ok, g.selIdx = v, ok, sg.sel
	g.waitGen++
	r.s.Ready(g.gid)
}

// trySend mirrors runtime.chansend's non-blocking paths: a waiting receiver
// gets the value directly, else the buffer takes it.
func (r *Runner) trySend(ch, v int64) bool {
	if ch == 0 {
		return false
	}
	c := &r.chans[ch]
	if c.closed {
		panic(runtimePanic{"send on closed channel"})
	}
	if sg, ok := r.dequeue(&c.recvq); ok {
		r.wake(sg, v, true)
		return true
	}
	if c.n < c.cap {
		if c.buf == nil {
			c.buf = make([]int64, c.cap)
		}
		c.buf[(c.head+c.n)%c.cap] = v
		c.n++
		return true
	}
	return false
}

// tryRecv mirrors runtime.chanrecv's non-blocking paths: a waiting sender
// (for a full buffer: take the head, the sender's value goes to the tail),
// else the buffer, else a closed channel's zero value.
func (r *Runner) tryRecv(ch int64) (v int64, ok, done bool) {
	if ch == 0 {
		return 0, false, false
	}
	c := &r.chans[ch]
	if sg, found := r.dequeue(&c.sendq); found {
		if c.cap == 0 {
			r.wake(sg, 0, true)
			return sg.val, true, true
		}
		v = c.buf[c.head]
		c.buf[c.head] = sg.val
		c.head = (c.head + 1) % c.cap
		r.wake(sg, 0, true)
		return v, true, true
	}
	if c.n > 0 {
		v = c.buf[c.head]
		c.head = (c.head + 1) % c.cap
		c.n--
		return v, true, true
	}
	if c.closed {
		return 0, false, true
	}
	return 0, false, false
}

// closechan mirrors runtime.closechan: release all receivers (zero, !ok)
// and all senders (they panic), collected on a gList (LIFO) and readied in
// that order.
func (r *Runner) closechan(ch int64) {
	if ch == 0 {
		panic(runtimePanic{"close of nil channel"})
	}
	c := &r.chans[ch]
	if c.closed {
		panic(runtimePanic{"close of closed channel"})
	}
	c.closed = true
	// Take every sudog off both queues (sudog indices in list, negated for
	// stale ones), wake the live ones last-taken-first, then free them all
	// in the order taken: the free list ends as if each had been freed when
	// taken, and the list costs 4 bytes per waiter instead of a sudog.
	list := &r.woken
	list.Reset()
	take := func(q *waitq, send bool) {
		for q.head != 0 {
			sg := q.head
			x := r.sudogs.At(sg)
			q.head = x.next
			if q.head == 0 {
				q.tail = 0
			}
			if x.gen != r.gs.At(x.g).waitGen {
				list.Append(-sg)
				continue
			}
			if send {
				r.gs.At(x.g).sendPanic = true
			}
			list.Append(sg)
		}
	}
	take(&c.recvq, false)
	take(&c.sendq, true)
	for i := list.Len() - 1; i >= 0; i-- {
		if sg := *list.At(i); sg > 0 {
			r.wake(*r.sudogs.At(sg), 0, false)
		}
	}
	for i := range list.Len() {
		sg := *list.At(i)
		r.sudogs.Free(max(sg, -sg))
	}
}

// selectgo mirrors runtime.selectgo: poll the cases in a random order
// (pollorder, from the runner's own stream), take the first ready one, else
// default, else enqueue on every channel and park; the first waker wins and
// the other sudogs go stale.
func (r *Runner) selectgo(gi int32, g *gstate, in instr, resumed bool) (gmp.Action, bool) {
	n := in.a
	base := g.sp - 3*n
	st := r.stack(g)
	finish := func(idx int32, v int64, ok bool) (gmp.Action, bool) {
		g.sp = base
		st[g.sp], st[g.sp+1], st[g.sp+2] = v, b2i(ok), int64(idx)
		g.sp += 3
		g.pc++
		return gmp.Action{}, false
	}
	if resumed {
		if g.sendPanic {
			panic(runtimePanic{"send on closed channel"})
		}
		return finish(g.selIdx, g.val, g.ok)
	}
	r.pollOrder = r.pollOrder[:0]
	for i := int32(0); i < n; i++ {
		r.pollOrder = append(r.pollOrder, i)
	}
	for i := len(r.pollOrder) - 1; i > 0; i-- {
		j := r.rng.IntN(i + 1)
		r.pollOrder[i], r.pollOrder[j] = r.pollOrder[j], r.pollOrder[i]
	}
	for _, i := range r.pollOrder {
		kind, ch, v := st[base+3*i], st[base+3*i+1], st[base+3*i+2]
		if kind == 1 {
			if r.trySend(ch, v) {
				return finish(i, 0, false)
			}
		} else if v, ok, done := r.tryRecv(ch); done {
			return finish(i, v, ok)
		}
	}
	if in.b == 1 {
		return finish(-1, 0, false)
	}
	if n == 0 {
		return gmp.Park(gmp.WaitSelectNoCases), true
	}
	// lockorder does not matter in a single-threaded model; enqueue in case order.
	for i := int32(0); i < n; i++ {
		kind, ch, v := st[base+3*i], st[base+3*i+1], st[base+3*i+2]
		if ch == 0 {
			continue
		}
		c := &r.chans[ch]
		if kind == 1 {
			r.enqueue(&c.sendq, gi, v, i, false)
		} else {
			r.enqueue(&c.recvq, gi, 0, i, false)
		}
	}
	return gmp.Park(gmp.WaitSelect), true
}

// wgAdd mirrors sync.WaitGroup.Add: at zero, every waiter is released in
// queue order (runtime_Semrelease each, so each goready takes runnext).
func (r *Runner) wgAdd(wi int32, d int64) {
	wg := &r.wgs[wi]
	wg.count += d
	if wg.count < 0 {
		panic(runtimePanic{"sync: negative WaitGroup counter"})
	}
	if wg.count > 0 {
		return
	}
	for {
		sg, ok := r.dequeue(&wg.waiters)
		if !ok {
			return
		}
		r.wake(sg, 0, true)
	}
}

// starvationThresholdNs mirrors sync.Mutex's starvation threshold (1 ms).
const starvationThresholdNs = 1e6

// unlock mirrors sync.Mutex.Unlock: in normal mode the lock is released and
// the first waiter woken to compete for it (a barging Lock may win, and the
// waiter then queues again at the head); once a waiter waited over 1 ms the
// mutex is handed off directly (starvation mode).
func (r *Runner) unlock(mi int64) {
	mu := &r.mus[mi]
	if !mu.locked {
		r.fatal("fatal error: sync: unlock of unlocked mutex", 2)
		return
	}
	sg, ok := r.dequeue(&mu.waiters)
	if !ok {
		mu.locked = false
		return
	}
	wg := r.gs.At(sg.g)
	if int64(r.e.Now())-wg.val > starvationThresholdNs {
		r.wake(sg, 0, true) // handoff: stays locked, now owned by the waiter
		return
	}
	mu.locked = false
	wg.lifo = true
	wg.waitGen++
	r.s.Ready(wg.gid) // done=false: it retries Lock
}
