package goprog

import (
	"go/token"
	"go/types"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
)

// Cost model (see doc.go): every executed SSA instruction is charged
// instrNS of simulated CPU; the debt is turned into a Compute action every
// budget instructions (so busy loops advance time and can be preempted) and
// before an operation that may block when it reaches flushAt (smaller debts
// are carried over, a shortcut that saves events).
const (
	budget  = 10000
	flushAt = 1000
	instrNS = 1
)

// frame is one activation: a function, its registers, and where it is.
type frame struct {
	fn     *function
	regs   []value
	block  int32
	pc     int32
	ret    int32 // caller register receiving the results
	kind   uint8 // frameCall, frameDefer, framePanicDefer, frameRecovered
	caller *frame
	defers *deferRec
}

const (
	frameCall         = iota
	frameDefer        // run by RunDefers: returning re-executes it
	framePanicDefer   // run while panicking: returning continues the unwinding
	frameRecoverDefer // run after a recover, before the Recover block
	frameSentinel     // the bottom of a callSync stack
	frameThen         // a native's callback (ncall.then): returning re-executes the native, resumed
)

type deferRec struct {
	fn   value // a func value
	ci   *callInfo
	recv value // builtin/invoke receiver
	args []value
	next *deferRec
}

type panicState struct {
	val       value // an interface value
	recovered bool
	goexit    bool
	next      *panicState
}

// gstate is an interpreted goroutine: 64 bytes (a size class) plus its
// frames; the rarely used parts are in gext.
type gstate struct {
	fr        *frame
	val       value // a waker's value; a Mutex waiter's wait start (n)
	x         *gext
	gid       gmp.GID
	debt      int32
	waitGen   uint32
	selIdx    int32
	done      bool
	ok        bool
	lifo      bool
	sendPanic bool
	live      bool // false once the goroutine ended (the slot is free)
	reason    gmp.WaitReason
}

// gext holds a goroutine's rare state.
type gext struct {
	panic  *panicState
	wgExit *wgObj    // WaitGroup.Go: Done on exit
	timer  *timerObj // a hidden timer goroutine's timer
}

func (g *gstate) ext() *gext {
	if g.x == nil {
		g.x = &gext{}
	}
	return g.x
}

func (g *gstate) panicking() *panicState {
	if g.x == nil {
		return nil
	}
	return g.x.panic
}

// runtimeError is a run-time panic raised inside the interpreter.
type runtimeError string

func (r *Runner) get(fr *frame, x int32) value {
	if x >= 0 {
		return fr.regs[x]
	}
	c := &fr.fn.consts[^x]
	if c.global >= 0 {
		return r.globals[c.global]
	}
	return c.v
}

func (r *Runner) newFrame(fn *function) *frame {
	if n := len(r.framePool); n > 0 {
		fr := r.framePool[n-1]
		if cap(fr.regs) >= int(fn.nregs) {
			r.framePool = r.framePool[:n-1]
			fr.fn = fn
			fr.regs = fr.regs[:fn.nregs]
			return fr
		}
	}
	return &frame{fn: fn, regs: r.carve(int(fn.nregs))}
}

// carve returns n registers cut from a shared chunk: a million small
// frames cost no per-object malloc header.
func (r *Runner) carve(n int) []value {
	if n > 256 {
		return make([]value, n)
	}
	if len(r.arena) < n {
		r.arena = make([]value, 4096)
	}
	s := r.arena[:n:n]
	r.arena = r.arena[n:]
	return s
}

func (r *Runner) freeFrame(fr *frame) {
	if len(r.framePool) >= maxFramePool {
		return // garbage: ten million exiting goroutines need no pool of ten million frames
	}
	clear(fr.regs)
	*fr = frame{regs: fr.regs}
	r.framePool = append(r.framePool, fr)
}

// maxFramePool bounds the pool of free frames.
const maxFramePool = 4096

// jump moves fr to block to, entered from its predecessor number pred.
func (r *Runner) jump(fr *frame, to, pred int32) {
	b := &fr.fn.blocks[to]
	if b.nphi > 0 {
		moves := b.phis[pred]
		tmp := r.phiTmp[:0]
		for _, m := range moves {
			tmp = append(tmp, r.get(fr, m.src))
		}
		for i, m := range moves {
			fr.regs[m.dst] = tmp[i]
		}
		r.phiTmp = tmp[:0]
	}
	fr.block, fr.pc = to, b.nphi
}

