package goprog

import (
	"go/types"

	"github.com/gohttpsim/gohttpsim/model/gmp"
)

// nativeFn is a library function bound natively. It reads c.args and
// writes c.res; a blocking one sets c.block and c.act (the call is then
// executed again, with c.resumed, once the goroutine is woken).
type nativeFn func(r *Runner, c *ncall)

// ncall is the context of one native call (reused: no allocation).
type ncall struct {
	g       *gstate
	gi      int32
	args    []value
	res     []value
	ci      *callInfo
	resumed bool
	block   bool
	act     gmp.Action
	// then: a func value to call as a new frame when the native returns
	// (e.g. Once.Do's f); the native is called again, resumed, afterwards.
	then     *closure
	thenArgs []value
}

// resolve finds the callee of a non-builtin call: the function, the
// closure environment, and for an interface call the receiver.
func (r *Runner) resolve(fr *frame, ci *callInfo) (fn *function, env []value, recv value, isRecv bool) {
	if ci.fn != nil {
		return ci.fn, nil, value{}, false
	}
	fv := r.get(fr, ci.fnOp)
	if ci.invoke {
		x := fv.itf()
		if x == nil {
			panic(nilDeref)
		}
		return r.method(x.t, ci.mname, ci.method), nil, x.v, true
	}
	c, _ := fv.r.(*closure)
	if c == nil {
		panic(nilDeref)
	}
	return c.fn, c.env, value{}, false
}

// call executes a Call. A native callee runs at once (block reports that
// it parked the goroutine); an interpreted one gets a new frame (pushed).
func (r *Runner) call(gi int32, g *gstate, fr *frame, in *instr, ci *callInfo, n int32) (a gmp.Action, block, pushed bool) {
	fn, env, recv, isRecv := r.resolve(fr, ci)
	if fn.native != nil {
		c := &r.nc
		args := r.argBuf[:0]
		if isRecv {
			args = append(args, recv)
		}
		for _, x := range ci.args {
			args = append(args, r.get(fr, x))
		}
		*c = ncall{g: g, gi: gi, args: args, ci: ci, resumed: g.done}
		g.done = false
		if in.dst >= 0 {
			c.res = fr.regs[in.dst : in.dst+int32(max(ci.nres, 1))]
		} else {
			c.res = r.resBuf[:max(ci.nres, 1)]
		}
		if env != nil {
			c.args = append(c.args, env...) // bound natives keep their receiver in env
		}
		fn.native(r, c)
		r.argBuf = args[:0]
		if c.block {
			if g.debt+n >= flushAt && c.act.Op == gmp.OpPark {
				// keep the charged time before parking
			}
			return c.act, true, false
		}
		if c.then != nil {
			// call c.then as a frame; the native runs again when it returns
			nf := r.newFrame(c.then.fn)
			copy(nf.regs, c.thenArgs)
			copy(nf.regs[nf.fn.nparams:], c.then.env)
			nf.caller, nf.kind = fr, frameThen
			g.fr = nf
			return gmp.Action{}, false, true
		}
		return gmp.Action{}, false, false
	}
	nf := r.newFrame(fn)
	i := int32(0)
	if isRecv {
		nf.regs[0] = recv
		i = 1
	}
	for _, x := range ci.args {
		nf.regs[i] = r.get(fr, x)
		i++
	}
	copy(nf.regs[fn.nparams:], env)
	nf.caller, nf.ret, nf.kind = fr, in.dst, frameCall
	fr.pc++
	g.fr = nf
	return gmp.Action{}, false, true
}

// method returns the method name of the dynamic type t (mirrors the
// itab lookup), cached per type.
func (r *Runner) method(t *rtype, name string, m *types.Func) *function {
	r.prog.mu.Lock()
	defer r.prog.mu.Unlock()
	if f, ok := t.methods[name]; ok {
		return f
	}
	var fn *function
	if t.native != nil {
		fn = t.native[name]
	}
	if fn == nil {
		sel := r.prog.ssa.MethodSets.MethodSet(t.t).Lookup(m.Pkg(), name)
		if sel == nil {
			panic(runtimeError("goprog: no method " + name + " on " + t.str))
		}
		fn = r.prog.fn(r.prog.ssa.MethodValue(sel))
	}
	if t.methods == nil {
		t.methods = map[string]*function{}
	}
	t.methods[name] = fn
	return fn
}

// spawn creates the goroutine of a go statement and returns its index.
func (r *Runner) spawn(fr *frame, ci *callInfo) int32 {
	fn, env, recv, isRecv := r.resolve(fr, ci)
	if fn.native != nil {
		// run the native in a one-instruction trampoline goroutine
		fn = r.prog.trampoline(fn, ci)
	}
	nf := r.newFrame(fn)
	i := int32(0)
	if isRecv {
		nf.regs[0] = recv
		i = 1
	}
	for _, x := range ci.args {
		nf.regs[i] = r.get(fr, x)
		i++
	}
	copy(nf.regs[fn.nparams:], env)
	for j, x := range ci.env {
		nf.regs[fn.nparams+int32(j)] = r.get(fr, x)
	}
	return r.newG(nf)
}

