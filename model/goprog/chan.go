package goprog

import (
	"go/types"

	"github.com/gohttpsim/gohttpsim/model/gmp"
)

// chanObj is a channel (runtime/chan.go hchan): a ring buffer and the
// queues of waiting senders and receivers.
type chanObj struct {
	cap          int32
	head, n      int32
	closed       bool
	timer        bool // a timer's channel: len and cap report 0 (go1.23 timers)
	buf          []value
	recvq, sendq waitq
	elem         types.Type
}

type waitq struct{ head, tail int32 }

// sudog mirrors runtime/runtime2.go sudog: a goroutine waiting in a queue.
// 16 bytes and no pointer: a sender's value (the runtime's sg.elem) is not
// copied here but read from the parked sender's frame, whose send or select
// instruction is still the current one (see sendVal).
type sudog struct {
	g    int32
	next int32
	sel  int32
	gen  uint32
}

// sendVal returns the value sender sg is blocked sending: the operand of
// its current send instruction, or of its select's send case sg.sel.
func (r *Runner) sendVal(sg sudog) value {
	fr := r.g(sg.g).fr
	in := &fr.fn.blocks[fr.block].instrs[fr.pc]
	if in.op == opSelect {
		return r.get(fr, in.aux.(*selectInfo).sends[sg.sel])
	}
	return r.get(fr, in.b)
}

// Sudogs live in fixed chunks (no copying as their number grows); index 0
// is "none".
const (
	sudogChunk     = 4096
	sudogChunkMask = sudogChunk - 1
)

func (r *Runner) sudog(i int32) *sudog { return &r.sudogs[i/sudogChunk][i&sudogChunkMask] }

func (r *Runner) enqueue(q *waitq, gi int32, sel int32, front bool) {
	var sg int32
	if r.sgfree != 0 {
		sg = r.sgfree
		r.sgfree = r.sudog(sg).next
	} else {
		sg = r.nsudog
		if sg&sudogChunkMask == 0 {
			r.sudogs = append(r.sudogs, make([]sudog, sudogChunk))
		}
		r.nsudog++
	}
	*r.sudog(sg) = sudog{g: gi, sel: sel, gen: r.g(gi).waitGen}
	if front {
		r.sudog(sg).next = q.head
		q.head = sg
		if q.tail == 0 {
			q.tail = sg
		}
		return
	}
	if q.tail == 0 {
		q.head = sg
	} else {
		r.sudog(q.tail).next = sg
	}
	q.tail = sg
}

// dequeue pops the first live sudog (skipping those of selects that already
// completed) and returns its copy, or ok=false.
func (r *Runner) dequeue(q *waitq) (sudog, bool) {
	for q.head != 0 {
		sg := q.head
		x := *r.sudog(sg)
		q.head = x.next
		if q.head == 0 {
			q.tail = 0
		}
		*r.sudog(sg) = sudog{next: r.sgfree}
		r.sgfree = sg
		if g := r.g(x.g); g.live && x.gen == g.waitGen {
			return x, true
		}
	}
	return sudog{}, false
}

func (q *waitq) empty(r *Runner) bool {
	for q.head != 0 {
		x := *r.sudog(q.head)
		if g := r.g(x.g); g.live && x.gen == g.waitGen {
			return false
		}
		sg := q.head
		q.head = x.next
		if q.head == 0 {
			q.tail = 0
		}
		*r.sudog(sg) = sudog{next: r.sgfree}
		r.sgfree = sg
	}
	return true
}

// wake completes a blocked operation of sg's goroutine with (v, ok) and
// readies it (goready: the waker's runnext).
func (r *Runner) wake(sg sudog, v value, ok bool) {
	g := r.g(sg.g)
	g.done = true
	g.val, g.ok, g.selIdx = v, ok, sg.sel
	g.waitGen++
	g.reason = gmp.WaitNone
	r.s.Ready(g.gid)
}

func (r *Runner) park(g *gstate, reason gmp.WaitReason) gmp.Action {
	g.reason = reason
	return gmp.Park(reason)
}

