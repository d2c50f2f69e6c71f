package goprog

import (
	"go/token"
	"go/types"
	"slices"
	"sort"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

// opcode is an interpreter instruction: one per SSA instruction kind, some
// specialised by operand type when translated.
type opcode uint8

const (
	opNop opcode = iota
	opAlloc
	opBinOp
	opBinEq // == / != on non-basic types
	opNot
	opNeg
	opCompl
	opLoad
	opRecv
	opStore
	opCopy       // ChangeType, ChangeInterface, MultiConvert of same rep
	opConvert    // basic ↔ basic
	opStrToSlice // string → []byte/[]rune
	opSliceToStr
	opMakeIface
	opTypeAssert
	opCall
	opGo
	opDefer
	opRunDefers
	opReturn
	opPanic
	opExtract
	opField
	opFieldAddr
	opIndex
	opIndexAddr
	opLookup
	opMapUpdate
	opMakeMap
	opMakeSlice
	opMakeChan
	opMakeClosure
	opSlice
	opRange
	opNext
	opSelect
	opSend
	opIf
	opJump
	opSliceToArrayPtr
	opSliceToArray
)

// instr is a translated SSA instruction. Operands are int32: ≥ 0 a
// register of the frame, < 0 the constant ^x of the function.
type instr struct {
	op   opcode
	tok  token.Token
	nk   numKind
	nk2  numKind
	agg  bool // operand/result type is a struct or array (copy on load/store)
	dst  int32
	a, b int32
	c    int32
	args []int32
	t    types.Type // the instruction's main type (see each op)
	rt   *rtype
	aux  any
	in   ssa.Instruction
}

// cval is a constant operand; global ≥ 0 names a package variable, whose
// address is per run.
type cval struct {
	v      value
	global int32
}

// function is a translated function, or a natively bound one.
type function struct {
	ssa     *ssa.Function
	name    string
	nregs   int32
	nparams int32
	nfree   int32
	blocks  []block
	consts  []cval
	recover int32 // index of the Recover block, -1 if none
	nres    int
	native  nativeFn
	clos    *closure // the function as a func value (no free variables)
}

type block struct {
	instrs []instr
	nphi   int32
	// phis[pred] are the moves (dst, src) made on entering from pred.
	phis [][]phiMove
}

type phiMove struct{ dst, src int32 }

// closure is a func value.
type closure struct {
	fn  *function
	env []value
}

// goClosure returns v if it is a closure whose only use is a go statement
// calling it (`go func() { ... }()`): the Go then takes the closure's
// bound variables directly (callInfo.env) and no func value is allocated.
func goClosure(v ssa.Value) *ssa.MakeClosure {
	mc, ok := v.(*ssa.MakeClosure)
	if !ok {
		return nil
	}
	refs := mc.Referrers()
	if refs == nil || len(*refs) != 1 {
		return nil
	}
	g, ok := (*refs)[0].(*ssa.Go)
	if !ok || g.Call.IsInvoke() || g.Call.Value != mc || slices.Contains(g.Call.Args, ssa.Value(mc)) {
		return nil
	}
	return mc
}

// callInfo describes a call (Call, Go, Defer).
type callInfo struct {
	env    []int32   // a go statement's elided closure: its bound variables (fn is its function)
	fn     *function // static callee, or nil
	fnOp   int32     // dynamic: the func value operand
	invoke bool      // interface method call: fnOp is the interface
	method *types.Func
	mname  string
	bltin  string // builtin name
	args   []int32
	nres   int
	sig    *types.Signature
	argT   []types.Type
	pos    token.Pos
}

type selectInfo struct {
	dirs     []types.ChanDir
	chans    []int32
	sends    []int32
	elemT    []types.Type
	blocking bool
}

func (p *Program) translateAll() {
	var fs []*ssa.Function
	for f := range ssautil.AllFunctions(p.ssa) {
		if f.Blocks != nil && (f.Pkg == p.main || slices.Contains(p.srcPkgs, f.Pkg)) && (f.TypeParams().Len() == 0 || len(f.TypeArgs()) > 0) {
			fs = append(fs, f)
		}
	}
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Pos() != fs[j].Pos() {
			return fs[i].Pos() < fs[j].Pos()
		}
		return fs[i].String() < fs[j].String()
	})
	for _, f := range fs {
		p.fn(f)
	}
	// package variables: one cell per global, of the main package and the
	// bound library packages
	for _, pkg := range append([]*ssa.Package{p.main}, p.srcPkgs...) {
		for _, m := range pkg.Members {
			if g, ok := m.(*ssa.Global); ok {
				p.globalIndex(g)
			}
		}
	}
}

