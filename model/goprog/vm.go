package goprog

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
)

// frame layout on a goroutine's stack: locals at fp, then four saved words
// (return pc, caller fp, caller fn, caller closure), then the operand stack.
const frameSaved = 4

// budget is how many instructions a goroutine runs before its CPU debt is
// turned into a Compute action, so that a busy loop advances simulated time
// and can be preempted; flushAt is the debt flushed before a blocking
// operation (smaller debts are carried over, a shortcut that saves events).
const (
	budget  = 10000
	flushAt = 1000
	instrNS = 1 // simulated CPU per instruction
)

// gstate is one goroutine's interpreter state, 72 bytes without a pointer
// (fields ordered by size, so there is no padding): its stack is named by
// an index into Runner.stackTab.
type gstate struct {
	val            int64 // blocking: the waker deposits the result and sets done
	waitFrom       sim.Time
	pc, fn, fp, sp int32
	clos           int32
	debt           int32 // instructions not yet charged
	gid            gmp.GID
	selIdx         int32
	waitGen        uint32
	wgExit         int32 // WaitGroup to Done on exit (wg.Go), 0 = none
	defers         int32 // index into Runner.deferLists, 0 = none
	stk            int32 // its stack: Runner.stackTab[stk]
	done           bool
	lifo           bool // mutex waiter woken once: requeue at the head
	ok             bool
	sendPanic      bool
}

type deferRec struct {
	fp   int32
	clos int32
	args []int64
}

type closure struct {
	fn, off, n int32
}

type sliceHdr struct {
	buf, off, len, cap int32
}

type waitq struct{ head, tail int32 }

type sudog struct {
	g    int32
	next int32
	val  int64
	sel  int32
	gen  uint32
}

type chanState struct {
	cap          int32
	buf          []int64
	head, n      int32
	closed       bool
	recvq, sendq waitq
}

type wgState struct {
	count   int64
	waiters waitq
}

type muState struct {
	locked   bool
	starving bool
	waiters  waitq
}

// Runner runs a compiled Program on a gmp.Sched. It is the gmp.Behavior of
// every goroutine of the program; a goroutine's user word indexes gs.
type Runner struct {
	prog *Program
	s    *gmp.Sched
	e    *sim.Engine
	rng  *rand.Rand

	gs container.Slots[gstate, int32]
	// stackTab holds every stack by id; stacks is the LIFO of the ids of
	// dead goroutines' stacks, for reuse. Pages ([container.Paged]), as
	// for clos and caps: at ten million goroutines a slice grown by append
	// spends much of the run copying itself.
	stackTab container.Paged[[]int64]
	stacks   container.Paged[int32]
	globals  []int64
	boxes    []int64
	clos     container.Paged[closure]
	caps     container.Paged[int32]
	woken    container.Paged[int32] // closechan's list of sudogs, reused
	strs     []string
	slices   []sliceHdr
	bufs     [][]int64
	chans    []chanState
	wgs      []wgState
	mus      []muState
	sudogs   container.Slots[sudog, int32] // 0 is "none"

	stdout, stderr strings.Builder
	exited         bool
	exitCode       int
	pollOrder      []int32
	arena          []int64                            // current chunk stacks are carved from
	deferLists     container.Slots[[]deferRec, int32] // 0 is "none"; freed lists keep their arrays
	sysStarted     bool
	nsys           int
}

// systemGs is how many runtime goroutines sit in P0's local run queue,
// ahead of the first G main.main spawns, when main.main starts (go1.26,
// linux/amd64). Inferred from testdata/spawn257.go, whose output depends
// on exactly where the 256-slot ring overflows; they stand for the Gs
// runtime.main and package init ready (bgsweep, bgscavenge, ...). They run
// once, silently, and do not count in runtime.NumGoroutine.
const systemGs = 2

// sysG is the behaviour of the system Gs: run once and exit.
type sysG struct{ r *Runner }

func (b sysG) Step(s *gmp.Sched, gp gmp.GID, arg int64) gmp.Action {
	b.r.nsys--
	return gmp.Exit()
}