// trySend mirrors runtime.chansend's non-blocking paths: a waiting receiver
// gets the value directly, else the buffer takes it.
func (r *Runner) trySend(c *chanObj, v value) bool {
	if c == nil {
		return false
	}
	if c.closed {
		panic(runtimeError("send on closed channel"))
	}
	if sg, ok := r.dequeue(&c.recvq); ok {
		r.wake(sg, v, true)
		return true
	}
	if c.n < c.cap {
		if c.buf == nil {
			c.buf = make([]value, c.cap)
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
func (r *Runner) tryRecv(c *chanObj) (v value, ok, done bool) {
	if c == nil {
		return value{}, false, false
	}
	if sg, found := r.dequeue(&c.sendq); found {
		if c.cap == 0 {
			v = r.sendVal(sg)
			r.wake(sg, value{}, true)
			return v, true, true
		}
		v = c.buf[c.head]
		c.buf[c.head] = r.sendVal(sg)
		c.head = (c.head + 1) % c.cap
		r.wake(sg, value{}, true)
		return v, true, true
	}
	if c.n > 0 {
		v = c.buf[c.head]
		c.buf[c.head] = value{}
		c.head = (c.head + 1) % c.cap
		c.n--
		return v, true, true
	}
	if c.closed {
		return zero(c.elem), false, true
	}
	return value{}, false, false
}

func chanOf(v value) *chanObj {
	c, _ := v.r.(*chanObj)
	return c
}

func (r *Runner) send(gi int32, g *gstate, fr *frame, in *instr) (gmp.Action, bool) {
	if g.done {
		g.done = false
		if g.sendPanic {
			g.sendPanic = false
			panic(runtimeError("send on closed channel"))
		}
		return gmp.Action{}, false
	}
	c := chanOf(r.get(fr, in.a))
	v := r.get(fr, in.b)
	if r.trySend(c, v) {
		return gmp.Action{}, false
	}
	if c != nil {
		r.enqueue(&c.sendq, gi, -1, false)
	}
	return r.park(g, gmp.WaitChanSend), true
}

func (r *Runner) recv(gi int32, g *gstate, fr *frame, in *instr) (gmp.Action, bool) {
	if g.done {
		g.done = false
		v := g.val
		if !g.ok {
			v = zero(in.t)
		}
		g.val = value{}
		r.setRecv(fr, in, v, g.ok)
		return gmp.Action{}, false
	}
	c := chanOf(r.get(fr, in.a))
	if v, ok, done := r.tryRecv(c); done {
		r.setRecv(fr, in, v, ok)
		return gmp.Action{}, false
	}
	if c != nil {
		r.enqueue(&c.recvq, gi, -1, false)
	}
	return r.park(g, gmp.WaitChanReceive), true
}

func (r *Runner) setRecv(fr *frame, in *instr, v value, ok bool) {
	if in.dst < 0 {
		return
	}
	fr.regs[in.dst] = v
	if in.b == 1 {
		fr.regs[in.dst+1] = b2v(ok)
	}
}

// closechan mirrors runtime.closechan: release all receivers (zero, !ok)
// and all senders (they panic), collected on a gList (LIFO) and readied in
// that order.
func (r *Runner) closechan(c *chanObj) {
	if c == nil {
		panic(runtimeError("close of nil channel"))
	}
	if c.closed {
		panic(runtimeError("close of closed channel"))
	}
	c.closed = true
	// The live sudogs of both queues, popped in order, are pushed on a
	// stack linked through their own next fields (no list as long as the
	// queue: ten million waiters cost no extra memory), then readied from
	// the top: the gList order.
	top := int32(0)
	for r.popLive(&c.recvq, &top) != 0 {
	}
	for sg := r.popLive(&c.sendq, &top); sg != 0; sg = r.popLive(&c.sendq, &top) {
		r.g(r.sudog(sg).g).sendPanic = true
	}
	for top != 0 {
		sg := top
		x := *r.sudog(sg)
		top = x.next
		*r.sudog(sg) = sudog{next: r.sgfree}
		r.sgfree = sg
		r.wake(x, value{}, false)
	}
}

// popLive is dequeue that keeps the sudog: it moves the first live sudog
// of q onto the stack *top (linked through next) and returns its index, 0
// when q has none left; stale ones are freed as dequeue frees them.
func (r *Runner) popLive(q *waitq, top *int32) int32 {
	for q.head != 0 {
		sg := q.head
		x := r.sudog(sg)
		q.head = x.next
		if q.head == 0 {
			q.tail = 0
		}
		if g := r.g(x.g); g.live && x.gen == g.waitGen {
			x.next = *top
			*top = sg
			return sg
		}
		*x = sudog{next: r.sgfree}
		r.sgfree = sg
	}
	return 0
}

// selectgo mirrors runtime.selectgo: poll the cases in a random order
// (pollorder, from the runner's own stream), take the first ready one, else
// default, else enqueue on every channel and park; the first waker wins and
// the other sudogs go stale. Results: index, recvOK, then one register per
// receive case.
func (r *Runner) selectgo(gi int32, g *gstate, fr *frame, in *instr) (gmp.Action, bool) {
	si := in.aux.(*selectInfo)
	n := int32(len(si.chans))
	finish := func(idx int32, v value, ok bool) (gmp.Action, bool) {
		fr.regs[in.dst] = i2v(int64(idx))
		fr.regs[in.dst+1] = b2v(ok)
		ri := int32(0)
		for i := int32(0); i < n; i++ {
			if si.dirs[i] == types.RecvOnly {
				if i == idx {
					if !ok {
						v = zero(si.elemT[i])
					}
					fr.regs[in.dst+2+ri] = v
				} else {
					fr.regs[in.dst+2+ri] = zero(si.elemT[i])
				}
				ri++
			}
		}
		return gmp.Action{}, false
	}
	if g.done {
		g.done = false
		if g.sendPanic {
			g.sendPanic = false
			panic(runtimeError("send on closed channel"))
		}
		v := g.val
		g.val = value{}
		return finish(g.selIdx, v, g.ok)
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
		c := chanOf(r.get(fr, si.chans[i]))
		if si.dirs[i] == types.SendOnly {
			if r.trySend(c, r.get(fr, si.sends[i])) {
				return finish(i, value{}, false)
			}
		} else if v, ok, done := r.tryRecv(c); done {
			return finish(i, v, ok)
		}
	}
	if !si.blocking {
		return finish(-1, value{}, false)
	}
	if n == 0 {
		return r.park(g, gmp.WaitSelectNoCases), true
	}
	// lockorder does not matter in a single-threaded model; enqueue in case order.
	for i := int32(0); i < n; i++ {
		c := chanOf(r.get(fr, si.chans[i]))
		if c == nil {
			continue
		}
		if si.dirs[i] == types.SendOnly {
			r.enqueue(&c.sendq, gi, i, false)
		} else {
			r.enqueue(&c.recvq, gi, i, false)
		}
	}
	return r.park(g, gmp.WaitSelect), true
}