// globalIndex returns the index of g's cell in a run's global table.
func (p *Program) globalIndex(g *ssa.Global) int32 {
	if i, ok := p.gIndex[g]; ok {
		return i
	}
	i := int32(len(p.gList))
	p.gIndex[g] = i
	p.gList = append(p.gList, g)
	return i
}

// fn returns the translated form of f (translating it on first use).
func (p *Program) fn(f *ssa.Function) *function {
	if fn, ok := p.funcs[f]; ok {
		return fn
	}
	fn := &function{ssa: f, name: f.String(), recover: -1}
	fn.clos = &closure{fn: fn}
	p.funcs[f] = fn
	if f.Blocks == nil {
		nf := p.lookupNative(f)
		if nf == nil {
			pos := f.Pos()
			panic(unsupported(p.fset, pos, "function %s", f.String()))
		}
		fn.native = nf
		fn.nres = f.Signature.Results().Len()
		return fn
	}
	t := &translator{p: p, fn: fn, reg: map[ssa.Value]int32{}, cidx: map[ssa.Value]int32{}}
	t.translate()
	return fn
}

type translator struct {
	pos  token.Pos // of the instruction being translated
	p    *Program
	fn   *function
	reg  map[ssa.Value]int32
	cidx map[ssa.Value]int32
	n    int32
}

func (t *translator) fail(pos token.Pos, format string, args ...any) {
	if !pos.IsValid() {
		pos = t.pos
	}
	if !pos.IsValid() {
		pos = t.fn.ssa.Pos()
	}
	panic(unsupported(t.p.fset, pos, format, args...))
}

func (t *translator) newReg(v ssa.Value, width int32) int32 {
	r := t.n
	t.reg[v] = r
	t.n += width
	return r
}

func tupleWidth(v ssa.Value) int32 {
	if tt, ok := v.Type().(*types.Tuple); ok {
		return int32(max(tt.Len(), 1))
	}
	return 1
}

func (t *translator) translate() {
	f := t.fn.ssa
	for _, p := range f.Params {
		t.newReg(p, 1)
	}
	for _, fv := range f.FreeVars {
		t.newReg(fv, 1)
	}
	t.fn.nparams = int32(len(f.Params))
	t.fn.nfree = int32(len(f.FreeVars))
	t.fn.nres = f.Signature.Results().Len()
	for _, b := range f.Blocks {
		for _, in := range b.Instrs {
			if v, ok := in.(ssa.Value); ok && !unusedResult(in) {
				t.newReg(v, tupleWidth(v))
			}
		}
	}
	t.fn.blocks = make([]block, len(f.Blocks))
	for bi, b := range f.Blocks {
		blk := &t.fn.blocks[bi]
		for _, in := range b.Instrs {
			if _, ok := in.(*ssa.Phi); ok {
				blk.nphi++
			}
		}
		blk.phis = make([][]phiMove, len(b.Preds))
		for pi := range b.Preds {
			for _, in := range b.Instrs[:blk.nphi] {
				phi := in.(*ssa.Phi)
				blk.phis[pi] = append(blk.phis[pi], phiMove{dst: t.reg[phi], src: t.op(phi.Edges[pi])})
			}
		}
		blk.instrs = make([]instr, 0, len(b.Instrs))
		for _, in := range b.Instrs {
			blk.instrs = append(blk.instrs, t.instr(in))
		}
	}
	if f.Recover != nil {
		t.fn.recover = int32(f.Recover.Index)
	}
	t.fn.nregs = t.n
}