// NewRunner prepares prog on s; Start creates the main goroutine.
func NewRunner(prog *Program, s *gmp.Sched) *Runner {
	r := &Runner{prog: prog, s: s, e: s.Engine(), rng: s.Engine().Stream("goprog")}
	r.strs = append(r.strs, prog.strs...)
	r.globals = make([]int64, prog.globals)
	r.slices = []sliceHdr{{}} // 0 is the nil slice
	r.bufs = [][]int64{nil}
	r.chans = []chanState{{}} // 0 is the nil channel
	r.wgs = []wgState{{}}
	r.mus = []muState{{}}
	r.clos.Append(closure{fn: -1}) // 0 is the nil func
	r.sudogs.Alloc()               // 0 is "none"
	r.deferLists.Alloc()
	return r
}

// Start creates the main goroutine, which runs the package initialisers
// and then main.main.
func (r *Runner) Start() {
	main := r.newG(r.prog.mainFn, 0, nil)
	// Run var initialisers first: push an init frame above main's.
	g := r.gs.At(main)
	g.pc = -1 // the init frame returns to main's pc 0
	r.call(g, r.prog.initFn, 0, 0)
	g.gid = r.s.Go(r, int64(main))
}

// Stdout returns what the program printed on standard output.
func (r *Runner) Stdout() string { return r.stdout.String() }

// Stderr returns what the program printed on standard error.
func (r *Runner) Stderr() string { return r.stderr.String() }

// Exited reports whether the program ended (main returned, os.Exit, panic)
// and its exit code.
func (r *Runner) Exited() (bool, int) { return r.exited, r.exitCode }

func (r *Runner) newG(fn int32, clos int32, args []int64) int32 {
	idx := r.gs.Alloc()
	f := r.prog.funcs[fn]
	var st []int64
	var stk int32
	need := f.nlocals + frameSaved + 8
	if n := r.stacks.Len(); n > 0 && cap(*r.stackTab.At(int(*r.stacks.At(n - 1)))) >= need {
		stk = r.stacks.Pop()
		st = *r.stackTab.At(int(stk))
	} else {
		st = r.carve(need)
		stk = int32(r.stackTab.Append(nil))
	}
	st = st[:cap(st)]
	*r.stackTab.At(int(stk)) = st
	clear(st[:f.nlocals+frameSaved])
	copy(st, args)
	*r.gs.At(idx) = gstate{stk: stk, fn: fn, clos: clos, fp: 0, sp: int32(f.nlocals + frameSaved), gid: gmp.NoG}
	st[f.nlocals] = -1 // return pc: goroutine exit
	return idx
}

// stack returns g's stack.
func (r *Runner) stack(g *gstate) []int64 { return *r.stackTab.At(int(g.stk)) }

// carve returns a stack of n words cut from a shared 64K-word chunk: a
// million small stacks cost no per-object malloc header or GC work.
func (r *Runner) carve(n int) []int64 {
	if len(r.arena) < n {
		r.arena = make([]int64, max(n, 1<<16))
	}
	st := r.arena[:n:n]
	r.arena = r.arena[n:]
	return st
}

// call pushes a frame for fn whose nargs arguments are on top of g's stack.
func (r *Runner) call(g *gstate, fn, clos int32, nargs int32) {
	f := r.prog.funcs[fn]
	fp := g.sp - nargs
	need := int(fp) + f.nlocals + frameSaved + 16
	stack := r.stackTab.At(int(g.stk))
	if need > len(*stack) {
		ns := make([]int64, max(need, 2*len(*stack)))
		copy(ns, (*stack)[:g.sp])
		*stack = ns
		if g.gid != gmp.NoG {
			r.s.GrowStack(g.gid, need*8)
		}
	}
	st := *stack
	clear(st[g.sp : int(fp)+f.nlocals])
	s := int(fp) + f.nlocals
	st[s], st[s+1], st[s+2], st[s+3] = int64(g.pc+1), int64(g.fp), int64(g.fn), int64(g.clos)
	g.fp, g.fn, g.clos, g.pc = fp, fn, clos, 0
	g.sp = int32(s + frameSaved)
}

type runtimePanic struct{ msg string }