// exec interprets g's instructions until one takes time or blocks.
func (r *Runner) exec(gi int32) gmp.Action {
	g := r.g(gi)
	n := int32(0)
	for {
		if n >= budget {
			g.debt += n
			d := time.Duration(g.debt * instrNS)
			g.debt = 0
			return gmp.Compute(d)
		}
		n++
		fr := g.fr
		in := &fr.fn.blocks[fr.block].instrs[fr.pc]
		switch in.op {
		case opNop:
		case opAlloc:
			c := new(value)
			*c = zero(in.t)
			fr.regs[in.dst] = value{r: c}
		case opBinOp:
			y := r.get(fr, in.b)
			if in.tok == token.SHL || in.tok == token.SHR { // count of kind nk2
				y = shiftCount(in.nk2, y)
			}
			fr.regs[in.dst] = binop(in.tok, in.nk, r.get(fr, in.a), y)
		case opBinEq:
			eq := equal(r.get(fr, in.a), r.get(fr, in.b), in.t)
			if in.tok == token.NEQ {
				eq = !eq
			}
			fr.regs[in.dst] = b2v(eq)
		case opNot:
			fr.regs[in.dst] = value{n: r.get(fr, in.a).n ^ 1}
		case opNeg:
			x := r.get(fr, in.a)
			switch {
			case in.nk.float():
				fr.regs[in.dst] = f2v(-x.f())
			case in.nk == nkCplx:
				c, _ := x.r.(complex128)
				fr.regs[in.dst] = value{r: -c}
			default:
				fr.regs[in.dst] = value{n: norm(in.nk, -x.n)}
			}
		case opCompl:
			fr.regs[in.dst] = value{n: norm(in.nk, ^r.get(fr, in.a).n)}
		case opLoad:
			p := r.get(fr, in.a).ptr()
			if p == nil {
				panic(nilDeref)
			}
			if in.agg {
				fr.regs[in.dst] = copyVal(*p, in.t)
			} else {
				fr.regs[in.dst] = *p
			}
		case opStore:
			p := r.get(fr, in.a).ptr()
			if p == nil {
				panic(nilDeref)
			}
			v := r.get(fr, in.b)
			if in.agg {
				v = copyVal(v, in.t)
			}
			*p = v
		case opCopy:
			fr.regs[in.dst] = r.get(fr, in.a)
		case opConvert:
			fr.regs[in.dst] = convert(r.get(fr, in.a), in.nk, in.nk2, nil)
		case opStrToSlice:
			fr.regs[in.dst] = stringToSlice(r.get(fr, in.a).s(), in.nk)
		case opSliceToStr:
			fr.regs[in.dst] = s2v(sliceToString(r.get(fr, in.a), in.nk))
		case opMakeIface:
			x := r.get(fr, in.a)
			if in.rt.isIface {
				fr.regs[in.dst] = x
			} else {
				fr.regs[in.dst] = value{r: &iface{t: in.rt, v: x}}
			}
		case opTypeAssert:
			r.typeAssert(fr, in)
		case opExtract:
			fr.regs[in.dst] = fr.regs[in.a]
		case opField:
			fr.regs[in.dst] = r.get(fr, in.a).sl()[in.b]
		case opFieldAddr:
			p := r.get(fr, in.a).ptr()
			if p == nil {
				panic(nilDeref)
			}
			fr.regs[in.dst] = value{r: &p.sl()[in.b]}
		case opIndex:
			x := r.get(fr, in.a)
			i := r.get(fr, in.b).i()
			if in.nk == nkStr {
				s := x.s()
				if uint64(i) >= uint64(len(s)) {
					panic(indexError(i, len(s)))
				}
				fr.regs[in.dst] = value{n: uint64(s[i])}
			} else {
				s := x.sl()
				if uint64(i) >= uint64(len(s)) {
					panic(indexError(i, len(s)))
				}
				fr.regs[in.dst] = s[i]
			}
		case opIndexAddr:
			x := r.get(fr, in.a)
			var s []value
			if in.agg { // pointer to array
				p := x.ptr()
				if p == nil {
					panic(nilDeref)
				}
				s = p.sl()
			} else {
				s = x.sl()
			}
			i := r.get(fr, in.b).i()
			if uint64(i) >= uint64(len(s)) {
				panic(indexError(i, len(s)))
			}
			fr.regs[in.dst] = value{r: &s[i]}
		case opLookup:
			r.lookup(fr, in)
		case opMapUpdate:
			m, _ := r.get(fr, in.a).r.(*mapObj)
			if m == nil {
				panic(runtimeError("assignment to entry in nil map"))
			}
			m.set(r.get(fr, in.b), copyVal(r.get(fr, in.c), in.aux.(types.Type)))
		case opMakeMap:
			fr.regs[in.dst] = value{r: newMap(in.t)}
		case opMakeSlice:
			l, c := r.get(fr, in.a).i(), r.get(fr, in.b).i()
			if l < 0 || l > 1<<31 {
				panic(runtimeError("runtime error: makeslice: len out of range"))
			}
			if c < l || c > 1<<31 {
				panic(runtimeError("runtime error: makeslice: cap out of range"))
			}
			s := make([]value, l, c)
			if isAgg(in.t) || kindOf(in.t) == nkCplx {
				z := zero(in.t)
				for i := range s {
					s[i] = copyVal(z, in.t)
				}
			}
			fr.regs[in.dst] = value{r: s}
		case opMakeChan:
			size := r.get(fr, in.a).i()
			if size < 0 || size > 1<<31 {
				panic(runtimeError("makechan: size out of range"))
			}
			fr.regs[in.dst] = value{r: &chanObj{cap: int32(size), elem: in.t}}
		case opMakeClosure:
			fn := in.aux.(*function)
			env := make([]value, len(in.args)) // not carved: a short-lived closure must not pin an arena chunk
			for i, a := range in.args {
				env[i] = r.get(fr, a)
			}
			fr.regs[in.dst] = value{r: &closure{fn: fn, env: env}}
		case opSlice:
			r.slice(fr, in)
		case opSliceToArrayPtr:
			s := r.get(fr, in.a).sl()
			if int(in.b) > len(s) {
				panic(runtimeError("runtime error: cannot convert slice with length " + itoa(len(s)) + " to array or pointer to array with length " + itoa(int(in.b))))
			}
			if s == nil {
				fr.regs[in.dst] = value{}
			} else {
				fr.regs[in.dst] = value{r: &value{r: s[:in.b:in.b]}}
			}
		case opRange:
			fr.regs[in.dst] = r.rangeIter(r.get(fr, in.a), in.nk)
		case opNext:
			r.next(fr, in)
		case opIf:
			if r.get(fr, in.a).n != 0 {
				r.jump(fr, in.b, in.args[0])
			} else {
				r.jump(fr, in.c, in.args[1])
			}
			continue
		case opJump:
			r.jump(fr, in.b, in.c)
			continue
		case opReturn:
			if a, stop := r.ret(gi, g, fr, in); stop {
				g.debt += n
				return a
			}
			continue
		case opCall:
			ci := in.aux.(*callInfo)
			if ci.bltin != "" {
				r.builtin(g, fr, in, ci)
				break
			}
			a, block, pushed := r.call(gi, g, fr, in, ci, n)
			if block {
				g.debt += n
				return a
			}
			if pushed {
				continue
			}
			if g.fr != fr { // the callee's frames finished a goroutine (Goexit)
				continue
			}
		case opGo:
			ci := in.aux.(*callInfo)
			ng := r.spawn(fr, ci)
			fr.pc++
			g.debt += n
			return gmp.Spawn(r, int64(ng))
		case opDefer:
			r.deferCall(fr, in)
		case opRunDefers:
			if fr.defers != nil {
				d := fr.defers
				fr.defers = d.next
				if r.runDefer(gi, g, fr, d, frameDefer) {
					continue
				}
				continue // native: RunDefers again
			}
		case opPanic:
			panic(&panicState{val: r.get(fr, in.a)})
		case opSend, opRecv, opSelect:
			g.debt += n
			n = 0
			if g.debt >= flushAt && !g.done {
				d := time.Duration(g.debt * instrNS)
				g.debt = 0
				return gmp.Compute(d)
			}
			var a gmp.Action
			var block bool
			switch in.op {
			case opSend:
				a, block = r.send(gi, g, fr, in)
			case opRecv:
				a, block = r.recv(gi, g, fr, in)
			default:
				a, block = r.selectgo(gi, g, fr, in)
			}
			if block {
				return a
			}
		default:
			panic("goprog: bad opcode")
		}
		fr.pc++
	}
}