// op returns the operand code of v.
func (t *translator) op(v ssa.Value) int32 {
	if r, ok := t.reg[v]; ok {
		return r
	}
	if c, ok := t.cidx[v]; ok {
		return c
	}
	var cv cval
	cv.global = -1
	switch v := v.(type) {
	case *ssa.Const:
		cv.v = constValue(v.Value, v.Type())
	case *ssa.Global:
		cv.global = t.p.globalIndex(v)
	case *ssa.Function:
		t.check(v, t.pos)
		cv.v = value{r: t.p.fn(v).clos}
	case *ssa.Builtin:
		t.fail(v.Pos(), "builtin %s as a value", v.Name())
	default:
		t.fail(v.Pos(), "operand %T", v)
	}
	t.fn.consts = append(t.fn.consts, cv)
	c := ^int32(len(t.fn.consts) - 1)
	t.cidx[v] = c
	return c
}

func (t *translator) ops(vs []ssa.Value) []int32 {
	out := make([]int32, len(vs))
	for i, v := range vs {
		out[i] = t.op(v)
	}
	return out
}

func succIndex(from *ssa.BasicBlock, to *ssa.BasicBlock) int32 {
	for i, p := range to.Preds {
		if p == from {
			return int32(i)
		}
	}
	return -1
}