// Step implements gmp.Behavior: interpret gp's instructions until one takes
// time or blocks.
func (r *Runner) Step(s *gmp.Sched, gp gmp.GID, arg int64) (act gmp.Action) {
	if r.exited {
		return gmp.Exit()
	}
	gi := int32(arg)
	if gi == 0 && !r.sysStarted {
		r.sysStarted = true
		for range systemGs {
			r.nsys++
			s.Go(sysG{r}, -1)
		}
	}
	g := r.gs.At(gi)
	g.gid = gp
	defer func() {
		if x := recover(); x != nil {
			p, ok := x.(runtimePanic)
			if !ok {
				panic(x)
			}
			r.fatal("panic: "+p.msg+"\n\ngoroutine "+strconv.Itoa(int(gp)+1)+" [running]:", 2)
			act = gmp.Exit()
		}
	}()
	return r.exec(gi)
}

func (r *Runner) fatal(msg string, code int) {
	r.stderr.WriteString(msg)
	r.stderr.WriteString("\n")
	r.exit(code)
}

func (r *Runner) exit(code int) {
	if r.exited {
		return
	}
	r.exited = true
	r.exitCode = code
	r.e.Stop()
}

func (r *Runner) flush(g *gstate, force bool) (gmp.Action, bool) {
	if g.debt >= flushAt || (force && g.debt > 0) {
		d := time.Duration(g.debt * instrNS)
		g.debt = 0
		return gmp.Compute(d), true
	}
	return gmp.Action{}, false
}