var nilDeref = runtimeError("runtime error: invalid memory address or nil pointer dereference")

func indexError(i int64, n int) runtimeError {
	return runtimeError("runtime error: index out of range [" + itoa(int(i)) + "] with length " + itoa(n))
}

// ret executes a Return: results go to the caller's registers. It reports
// stop=true with the goroutine's final action when the goroutine ended.
func (r *Runner) ret(gi int32, g *gstate, fr *frame, in *instr) (gmp.Action, bool) {
	caller := fr.caller
	if caller != nil && fr.kind == frameCall && fr.ret >= 0 {
		for i, a := range in.args {
			caller.regs[fr.ret+int32(i)] = r.get(fr, a)
		}
	}
	kind := fr.kind
	g.fr = caller
	r.freeFrame(fr)
	if caller == nil {
		return r.goexit(gi), true
	}
	if caller.kind == frameSentinel {
		return gmp.Action{}, true
	}
	switch kind {
	case frameThen:
		g.done = true
	case frameRecoverDefer:
		r.recovered(gi, g, caller)
	case framePanicDefer:
		if p := g.panicking(); p != nil && p.recovered {
			g.x.panic = p.next
			r.recovered(gi, g, caller)
			return gmp.Action{}, false
		}
		r.unwind(gi, g)
		if r.exited || !g.live {
			return gmp.Exit(), true
		}
	}
	return gmp.Action{}, false
}