func (r *Runner) newG(fr *frame) int32 {
	return r.newGstate(gstate{fr: fr, gid: gmp.NoG})
}

// deferCall executes a Defer: the callee and arguments are evaluated now.
func (r *Runner) deferCall(fr *frame, in *instr) {
	ci := in.aux.(*callInfo)
	d := &deferRec{ci: ci}
	if ci.bltin == "" {
		if ci.fn != nil {
			d.fn = value{r: ci.fn.clos}
		} else {
			d.fn = r.get(fr, ci.fnOp)
			if ci.invoke {
				x := d.fn.itf()
				if x == nil {
					panic(nilDeref)
				}
				d.fn = value{r: r.method(x.t, ci.mname, ci.method).clos}
				d.recv = x.v
			} else if d.fn.r.(*closure) == nil {
				panic(nilDeref)
			}
		}
	}
	if ci.invoke {
		d.args = append(d.args, d.recv)
	}
	for _, a := range ci.args {
		d.args = append(d.args, r.get(fr, a))
	}
	if in.a != -1<<30 {
		// a range-over-func body's defer goes to the enclosing function's
		// frame (DeferStack)
		if target, ok := r.get(fr, in.a).r.(*frame); ok {
			d.next = target.defers
			target.defers = d
			return
		}
	}
	d.next = fr.defers
	fr.defers = d
}

// runDefer runs the deferred call d of fr. An interpreted call gets a frame
// of the given kind (and runDefer reports true); a native or builtin one
// runs at once (false).
func (r *Runner) runDefer(gi int32, g *gstate, fr *frame, d *deferRec, kind uint8) bool {
	if d.ci.bltin != "" {
		r.builtinDeferred(g, fr, d)
		return false
	}
	c := d.fn.r.(*closure)
	if c.fn.native != nil {
		nc := &r.nc
		*nc = ncall{g: g, gi: gi, args: append(d.args, c.env...), ci: d.ci, res: r.resBuf[:max(d.ci.nres, 1)]}
		c.fn.native(r, nc)
		if nc.block {
			panic(runtimeError("goprog: a deferred library call blocked (unsupported)"))
		}
		return false
	}
	nf := r.newFrame(c.fn)
	copy(nf.regs, d.args)
	copy(nf.regs[c.fn.nparams:], c.env)
	nf.caller, nf.kind = fr, kind
	g.fr = nf
	return true
}

// startPanic begins panicking with p on g.
func (r *Runner) startPanic(gi int32, g *gstate, p *panicState) {
	p.next = g.panicking()
	g.ext().panic = p
	r.unwind(gi, g)
}

// unwind runs the deferred calls of the panicking goroutine, innermost
// frame first (mirrors gopanic): each interpreted deferred call gets a
// framePanicDefer frame and unwinding continues when it returns; a frame
// without deferred calls left is popped. With no frame left the program
// dies (fatalpanic), or for Goexit the goroutine ends.
func (r *Runner) unwind(gi int32, g *gstate) {
	for {
		fr := g.fr
		if fr == nil {
			if g.x.panic.goexit {
				r.endG(gi)
				return
			}
			r.fatalPanic(gi, g)
			return
		}
		if d := fr.defers; d != nil {
			fr.defers = d.next
			if r.runDefer(gi, g, fr, d, framePanicDefer) {
				return
			}
			if g.x.panic.recovered { // recover() deferred directly: no effect
				g.x.panic.recovered = false
			}
			continue
		}
		g.fr = fr.caller
		r.freeFrame(fr)
	}
}

func (r *Runner) fatalPanic(gi int32, g *gstate) {
	msg := "panic: "
	for p := g.panicking(); p != nil; p = p.next {
		msg = "panic: " + r.panicString(p.val)
		if p.next != nil {
			msg = "panic: " + r.panicString(p.next.val) + "\n" + msg
			break
		}
	}
	gid := 1
	if g.gid != gmp.NoG && gi != 0 {
		gid = int(g.gid) + 1
	}
	r.stdoutFlush()
	r.stderr.WriteString(msg + "\n\ngoroutine " + itoa(gid) + " [running]:\nmain.main()\n\t?\nexit status 2\n")
	r.exit(2)
}