func (r *Runner) exec(gi int32) gmp.Action {
	p := r.prog
	g := r.gs.At(gi)
	code := p.funcs[g.fn].code
	n := 0
	for {
		if n >= budget {
			g.debt += int32(n)
			a, _ := r.flush(g, true)
			return a
		}
		n++
		in := code[g.pc]
		if debugVM {
			fmt.Println("  fn", g.fn, "pc", g.pc, "op", in.op, in.a, in.b, "sp", g.sp, "fp", g.fp)
		}
		st := r.stack(g)
		switch in.op {
		case opConst:
			st[g.sp] = p.consts[in.a]
			g.sp++
		case opLoadL:
			st[g.sp] = st[g.fp+in.a]
			g.sp++
		case opStoreL:
			g.sp--
			st[g.fp+in.a] = st[g.sp]
		case opLoadB:
			st[g.sp] = r.boxes[st[g.fp+in.a]]
			g.sp++
		case opStoreB:
			g.sp--
			r.boxes[st[g.fp+in.a]] = st[g.sp]
		case opNewBox:
			g.sp--
			r.boxes = append(r.boxes, st[g.sp])
			st[g.fp+in.a] = int64(len(r.boxes) - 1)
		case opRebox:
			r.boxes = append(r.boxes, r.boxes[st[g.fp+in.a]])
			st[g.fp+in.a] = int64(len(r.boxes) - 1)
		case opLoadC:
			c := (*r.clos.At(int(g.clos)))
			st[g.sp] = r.boxes[(*r.caps.At(int(c.off + in.a)))]
			g.sp++
		case opStoreC:
			c := (*r.clos.At(int(g.clos)))
			g.sp--
			r.boxes[(*r.caps.At(int(c.off + in.a)))] = st[g.sp]
		case opCapRef:
			c := (*r.clos.At(int(g.clos)))
			st[g.sp] = int64((*r.caps.At(int(c.off + in.a))))
			g.sp++
		case opLoadG:
			st[g.sp] = r.globals[in.a]
			g.sp++
		case opStoreG:
			g.sp--
			r.globals[in.a] = st[g.sp]
		case opPop:
			g.sp--
		case opDup:
			st[g.sp] = st[g.sp-1]
			g.sp++
		case opNeg:
			st[g.sp-1] = -st[g.sp-1]
		case opNot:
			st[g.sp-1] ^= 1
		case opAdd, opSub, opMul, opDiv, opMod, opAnd, opOr, opXor, opShl, opShr,
			opEq, opNe, opLt, opLe, opGt, opGe:
			g.sp--
			a, b := st[g.sp-1], st[g.sp]
			st[g.sp-1] = arith(in.op, a, b)
		case opSAdd:
			g.sp--
			r.strs = append(r.strs, r.strs[st[g.sp-1]]+r.strs[st[g.sp]])
			st[g.sp-1] = int64(len(r.strs) - 1)
		case opSEq, opSNe, opSLt:
			g.sp--
			a, b := r.strs[st[g.sp-1]], r.strs[st[g.sp]]
			var v bool
			switch in.op {
			case opSEq:
				v = a == b
			case opSNe:
				v = a != b
			default:
				v = a < b
			}
			st[g.sp-1] = b2i(v)
		case opJmp:
			g.pc = in.a
			continue
		case opJmpF:
			g.sp--
			if st[g.sp] == 0 {
				g.pc = in.a
				continue
			}
		case opJmpT:
			g.sp--
			if st[g.sp] != 0 {
				g.pc = in.a
				continue
			}
		case opCall:
			r.call(g, in.a, 0, in.b)
			code = p.funcs[g.fn].code
			continue
		case opCallCl:
			cl := st[g.sp-in.b-1]
			if cl == 0 {
				panic(runtimePanic{"runtime error: invalid memory address or nil pointer dereference"})
			}
			// drop the closure slot under the args
			copy(st[g.sp-in.b-1:], st[g.sp-in.b:g.sp])
			g.sp--
			r.call(g, (*r.clos.At(int(cl))).fn, int32(cl), in.b)
			code = p.funcs[g.fn].code
			continue
		case opRet:
			// Run this frame's defers first, LIFO; each returns here.
			if nd := r.ndefers(g); nd > 0 && (*r.deferLists.At(g.defers))[nd-1].fp == g.fp {
				d := (*r.deferLists.At(g.defers))[nd-1]
				*r.deferLists.At(g.defers) = (*r.deferLists.At(g.defers))[:nd-1]
				g.pc-- // return to this opRet
				for _, a := range d.args {
					st[g.sp] = a
					g.sp++
				}
				r.call(g, (*r.clos.At(int(d.clos))).fn, d.clos, int32(len(d.args)))
				code = p.funcs[g.fn].code
				continue
			}
			f := p.funcs[g.fn]
			var res int64
			if in.a == 1 {
				res = st[g.sp-1]
			}
			s := g.fp + int32(f.nlocals)
			retpc := st[s]
			if retpc < 0 {
				return r.goexit(gi)
			}
			g.sp = g.fp
			g.pc, g.fp, g.fn, g.clos = int32(retpc), int32(st[s+1]), int32(st[s+2]), int32(st[s+3])
			if in.a == 1 {
				st[g.sp] = res
				g.sp++
			}
			code = p.funcs[g.fn].code
			continue
		case opMkClos:
			if in.b == 0 && len(p.funcs[in.a].caps) == 0 {
				r.clos.Append(closure{fn: in.a})
			} else {
				off := int32(r.caps.Len())
				for i := g.sp - in.b; i < g.sp; i++ {
					r.caps.Append(int32(st[i]))
				}
				g.sp -= in.b
				r.clos.Append(closure{fn: in.a, off: off, n: in.b})
			}
			st[g.sp] = int64(r.clos.Len() - 1)
			g.sp++
		case opGoCl:
			cl := int32(st[g.sp-in.b-1])
			args := st[g.sp-in.b : g.sp]
			ng := r.newG((*r.clos.At(int(cl))).fn, cl, args)
			g = r.gs.At(gi)
			g.sp -= in.b + 1
			g.pc++
			g.debt += int32(n)
			return gmp.Spawn(r, int64(ng))
		case opDefer:
			cl := int32(st[g.sp-in.b-1])
			args := append([]int64(nil), st[g.sp-in.b:g.sp]...)
			if g.defers == 0 {
				g.defers = r.deferLists.Alloc()
			}
			*r.deferLists.At(g.defers) = append((*r.deferLists.At(g.defers)), deferRec{fp: g.fp, clos: cl, args: args})
			g.sp -= in.b + 1
		case opLen:
			st[g.sp-1] = int64(r.slices[st[g.sp-1]].len)
		case opSLen:
			st[g.sp-1] = int64(len(r.strs[st[g.sp-1]]))
		case opSIndex:
			g.sp--
			s := r.strs[st[g.sp-1]]
			i := st[g.sp]
			if i < 0 || i >= int64(len(s)) {
				panic(runtimePanic{fmt.Sprintf("runtime error: index out of range [%d] with length %d", i, len(s))})
			}
			st[g.sp-1] = int64(s[i])
		case opAppend:
			base := g.sp - in.b
			st[base] = r.append(st[base], st[base+1:g.sp])
			g.sp = base + 1
		case opMkSlice:
			g.sp--
			c, l := st[g.sp], st[g.sp-1]
			if l < 0 || c < l {
				panic(runtimePanic{"runtime error: makeslice: len out of range"})
			}
			r.bufs = append(r.bufs, make([]int64, c))
			r.slices = append(r.slices, sliceHdr{buf: int32(len(r.bufs) - 1), len: int32(l), cap: int32(c)})
			st[g.sp-1] = int64(len(r.slices) - 1)
		case opIndex:
			g.sp--
			h := r.slices[st[g.sp-1]]
			i := st[g.sp]
			if i < 0 || i >= int64(h.len) {
				panic(runtimePanic{fmt.Sprintf("runtime error: index out of range [%d] with length %d", i, h.len)})
			}
			st[g.sp-1] = r.bufs[h.buf][int64(h.off)+i]
		case opSetIndex:
			g.sp -= 3
			h := r.slices[st[g.sp]]
			i := st[g.sp+1]
			if i < 0 || i >= int64(h.len) {
				panic(runtimePanic{fmt.Sprintf("runtime error: index out of range [%d] with length %d", i, h.len)})
			}
			r.bufs[h.buf][int64(h.off)+i] = st[g.sp+2]
		case opMkChan:
			c := st[g.sp-1]
			if c < 0 {
				panic(runtimePanic{"makechan: size out of range"})
			}
			r.chans = append(r.chans, chanState{cap: int32(c)})
			st[g.sp-1] = int64(len(r.chans) - 1)
		case opNewWG:
			r.wgs = append(r.wgs, wgState{})
			st[g.sp] = int64(len(r.wgs) - 1)
			g.sp++
		case opNewMu:
			r.mus = append(r.mus, muState{})
			st[g.sp] = int64(len(r.mus) - 1)
			g.sp++
		case opPrint, opSprint:
			d := &p.prints[in.a]
			base := g.sp - in.b
			s := r.format(d, st[base:g.sp])
			g.sp = base
			if in.op == opSprint {
				r.strs = append(r.strs, s)
				st[g.sp] = int64(len(r.strs) - 1)
				g.sp++
			} else if d.kind == 2 {
				r.stderr.WriteString(s)
			} else {
				r.stdout.WriteString(s)
			}
		case opItoa:
			r.strs = append(r.strs, strconv.FormatInt(st[g.sp-1], 10))
			st[g.sp-1] = int64(len(r.strs) - 1)
		case opNow:
			st[g.sp] = int64(r.e.Now())
			g.sp++
		case opNumG:
			st[g.sp] = int64(r.s.Stats().Goroutines - r.nsys)
			g.sp++
		case opMaxProcs:
			// runtime.GOMAXPROCS: stop the world and resize (gmp.Sched.GOMAXPROCS).
			st[g.sp-1] = int64(r.s.GOMAXPROCS(int(st[g.sp-1])))
		case opPanic:
			g.sp--
			v := st[g.sp]
			var msg string
			switch argKind(in.a) {
			case kString:
				msg = r.strs[v]
			case kInt:
				msg = strconv.FormatInt(v, 10)
			default:
				msg = r.formatOne(argKind(in.a), v)
			}
			panic(runtimePanic{msg})
		case opExit:
			r.exit(int(st[g.sp-1]))
			return gmp.Exit()
		case opNop:
		default:
			// Operations that may block or take time.
			g.debt += int32(n)
			n = 0
			if a, ok := r.flush(g, false); ok {
				return a
			}
			a, block := r.slow(gi, g, in)
			g = r.gs.At(gi)
			if block {
				return a
			}
			code = p.funcs[g.fn].code
			continue
		}
		g.pc++
	}
}