func (t *translator) instr(in ssa.Instruction) instr {
	t.pos = in.Pos()
	if !t.pos.IsValid() {
		for _, o := range in.Operands(nil) {
			if *o != nil && (*o).Pos().IsValid() {
				t.pos = (*o).Pos()
				break
			}
		}
	}
	x := instr{in: in, dst: -1}
	if v, ok := in.(ssa.Value); ok {
		if r, ok := t.reg[v]; ok {
			x.dst = r
		}
	}
	switch in := in.(type) {
	case *ssa.Phi, *ssa.DebugRef:
		x.op = opNop
	case *ssa.Alloc:
		x.op = opAlloc
		x.t = deref(in.Type())
	case *ssa.BinOp:
		x.tok = in.Op
		x.a, x.b = t.op(in.X), t.op(in.Y)
		x.t = in.X.Type()
		x.nk = kindOf(in.X.Type())
		x.nk2 = kindOf(in.Y.Type())
		if x.nk == nkOther || (in.Op == token.EQL || in.Op == token.NEQ) && !isBasic(in.X.Type()) {
			if in.Op != token.EQL && in.Op != token.NEQ {
				t.fail(in.Pos(), "operator %s on %s", in.Op, in.X.Type())
			}
			x.op = opBinEq
			// comparing with a nil constant: compare in the other operand's type
			if c, ok := in.X.(*ssa.Const); ok && c.Value == nil {
				x.t = in.Y.Type()
			}
		} else {
			x.op = opBinOp
		}
	case *ssa.UnOp:
		x.a = t.op(in.X)
		x.nk = kindOf(in.X.Type())
		switch in.Op {
		case token.NOT:
			x.op = opNot
		case token.SUB:
			x.op = opNeg
		case token.XOR:
			x.op = opCompl
		case token.MUL:
			x.op = opLoad
			x.t = deref(in.X.Type())
			x.agg = isAgg(x.t)
		case token.ARROW:
			x.op = opRecv
			x.b = 0
			if in.CommaOk {
				x.b = 1
			}
			x.t = in.X.Type().Underlying().(*types.Chan).Elem()
		default:
			t.fail(in.Pos(), "unary %s", in.Op)
		}
	case *ssa.ChangeType, *ssa.ChangeInterface:
		x.op = opCopy
		x.a = t.op(*in.Operands(nil)[0])
	case *ssa.MultiConvert:
		x.op = opConvert
		x.a = t.op(in.X)
		x.nk, x.nk2 = kindOf(in.X.Type().Underlying()), kindOf(in.Type().Underlying())
		if x.nk == nkOther || x.nk2 == nkOther {
			t.fail(in.Pos(), "generic conversion %s to %s", in.X.Type(), in.Type())
		}
	case *ssa.Convert:
		x.a = t.op(in.X)
		from, to := in.X.Type().Underlying(), in.Type().Underlying()
		x.nk, x.nk2 = kindOf(from), kindOf(to)
		switch {
		case x.nk != nkOther && x.nk2 != nkOther:
			x.op = opConvert
		case x.nk == nkStr:
			x.op = opStrToSlice
			x.nk = kindOf(to.(*types.Slice).Elem())
		case x.nk2 == nkStr:
			x.op = opSliceToStr
			x.nk = kindOf(from.(*types.Slice).Elem())
		default:
			t.fail(in.Pos(), "conversion from %s to %s", in.X.Type(), in.Type())
		}
	case *ssa.MakeInterface:
		x.op = opMakeIface
		x.a = t.op(in.X)
		x.rt = t.p.types.rt(in.X.Type())
	case *ssa.TypeAssert:
		x.op = opTypeAssert
		x.a = t.op(in.X)
		x.t = in.AssertedType
		x.rt = t.p.types.rt(in.AssertedType)
		if in.CommaOk {
			x.b = 1
		}
		x.aux = in.X.Type()
	case *ssa.Call:
		x.op = opCall
		x.aux = t.call(&in.Call, in.Pos())
	case *ssa.Go:
		x.op = opGo
		ci := t.call(&in.Call, in.Pos())
		if mc := goClosure(in.Call.Value); mc != nil {
			ci.fn = t.p.fn(mc.Fn.(*ssa.Function))
			ci.env = t.ops(mc.Bindings)
		}
		x.aux = ci
	case *ssa.Defer:
		x.op = opDefer
		x.aux = t.call(&in.Call, in.Pos())
		if in.DeferStack != nil {
			x.a = t.op(in.DeferStack)
		} else {
			x.a = -1 << 30
		}
	case *ssa.RunDefers:
		x.op = opRunDefers
	case *ssa.Return:
		x.op = opReturn
		x.args = t.ops(in.Results)
	case *ssa.Panic:
		x.op = opPanic
		x.a = t.op(in.X)
	case *ssa.Extract:
		x.op = opExtract
		x.a = t.reg[in.Tuple] + int32(in.Index)
	case *ssa.Field:
		x.op = opField
		x.a = t.op(in.X)
		x.b = int32(in.Field)
	case *ssa.FieldAddr:
		x.op = opFieldAddr
		x.a = t.op(in.X)
		x.b = int32(in.Field)
	case *ssa.Index:
		x.op = opIndex
		x.a, x.b = t.op(in.X), t.op(in.Index)
		x.nk = kindOf(in.X.Type())
	case *ssa.IndexAddr:
		x.op = opIndexAddr
		x.a, x.b = t.op(in.X), t.op(in.Index)
		_, x.agg = in.X.Type().Underlying().(*types.Pointer) // pointer to array
	case *ssa.Lookup:
		x.op = opLookup
		x.a, x.b = t.op(in.X), t.op(in.Index)
		x.nk = kindOf(in.X.Type())
		if in.CommaOk {
			x.c = 1
		}
		if x.nk != nkStr {
			mt := in.X.Type().Underlying().(*types.Map)
			x.t = mt.Key()
			x.aux = mt.Elem()
		}
	case *ssa.MapUpdate:
		x.op = opMapUpdate
		x.a, x.b, x.c = t.op(in.Map), t.op(in.Key), t.op(in.Value)
		mt := in.Map.Type().Underlying().(*types.Map)
		x.t = mt.Key()
		x.aux = mt.Elem()
	case *ssa.MakeMap:
		x.op = opMakeMap
		x.t = in.Type().Underlying().(*types.Map).Key()
	case *ssa.MakeSlice:
		x.op = opMakeSlice
		x.a, x.b = t.op(in.Len), t.op(in.Cap)
		x.t = in.Type().Underlying().(*types.Slice).Elem()
	case *ssa.MakeChan:
		x.op = opMakeChan
		x.a = t.op(in.Size)
		x.t = in.Type().Underlying().(*types.Chan).Elem()
	case *ssa.MakeClosure:
		x.op = opMakeClosure
		x.aux = t.p.fn(in.Fn.(*ssa.Function))
		x.args = t.ops(in.Bindings)
		if goClosure(in) != nil {
			x.op = opNop // the go statement binds the variables itself (still one instruction)
		}
	case *ssa.Slice:
		x.op = opSlice
		x.a = t.op(in.X)
		x.b, x.c = -1<<30, -1<<30
		var hi, max int32 = -1 << 30, -1 << 30
		if in.Low != nil {
			x.b = t.op(in.Low)
		}
		if in.High != nil {
			hi = t.op(in.High)
		}
		if in.Max != nil {
			max = t.op(in.Max)
		}
		x.args = []int32{hi, max}
		x.nk = kindOf(in.X.Type())
	case *ssa.SliceToArrayPointer:
		x.op = opSliceToArrayPtr
		x.a = t.op(in.X)
		x.b = int32(deref(in.Type()).Underlying().(*types.Array).Len())
	case *ssa.Range:
		x.op = opRange
		x.a = t.op(in.X)
		x.nk = kindOf(in.X.Type())
	case *ssa.Next:
		x.op = opNext
		x.a = t.op(in.Iter)
		if in.IsString {
			x.nk = nkStr
		}
	case *ssa.Select:
		x.op = opSelect
		si := &selectInfo{blocking: in.Blocking}
		for _, st := range in.States {
			si.dirs = append(si.dirs, st.Dir)
			si.chans = append(si.chans, t.op(st.Chan))
			if st.Send != nil {
				si.sends = append(si.sends, t.op(st.Send))
			} else {
				si.sends = append(si.sends, -1<<30)
			}
			si.elemT = append(si.elemT, st.Chan.Type().Underlying().(*types.Chan).Elem())
		}
		x.aux = si
	case *ssa.Send:
		x.op = opSend
		x.a, x.b = t.op(in.Chan), t.op(in.X)
	case *ssa.Store:
		x.op = opStore
		x.a, x.b = t.op(in.Addr), t.op(in.Val)
		x.t = in.Val.Type()
		x.agg = isAgg(x.t)
	case *ssa.If:
		x.op = opIf
		x.a = t.op(in.Cond)
		b := in.Block()
		x.b = int32(b.Succs[0].Index)
		x.c = int32(b.Succs[1].Index)
		x.args = []int32{succIndex(b, b.Succs[0]), succIndex(b, b.Succs[1])}
	case *ssa.Jump:
		x.op = opJump
		b := in.Block()
		x.b = int32(b.Succs[0].Index)
		x.c = succIndex(b, b.Succs[0])
	default:
		t.fail(in.Pos(), "instruction %T", in)
	}
	return x
}