// recovered resumes fr after a deferred call recovered its panic: the
// remaining deferred calls run (as frameRecoverDefer frames), then the
// Recover block returns the named results.
func (r *Runner) recovered(gi int32, g *gstate, fr *frame) {
	for fr.defers != nil {
		d := fr.defers
		fr.defers = d.next
		if r.runDefer(gi, g, fr, d, frameRecoverDefer) {
			return
		}
	}
	fr.block, fr.pc = fr.fn.recover, 0
}

// typeAssert implements TypeAssert.
func (r *Runner) typeAssert(fr *frame, in *instr) {
	x := r.get(fr, in.a).itf()
	var ok bool
	var v value
	if in.rt.isIface {
		ok = x != nil && r.implements(x.t, in.rt)
		if ok {
			v = r.get(fr, in.a)
		}
	} else {
		ok = x != nil && x.t == in.rt
		if ok {
			v = x.v
		}
	}
	if in.b == 1 {
		if !ok && !in.rt.isIface {
			v = zero(in.t)
		}
		fr.regs[in.dst] = v
		fr.regs[in.dst+1] = b2v(ok)
		return
	}
	if !ok {
		have := "nil"
		if x != nil {
			have = x.t.str
		}
		from := typeString(in.aux.(types.Type))
		if in.rt.isIface {
			if x == nil {
				panic(runtimeError("interface conversion: interface is nil, not " + in.rt.str))
			}
			panic(runtimeError("interface conversion: " + have + " is not " + in.rt.str + ": missing method " + r.missing(x.t, in.rt)))
		}
		panic(runtimeError("interface conversion: " + from + " is " + have + ", not " + in.rt.str))
	}
	fr.regs[in.dst] = v
}

func (r *Runner) implements(t, iface *rtype) bool {
	key := [2]*rtype{t, iface}
	if v, ok := r.prog.implCache(key); ok {
		return v
	}
	it := iface.t.Underlying().(*types.Interface)
	ok := types.Implements(t.t, it) || t.native != nil && nativeImplements(t, it)
	r.prog.setImpl(key, ok)
	return ok
}

func (r *Runner) missing(t, iface *rtype) string {
	m, _ := types.MissingMethod(t.t, iface.t.Underlying().(*types.Interface), true)
	if m == nil {
		return "?"
	}
	return m.Name()
}