func (r *Runner) goexit(gi int32) gmp.Action {
	g := r.gs.At(gi)
	if gi == 0 { // main returned: the program exits
		r.exit(0)
		return gmp.Exit()
	}
	if g.wgExit != 0 {
		r.wgAdd(g.wgExit, -1)
	}
	g = r.gs.At(gi)
	r.stacks.Append(g.stk)
	if g.defers != 0 {
		*r.deferLists.At(g.defers) = (*r.deferLists.At(g.defers))[:0]
		r.deferLists.Free(g.defers)
	}
	*g = gstate{}
	r.gs.Free(gi)
	return gmp.Exit()
}

func arith(op opcode, a, b int64) int64 {
	switch op {
	case opAdd:
		return a + b
	case opSub:
		return a - b
	case opMul:
		return a * b
	case opDiv:
		if b == 0 {
			panic(runtimePanic{"runtime error: integer divide by zero"})
		}
		return a / b
	case opMod:
		if b == 0 {
			panic(runtimePanic{"runtime error: integer divide by zero"})
		}
		return a % b
	case opAnd:
		return a & b
	case opOr:
		return a | b
	case opXor:
		return a ^ b
	case opShl:
		return a << uint64(b)
	case opShr:
		return a >> uint64(b)
	case opEq:
		return b2i(a == b)
	case opNe:
		return b2i(a != b)
	case opLt:
		return b2i(a < b)
	case opLe:
		return b2i(a <= b)
	case opGt:
		return b2i(a > b)
	case opGe:
		return b2i(a >= b)
	}
	return 0
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (r *Runner) append(s int64, vals []int64) int64 {
	h := r.slices[s]
	if int(h.len)+len(vals) > int(h.cap) || s == 0 {
		nc := max(int(h.len)+len(vals), 2*int(h.cap))
		if h.len == 0 && nc < 4 && len(vals) <= 1 {
			nc = 1
		}
		nb := make([]int64, nc)
		if h.len > 0 {
			copy(nb, r.bufs[h.buf][h.off:h.off+h.len])
		}
		r.bufs = append(r.bufs, nb)
		h = sliceHdr{buf: int32(len(r.bufs) - 1), len: h.len, cap: int32(nc)}
	}
	copy(r.bufs[h.buf][h.off+h.len:], vals)
	h.len += int32(len(vals))
	r.slices = append(r.slices, h)
	return int64(len(r.slices) - 1)
}

// Formatting.

func (r *Runner) formatOne(k argKind, v int64) string {
	switch k {
	case kInt:
		return strconv.FormatInt(v, 10)
	case kBool:
		return strconv.FormatBool(v != 0)
	case kString:
		return r.strs[v]
	case kDuration:
		return time.Duration(v).String()
	case kEmpty:
		return "{}"
	case kSlice:
		h := r.slices[v]
		var b strings.Builder
		b.WriteByte('[')
		for i := int32(0); i < h.len; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.FormatInt(r.bufs[h.buf][h.off+i], 10))
		}
		b.WriteByte(']')
		return b.String()
	}
	return "?"
}