// panicString mirrors printpanicval: errors and Stringers print their
// message, basic values print as print() does.
func (r *Runner) panicString(v value) string {
	x := v.itf()
	if x == nil {
		return "nil"
	}
	if x.t == r.rtError {
		return string(x.v.r.(runtimeError)) + errSuffix(x.v.r.(runtimeError))
	}
	if m := r.methodOf(x.t, "Error"); m != nil {
		s := r.callSync(m, []value{x.v})
		return s.s()
	}
	if m := r.methodOf(x.t, "String"); m != nil && !isBasic(x.t.t) {
		return r.callSync(m, []value{x.v}).s()
	}
	switch kindOf(x.t.t) {
	case nkStr:
		s := x.v.s()
		if _, named := x.t.t.(*types.Named); named {
			return x.t.str + "(\"" + s + "\")"
		}
		return s
	case nkOther:
		return "(" + x.t.str + ") " + r.sprint(v)
	}
	s := r.sprint(x.v, x.t.t)
	if _, named := x.t.t.(*types.Named); named {
		return x.t.str + "(" + s + ")"
	}
	return s
}

func errSuffix(e runtimeError) string {
	if e == nilDeref {
		return "\n[signal SIGSEGV: segmentation violation]"
	}
	return ""
}

// methodOf returns t's method name, or nil.
func (r *Runner) methodOf(t *rtype, name string) *function {
	if t.native != nil {
		return t.native[name]
	}
	ms := r.prog.ssa.MethodSets.MethodSet(t.t)
	for i := 0; i < ms.Len(); i++ {
		if ms.At(i).Obj().Name() == name {
			return r.method(t, name, ms.At(i).Obj().(*types.Func))
		}
	}
	return nil
}

// callSync runs fn(args) to completion on a private frame stack and
// returns its first result. It serves callbacks from native code
// (String/Error methods for fmt, sort comparators); the callee must not
// block.
func (r *Runner) callSync(fn *function, args []value) value {
	res := make([]value, max(fn.nres, 1))
	r.callSyncAll(fn, args, res)
	return res[0]
}

// callSyncAll is callSync with all results written to res.
func (r *Runner) callSyncAll(fn *function, args []value, res []value) {
	if fn.native != nil {
		c := &ncall{args: args, res: res}
		fn.native(r, c)
		if c.block {
			panic(runtimeError("goprog: a callback blocked (unsupported)"))
		}
		return
	}
	saved := r.nc
	savedArgs := r.argBuf
	r.argBuf = nil
	top := &frame{fn: &function{nregs: int32(len(res))}, regs: res, kind: frameSentinel}
	nf := r.newFrame(fn)
	copy(nf.regs, args)
	nf.caller, nf.ret = top, 0
	si := int32(r.gs.Append(gstate{gid: gmp.NoG, fr: nf, live: true}))
	sub := r.g(si)
	r.syncDepth++
	for sub.fr != top {
		a := r.exec(si)
		if sub.fr != top && a.Op != gmp.OpCompute {
			panic(runtimeError("goprog: a callback blocked (unsupported)"))
		}
		if sub.fr == top {
			break
		}
	}
	r.syncDepth--
	for r.gs.Len() > int(si) {
		*r.g(int32(r.gs.Len() - 1)) = gstate{}
		r.gs.Pop()
	}
	r.nc = saved
	r.argBuf = savedArgs
}

// goexit ends goroutine gi: main returning ends the program.
func (r *Runner) goexit(gi int32) gmp.Action {
	if gi == 0 {
		r.exit(0)
		return gmp.Exit()
	}
	r.endG(gi)
	return gmp.Exit()
}

func (r *Runner) endG(gi int32) {
	g := r.g(gi)
	if g.x != nil && g.x.wgExit != nil {
		r.wgAdd(g.x.wgExit, -1)
	}
	if gi == 0 {
		// main called Goexit and everything else finished
		r.mainGoexit = true
	}
	r.freeG(gi)
}

// trampoline returns a two-instruction function calling the native fn
// with its parameters: the body of `go nativeFn(args)`.
func (p *Program) trampoline(fn *function, ci *callInfo) *function {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := trampKey{fn, len(ci.args), ci.invoke}
	if t, ok := p.tramps[key]; ok {
		return t
	}
	nargs := len(ci.args)
	if ci.invoke {
		nargs++
	}
	args := make([]int32, nargs)
	for i := range args {
		args[i] = int32(i)
	}
	nci := &callInfo{fn: fn, args: args, nres: ci.nres, sig: ci.sig, argT: ci.argT, pos: ci.pos}
	t := &function{name: fn.name, nparams: int32(nargs), nregs: int32(nargs + max(ci.nres, 1)), recover: -1}
	t.blocks = []block{{instrs: []instr{
		{op: opCall, dst: int32(nargs), aux: nci},
		{op: opReturn},
	}}}
	t.clos = &closure{fn: t}
	if p.tramps == nil {
		p.tramps = map[trampKey]*function{}
	}
	p.tramps[key] = t
	return t
}

type trampKey struct {
	fn     *function
	n      int
	invoke bool
}