func isBasic(t types.Type) bool {
	_, ok := t.Underlying().(*types.Basic)
	return ok
}

func deref(t types.Type) types.Type {
	return t.Underlying().(*types.Pointer).Elem()
}

func (t *translator) call(c *ssa.CallCommon, pos token.Pos) *callInfo {
	ci := &callInfo{args: t.ops(c.Args), sig: c.Signature(), pos: pos}
	for _, a := range c.Args {
		ci.argT = append(ci.argT, a.Type())
	}
	ci.nres = ci.sig.Results().Len()
	switch {
	case c.IsInvoke():
		ci.invoke = true
		ci.fnOp = t.op(c.Value)
		ci.method = c.Method
		ci.mname = c.Method.Name()
	default:
		switch v := c.Value.(type) {
		case *ssa.Builtin:
			ci.bltin = v.Name()
			switch v.Name() {
			case "append", "len", "cap", "copy", "delete", "close", "print", "println", "panic", "recover",
				"min", "max", "clear", "ssa:wrapnilchk", "complex", "real", "imag":
			default:
				t.fail(pos, "builtin %s", v.Name())
			}
		case *ssa.Function:
			t.check(v, pos)
			ci.fn = t.p.fn(v)
		default:
			ci.fnOp = t.op(c.Value)
		}
	}
	return ci
}

// check reports an unsupported library function at the position using it.
func (t *translator) check(f *ssa.Function, pos token.Pos) {
	if f.Blocks == nil && t.p.funcs[f] == nil && t.p.lookupNative(f) == nil {
		name := f.String()
		if o := f.Origin(); o != nil {
			name = o.String()
		}
		t.fail(pos, "%s", stripTypeParams(name))
	}
}

// unusedResult reports a call or receive whose result nobody reads: it
// gets no register (dst -1), which keeps parked goroutines' frames small.
func unusedResult(in ssa.Instruction) bool {
	switch in := in.(type) {
	case *ssa.Call:
		return len(*in.Referrers()) == 0
	case *ssa.UnOp:
		return in.Op == token.ARROW && len(*in.Referrers()) == 0
	}
	return false
}