func (r *Runner) format(d *printDesc, args []int64) string {
	var b strings.Builder
	switch d.kind {
	case 0, 2, 5: // Println, println, Sprintln
		for i, a := range args {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(r.formatOne(d.args[i], a))
		}
		b.WriteByte('\n')
	case 4: // Sprint: spaces between operands when neither is a string
		for i, a := range args {
			if i > 0 && d.args[i] != kString && d.args[i-1] != kString {
				b.WriteByte(' ')
			}
			b.WriteString(r.formatOne(d.args[i], a))
		}
	default: // Printf, Sprintf
		ai := 0
		f := d.format
		for i := 0; i < len(f); i++ {
			if f[i] != '%' {
				b.WriteByte(f[i])
				continue
			}
			i++
			if f[i] == '%' {
				b.WriteByte('%')
				continue
			}
			if ai >= len(args) {
				b.WriteString("%!" + string(f[i]) + "(MISSING)")
				continue
			}
			k := d.args[ai]
			if f[i] == 'd' && k == kDuration {
				b.WriteString(strconv.FormatInt(args[ai], 10))
			} else {
				b.WriteString(r.formatOne(k, args[ai]))
			}
			ai++
		}
	}
	return b.String()
}

func (r *Runner) ndefers(g *gstate) int {
	if g.defers == 0 {
		return 0
	}
	return len((*r.deferLists.At(g.defers)))
}

// MemBytes reports the interpreter's per-goroutine memory as allocated:
// goroutine states (gs), their stacks (the table of stacks and the words
// they hold: carved from shared chunks or grown), and the wait queue
// entries (sudogs).
func (r *Runner) MemBytes() (gs, stacks, sudogs int64) {
	stacks = r.stackTab.Bytes() + r.stacks.Bytes()
	for i := range r.stackTab.Len() {
		stacks += int64(cap(*r.stackTab.At(i))) * 8
	}
	return r.gs.MemBytes(), stacks, r.sudogs.MemBytes() + r.woken.Bytes()
}
