package goprog

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"time"
)

// BurnPath is the import path of the Burn helper package.
const BurnPath = "github.com/gohttpsim/gohttpsim/model/goprog/burn"

type opcode uint8

const (
	opConst  opcode = iota // push consts[a]
	opLoadL                // push frame[a]
	opStoreL               // frame[a] = pop
	opLoadB                // push boxes[frame[a]]
	opStoreB               // boxes[frame[a]] = pop
	opNewBox               // frame[a] = newbox(pop)
	opRebox                // frame[a] = newbox(boxes[frame[a]]) (per-iteration copy)
	opLoadC                // push boxes[caps[a]]
	opStoreC               // boxes[caps[a]] = pop
	opCapRef               // push caps[a] (a box index, for nested closures)
	opLoadG
	opStoreG
	opPop
	opDup
	opAdd
	opSub
	opMul
	opDiv
	opMod
	opNeg
	opNot
	opAnd // bitwise
	opOr
	opXor
	opShl
	opShr
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opSAdd
	opSEq
	opSNe
	opSLt
	opJmp
	opJmpF
	opJmpT
	opCall    // a=fn, b=nargs
	opCallCl  // b=nargs; closure below args
	opRet     // a=1 if result
	opMkClos  // a=fn, b=ncaps (box indexes on stack)
	opGo      // a=fn, b=nargs
	opGoCl    // b=nargs, closure below args
	opDefer   // b=nargs, closure below args
	opLen     // slice
	opSLen    // string
	opAppend  // b=nargs (slice + b-1 values)
	opMkSlice // pop cap, len
	opIndex
	opSetIndex // slice, idx, val
	opSIndex   // string index
	opMkChan   // pop cap
	opSend     // chan, val
	opRecv     // a=1: push ok too
	opClose
	opSelect // a=ncases, b=hasDefault; cases on stack as (kind, ch, val) triples
	opNewWG
	opWGAdd
	opWGDone
	opWGWait
	opWGGo // wg, closure
	opNewMu
	opLock
	opUnlock
	opGosched
	opSleep
	opBurn
	opNow
	opNumG
	opMaxProcs
	opPrint  // a=format descriptor, b=nargs; fmt.Println / Printf / println
	opSprint // same, pushes the string
	opPanic  // a=kind of arg
	opExit
	opItoa
	opNop
)

type instr struct {
	op   opcode
	a, b int32
}

type function struct {
	name    string
	code    []instr
	pos     []token.Pos
	nparams int
	nlocals int
	result  bool
	caps    []*types.Var // captured variables, in cap order
}

// argKind says how to print a value.
type argKind uint8

const (
	kInt argKind = iota
	kBool
	kString
	kDuration
	kSlice
	kEmpty // struct{}{}
	kChan
	kOther
)

type printDesc struct {
	kind   uint8 // 0 Println, 1 Printf, 2 println (stderr), 3 Sprintf, 4 Sprint, 5 Sprintln
	format string
	args   []argKind
}

// Program is a compiled program, shared by all its goroutines.
type Program struct {
	fset    *token.FileSet
	funcs   []*function
	consts  []int64
	strs    []string // string constants; index 0 is ""
	prints  []printDesc
	globals int
	mainFn  int32
	initFn  int32
}

// Error is a compile error: file:line:col: unsupported: WHAT.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

type bailout struct{ err *Error }

type compiler struct {
	p       *Program
	fset    *token.FileSet
	info    *types.Info
	fnIndex map[types.Object]int32
	gIndex  map[*types.Var]int32
	strIdx  map[string]int64
	declFn  map[*types.Var]ast.Node // var → function node declaring it
	boxed   map[*types.Var]bool
	litFn   map[*ast.FuncLit]int32

	// per function being compiled
	f        *function
	node     ast.Node
	locals   map[*types.Var]int32
	loops    []*loopCtx
	override map[ast.Expr]int32 // defer wrappers: expr → param slot
	parent   *compiler
}

type loopCtx struct {
	label       string
	breaks      []int
	continues   []int
	isSwitch    bool
	boxedPerIte []int32
}

// Compile parses and type-checks the Go source src (named filename) and
// compiles it. Supported: package main; imports fmt, runtime, sync, time,
// os and [BurnPath]; package-level vars, funcs, func literals; go, defer,
// return, if, for (3-clause, condition, infinite, range over int, slice,
// channel), switch, break, continue, select; int, bool, string,
// time.Duration, []int, chan of int/bool/struct{}; sync.WaitGroup and
// sync.Mutex; runtime.Gosched/GOMAXPROCS/NumGoroutine; time.Sleep/Now/
// Since; fmt.Println/Printf/Sprintf/Sprint; println, panic, os.Exit.
// Anything else is an *Error "file:line:col: unsupported: WHAT".
func Compile(filename string, src []byte) (prog *Program, err error) {
	fset := token.NewFileSet()
	f, perr := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if perr != nil {
		return nil, &Error{perr.Error()}
	}
	conf := types.Config{Importer: stubImporter{importer.Default()}}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	if _, terr := conf.Check("main", fset, []*ast.File{f}, info); terr != nil {
		return nil, &Error{terr.Error()}
	}
	c := &compiler{p: &Program{fset: fset, strs: []string{""}}, fset: fset, info: info,
		fnIndex: map[types.Object]int32{}, gIndex: map[*types.Var]int32{}, strIdx: map[string]int64{"": 0},
		declFn: map[*types.Var]ast.Node{}, boxed: map[*types.Var]bool{}, litFn: map[*ast.FuncLit]int32{}}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			prog, err = nil, b.err
		}
	}()
	c.file(f)
	return c.p, nil
}

type stubImporter struct{ def types.Importer }

func (s stubImporter) Import(path string) (*types.Package, error) {
	switch path {
	case "fmt", "runtime", "sync", "time", "os":
		return s.def.Import(path)
	case BurnPath:
		pkg := types.NewPackage(BurnPath, "burn")
		dur, err := s.def.Import("time")
		if err != nil {
			return nil, err
		}
		d := dur.Scope().Lookup("Duration").Type()
		sig := types.NewSignatureType(nil, nil, nil, types.NewTuple(types.NewVar(token.NoPos, pkg, "d", d)), nil, false)
		pkg.Scope().Insert(types.NewFunc(token.NoPos, pkg, "Burn", sig))
		pkg.MarkComplete()
		return pkg, nil
	}
	return nil, fmt.Errorf("unsupported import %q", path)
}

func (c *compiler) fail(n ast.Node, format string, args ...any) {
	pos := c.fset.Position(n.Pos())
	panic(bailout{&Error{fmt.Sprintf("%s:%d:%d: unsupported: %s", pos.Filename, pos.Line, pos.Column, fmt.Sprintf(format, args...))}})
}

func (c *compiler) file(f *ast.File) {
	if f.Name.Name != "main" {
		c.fail(f.Name, "package %s (only package main)", f.Name.Name)
	}
	for _, imp := range f.Imports {
		if imp.Name != nil && imp.Name.Name != "_" {
			// allowed: renamed imports resolve through types.Info
		}
	}
	// Pass 1: find variables captured by closures.
	c.findCaptures(f)
	// Pass 2: index funcs and globals.
	var inits []*ast.ValueSpec
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil {
				c.fail(d, "methods")
			}
			obj := c.info.Defs[d.Name]
			c.fnIndex[obj] = int32(len(c.p.funcs))
			c.p.funcs = append(c.p.funcs, &function{name: d.Name.Name})
		case *ast.GenDecl:
			switch d.Tok {
			case token.IMPORT, token.CONST:
			case token.VAR:
				for _, sp := range d.Specs {
					vs := sp.(*ast.ValueSpec)
					for _, n := range vs.Names {
						v := c.info.Defs[n].(*types.Var)
						c.checkType(n, v.Type())
						c.gIndex[v] = int32(c.p.globals)
						c.p.globals++
					}
					inits = append(inits, vs)
				}
			default:
				c.fail(d, "%s declarations", d.Tok)
			}
		}
	}
	// The init function: package var initialisers in order, then func init if any.
	c.p.initFn = int32(len(c.p.funcs))
	initF := &function{name: "init.vars"}
	c.p.funcs = append(c.p.funcs, initF)
	c.begin(initF, nil)
	for _, vs := range inits {
		for i, n := range vs.Names {
			v := c.info.Defs[n].(*types.Var)
			if len(vs.Values) > 0 {
				c.expr(vs.Values[i])
			} else {
				c.zero(n, v.Type())
			}
			c.emit(n, opStoreG, c.gIndex[v], 0)
		}
	}
	c.emit(nil, opRet, 0, 0)
	c.end()
	c.p.mainFn = -1
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		fn := c.p.funcs[c.fnIndex[c.info.Defs[fd.Name]]]
		if fd.Name.Name == "main" {
			c.p.mainFn = c.fnIndex[c.info.Defs[fd.Name]]
		}
		if fd.Name.Name == "init" {
			c.fail(fd, "func init")
		}
		c.funcBody(fn, fd, fd.Type, fd.Body)
	}
	if c.p.mainFn < 0 {
		c.fail(f, "no func main")
	}
}

// findCaptures marks variables referenced from a function literal other
// than the one declaring them.
func (c *compiler) findCaptures(f *ast.File) {
	var stack []ast.Node
	var walk func(n ast.Node) bool
	walk = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			stack = append(stack, n)
			var body *ast.BlockStmt
			var typ *ast.FuncType
			if fd, ok := n.(*ast.FuncDecl); ok {
				body, typ = fd.Body, fd.Type
			} else {
				fl := n.(*ast.FuncLit)
				body, typ = fl.Body, fl.Type
			}
			ast.Inspect(typ, walk)
			if body != nil {
				ast.Inspect(body, walk)
			}
			stack = stack[:len(stack)-1]
			return false
		case *ast.Ident:
			if len(stack) == 0 {
				return true
			}
			top := stack[len(stack)-1]
			if obj, ok := c.info.Defs[n].(*types.Var); ok && obj != nil {
				c.declFn[obj] = top
			}
			if obj, ok := c.info.Uses[n].(*types.Var); ok {
				if d, ok := c.declFn[obj]; ok && d != top {
					c.boxed[obj] = true
				}
			}
		}
		return true
	}
	ast.Inspect(f, walk)
}

func (c *compiler) begin(f *function, node ast.Node) {
	c.f = f
	c.node = node
	c.locals = map[*types.Var]int32{}
	c.loops = nil
}

func (c *compiler) end() {}

func (c *compiler) funcBody(f *function, node ast.Node, typ *ast.FuncType, body *ast.BlockStmt) {
	c.begin(f, node)
	if typ.TypeParams != nil {
		c.fail(typ, "generics")
	}
	for _, fld := range typ.Params.List {
		for _, n := range fld.Names {
			v := c.info.Defs[n].(*types.Var)
			c.checkType(n, v.Type())
			c.locals[v] = int32(f.nlocals)
			f.nlocals++
			f.nparams++
		}
		if len(fld.Names) == 0 {
			f.nlocals++
			f.nparams++
		}
	}
	if typ.Results != nil {
		if len(typ.Results.List) > 1 || len(typ.Results.List[0].Names) > 1 {
			c.fail(typ.Results, "multiple results")
		}
		if len(typ.Results.List[0].Names) > 0 {
			c.fail(typ.Results, "named results")
		}
		c.checkType(typ.Results, c.info.TypeOf(typ.Results.List[0].Type))
		f.result = true
	}
	// Box captured params.
	for v, slot := range c.locals {
		if c.boxed[v] {
			_ = slot
		}
	}
	for _, fld := range typ.Params.List {
		for _, n := range fld.Names {
			v := c.info.Defs[n].(*types.Var)
			if c.boxed[v] {
				c.emit(n, opLoadL, c.locals[v], 0)
				c.emit(n, opNewBox, c.locals[v], 0)
			}
		}
	}
	c.block(body.List)
	if f.result {
		c.emit(body, opConst, c.konst(0), 0) // unreachable in valid Go; keeps the VM safe
		c.emit(body, opRet, 1, 0)
	} else {
		c.emit(body, opRet, 0, 0)
	}
}

func (c *compiler) emit(n ast.Node, op opcode, a, b int32) int {
	var pos token.Pos
	if n != nil {
		pos = n.Pos()
	}
	c.f.code = append(c.f.code, instr{op, a, b})
	c.f.pos = append(c.f.pos, pos)
	return len(c.f.code) - 1
}

func (c *compiler) here() int32 { return int32(len(c.f.code)) }

func (c *compiler) patch(at int) { c.f.code[at].a = c.here() }

func (c *compiler) konst(v int64) int32 {
	c.p.consts = append(c.p.consts, v)
	return int32(len(c.p.consts) - 1)
}

func (c *compiler) str(s string) int64 {
	if i, ok := c.strIdx[s]; ok {
		return i
	}
	c.p.strs = append(c.p.strs, s)
	i := int64(len(c.p.strs) - 1)
	c.strIdx[s] = i
	return i
}

// checkType fails unless t is in the supported subset.
func (c *compiler) checkType(n ast.Node, t types.Type) {
	switch c.kindOf(n, t) {
	case kOther:
		if isSyncType(t, "WaitGroup") || isSyncType(t, "Mutex") || isPtrSync(t) || isTimeTime(t) {
			return
		}
		if _, ok := t.Underlying().(*types.Signature); ok {
			return
		}
		c.fail(n, "type %s", t)
	}
}

func isSyncType(t types.Type, name string) bool {
	nt, ok := types.Unalias(t).(*types.Named)
	return ok && nt.Obj().Pkg() != nil && nt.Obj().Pkg().Path() == "sync" && nt.Obj().Name() == name
}

func isPtrSync(t types.Type) bool {
	pt, ok := t.(*types.Pointer)
	return ok && (isSyncType(pt.Elem(), "WaitGroup") || isSyncType(pt.Elem(), "Mutex"))
}

func isTimeTime(t types.Type) bool {
	nt, ok := types.Unalias(t).(*types.Named)
	return ok && nt.Obj().Pkg() != nil && nt.Obj().Pkg().Path() == "time" && nt.Obj().Name() == "Time"
}

func isDuration(t types.Type) bool {
	nt, ok := types.Unalias(t).(*types.Named)
	return ok && nt.Obj().Pkg() != nil && nt.Obj().Pkg().Path() == "time" && nt.Obj().Name() == "Duration"
}

func (c *compiler) kindOf(n ast.Node, t types.Type) argKind {
	if isDuration(t) {
		return kDuration
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsInteger != 0:
			return kInt
		case u.Info()&types.IsBoolean != 0:
			return kBool
		case u.Info()&types.IsString != 0:
			return kString
		}
	case *types.Slice:
		if b, ok := u.Elem().Underlying().(*types.Basic); ok && b.Info()&types.IsInteger != 0 {
			return kSlice
		}
	case *types.Struct:
		if u.NumFields() == 0 {
			return kEmpty
		}
	case *types.Chan:
		k := c.kindOf(n, u.Elem())
		if k == kInt || k == kBool || k == kEmpty {
			return kChan
		}
	}
	return kOther
}

// zero pushes the zero value of t (allocating sync objects).
func (c *compiler) zero(n ast.Node, t types.Type) {
	switch {
	case isSyncType(t, "WaitGroup"):
		c.emit(n, opNewWG, 0, 0)
	case isSyncType(t, "Mutex"):
		c.emit(n, opNewMu, 0, 0)
	default:
		c.checkType(n, t)
		c.emit(n, opConst, c.konst(0), 0)
	}
}

// Variables.

func (c *compiler) declare(n *ast.Ident) (*types.Var, int32) {
	v, ok := c.info.Defs[n].(*types.Var)
	if !ok || v == nil {
		return nil, -1
	}
	c.checkType(n, v.Type())
	slot := int32(c.f.nlocals)
	c.f.nlocals++
	c.locals[v] = slot
	return v, slot
}

// storeNew stores the popped value into a newly declared variable.
func (c *compiler) storeNew(n *ast.Ident) {
	if n.Name == "_" {
		c.emit(n, opPop, 0, 0)
		return
	}
	v, slot := c.declare(n)
	if v == nil { // redeclared in :=
		c.store(n)
		return
	}
	if c.boxed[v] {
		c.emit(n, opNewBox, slot, 0)
	} else {
		c.emit(n, opStoreL, slot, 0)
	}
}

func (c *compiler) varObj(n *ast.Ident) *types.Var {
	if v, ok := c.info.Uses[n].(*types.Var); ok {
		return v
	}
	if v, ok := c.info.Defs[n].(*types.Var); ok {
		return v
	}
	c.fail(n, "identifier %s", n.Name)
	return nil
}

func (c *compiler) capIndex(v *types.Var) int32 {
	for i, x := range c.f.caps {
		if x == v {
			return int32(i)
		}
	}
	c.f.caps = append(c.f.caps, v)
	return int32(len(c.f.caps) - 1)
}

// varOps are the opcodes that reach a variable in each place it can live.
type varOps struct{ global, boxed, local, captured opcode }

var (
	loadOps  = varOps{opLoadG, opLoadB, opLoadL, opLoadC}
	storeOps = varOps{opStoreG, opStoreB, opStoreL, opStoreC}
)

func (c *compiler) load(n *ast.Ident) { c.access(n, loadOps) }

func (c *compiler) store(n *ast.Ident) {
	if n.Name == "_" {
		c.emit(n, opPop, 0, 0)
		return
	}
	c.access(n, storeOps)
}

// access emits the load or store of variable n: a package-level variable, a
// local (boxed when a closure captures it) or a captured variable.
func (c *compiler) access(n *ast.Ident, ops varOps) {
	v := c.varObj(n)
	if g, ok := c.gIndex[v]; ok {
		c.emit(n, ops.global, g, 0)
		return
	}
	if slot, ok := c.locals[v]; ok {
		if c.boxed[v] {
			c.emit(n, ops.boxed, slot, 0)
		} else {
			c.emit(n, ops.local, slot, 0)
		}
		return
	}
	c.emit(n, ops.captured, c.capIndex(v), 0)
}

// boxRef pushes the box index of captured variable v (for a nested closure).
func (c *compiler) boxRef(n ast.Node, v *types.Var) {
	if slot, ok := c.locals[v]; ok {
		c.emit(n, opLoadL, slot, 0)
		return
	}
	c.emit(n, opCapRef, c.capIndex(v), 0)
}

// Statements.

func (c *compiler) block(list []ast.Stmt) {
	for _, s := range list {
		c.stmt(s)
	}
}

func (c *compiler) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		if !ok {
			if u, ok := s.X.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
				c.expr(u.X)
				c.emit(u, opRecv, 0, 0)
				c.emit(u, opPop, 0, 0)
				return
			}
			c.fail(s, "expression statement")
		}
		if c.call(call) {
			c.emit(s, opPop, 0, 0)
		}
	case *ast.AssignStmt:
		c.assign(s)
	case *ast.IncDecStmt:
		id, ok := s.X.(*ast.Ident)
		if !ok {
			if ix, ok := s.X.(*ast.IndexExpr); ok {
				c.expr(ix.X)
				c.expr(ix.Index)
				c.expr(ix.X)
				c.expr(ix.Index)
				c.emit(s, opIndex, 0, 0)
				c.emit(s, opConst, c.konst(1), 0)
				if s.Tok == token.INC {
					c.emit(s, opAdd, 0, 0)
				} else {
					c.emit(s, opSub, 0, 0)
				}
				c.emit(s, opSetIndex, 0, 0)
				return
			}
			c.fail(s, "%s of %T", s.Tok, s.X)
		}
		c.load(id)
		c.emit(s, opConst, c.konst(1), 0)
		if s.Tok == token.INC {
			c.emit(s, opAdd, 0, 0)
		} else {
			c.emit(s, opSub, 0, 0)
		}
		c.store(id)
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok || (gd.Tok != token.VAR && gd.Tok != token.CONST) {
			c.fail(s, "declaration")
		}
		if gd.Tok == token.CONST {
			return // constants are folded by go/types
		}
		for _, sp := range gd.Specs {
			vs := sp.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if len(vs.Values) > 0 {
					if len(vs.Values) != len(vs.Names) {
						c.fail(vs, "multi-value var declaration")
					}
					c.expr(vs.Values[i])
				} else {
					c.zero(n, c.info.Defs[n].Type())
				}
				c.storeNew(n)
			}
		}
	case *ast.BlockStmt:
		c.block(s.List)
	case *ast.IfStmt:
		if s.Init != nil {
			c.stmt(s.Init)
		}
		c.expr(s.Cond)
		jf := c.emit(s, opJmpF, 0, 0)
		c.block(s.Body.List)
		if s.Else != nil {
			j := c.emit(s, opJmp, 0, 0)
			c.patch(jf)
			c.stmt(s.Else)
			c.patch(j)
		} else {
			c.patch(jf)
		}
	case *ast.ForStmt:
		c.forStmt(s, "")
	case *ast.RangeStmt:
		c.rangeStmt(s, "")
	case *ast.LabeledStmt:
		switch st := s.Stmt.(type) {
		case *ast.ForStmt:
			c.forStmt(st, s.Label.Name)
		case *ast.RangeStmt:
			c.rangeStmt(st, s.Label.Name)
		default:
			c.fail(s, "label on %T", s.Stmt)
		}
	case *ast.BranchStmt:
		c.branch(s)
	case *ast.ReturnStmt:
		if len(s.Results) > 1 {
			c.fail(s, "multiple results")
		}
		if len(s.Results) == 1 {
			c.expr(s.Results[0])
			c.emit(s, opRet, 1, 0)
		} else {
			c.emit(s, opRet, 0, 0)
		}
	case *ast.GoStmt:
		c.goDefer(s.Call, false)
	case *ast.DeferStmt:
		c.goDefer(s.Call, true)
	case *ast.SwitchStmt:
		c.switchStmt(s)
	case *ast.SelectStmt:
		c.selectStmt(s)
	case *ast.SendStmt:
		c.expr(s.Chan)
		c.expr(s.Value)
		c.emit(s, opSend, 0, 0)
	case *ast.EmptyStmt:
	default:
		c.fail(s, "statement %T", s)
	}
}

func (c *compiler) assign(s *ast.AssignStmt) {
	if len(s.Rhs) == 1 && len(s.Lhs) == 2 {
		// v, ok := <-ch
		u, ok := ast.Unparen(s.Rhs[0]).(*ast.UnaryExpr)
		if !ok || u.Op != token.ARROW {
			c.fail(s, "multi-value assignment")
		}
		c.expr(u.X)
		c.emit(u, opRecv, 1, 0) // pushes v, ok
		c.assignTo(s, s.Lhs[1])
		c.assignTo(s, s.Lhs[0])
		return
	}
	if len(s.Lhs) != len(s.Rhs) {
		c.fail(s, "multi-value assignment")
	}
	if s.Tok != token.ASSIGN && s.Tok != token.DEFINE {
		if len(s.Lhs) != 1 {
			c.fail(s, "op-assignment")
		}
		op := map[token.Token]opcode{token.ADD_ASSIGN: opAdd, token.SUB_ASSIGN: opSub, token.MUL_ASSIGN: opMul,
			token.QUO_ASSIGN: opDiv, token.REM_ASSIGN: opMod, token.AND_ASSIGN: opAnd, token.OR_ASSIGN: opOr,
			token.XOR_ASSIGN: opXor, token.SHL_ASSIGN: opShl, token.SHR_ASSIGN: opShr}[s.Tok]
		if s.Tok == token.ADD_ASSIGN && c.kindOf(s, c.info.TypeOf(s.Lhs[0])) == kString {
			op = opSAdd
		}
		if op == 0 {
			c.fail(s, "%s", s.Tok)
		}
		if ix, ok := s.Lhs[0].(*ast.IndexExpr); ok {
			c.expr(ix.X)
			c.expr(ix.Index)
			c.expr(ix)
			c.expr(s.Rhs[0])
			c.emit(s, op, 0, 0)
			c.emit(s, opSetIndex, 0, 0)
			return
		}
		c.expr(s.Lhs[0])
		c.expr(s.Rhs[0])
		c.emit(s, op, 0, 0)
		c.assignTo(s, s.Lhs[0])
		return
	}
	// Index targets: evaluate slice and index first.
	if len(s.Lhs) == 1 {
		if ix, ok := s.Lhs[0].(*ast.IndexExpr); ok {
			c.expr(ix.X)
			c.expr(ix.Index)
			c.expr(s.Rhs[0])
			c.emit(s, opSetIndex, 0, 0)
			return
		}
	}
	for _, r := range s.Rhs {
		c.expr(r)
	}
	for i := len(s.Lhs) - 1; i >= 0; i-- {
		if s.Tok == token.DEFINE {
			id := s.Lhs[i].(*ast.Ident)
			c.storeNew(id)
		} else {
			c.assignTo(s, s.Lhs[i])
		}
	}
}

func (c *compiler) assignTo(s ast.Node, lhs ast.Expr) {
	switch l := lhs.(type) {
	case *ast.Ident:
		if as, ok := s.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			c.storeNew(l)
			return
		}
		c.store(l)
	default:
		c.fail(lhs, "assignment to %T", lhs)
	}
}

func (c *compiler) pushLoop(label string) *loopCtx {
	l := &loopCtx{label: label}
	c.loops = append(c.loops, l)
	return l
}

func (c *compiler) popLoop(brk, cont int32) {
	l := c.loops[len(c.loops)-1]
	c.loops = c.loops[:len(c.loops)-1]
	for _, at := range l.breaks {
		c.f.code[at].a = brk
	}
	for _, at := range l.continues {
		c.f.code[at].a = cont
	}
}

func (c *compiler) branch(s *ast.BranchStmt) {
	var target *loopCtx
	for i := len(c.loops) - 1; i >= 0; i-- {
		l := c.loops[i]
		if s.Label != nil {
			if l.label == s.Label.Name {
				target = l
				break
			}
			continue
		}
		if s.Tok == token.CONTINUE && l.isSwitch {
			continue
		}
		target = l
		break
	}
	if target == nil {
		c.fail(s, "%s here", s.Tok)
	}
	at := c.emit(s, opJmp, 0, 0)
	switch s.Tok {
	case token.BREAK:
		target.breaks = append(target.breaks, at)
	case token.CONTINUE:
		target.continues = append(target.continues, at)
	default:
		c.fail(s, "%s", s.Tok)
	}
}

func (c *compiler) forStmt(s *ast.ForStmt, label string) {
	var perIter []int32
	if s.Init != nil {
		c.stmt(s.Init)
		if as, ok := s.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if v, ok := c.info.Defs[l.(*ast.Ident)].(*types.Var); ok && c.boxed[v] {
					perIter = append(perIter, c.locals[v])
				}
			}
		}
	}
	top := c.here()
	jf := -1
	if s.Cond != nil {
		c.expr(s.Cond)
		jf = c.emit(s, opJmpF, 0, 0)
	}
	c.pushLoop(label)
	c.block(s.Body.List)
	cont := c.here()
	// Go 1.22: each iteration has its own copy of a captured loop variable;
	// the copy is made before the post statement.
	for _, slot := range perIter {
		c.emit(s, opRebox, slot, 0)
	}
	if s.Post != nil {
		c.stmt(s.Post)
	}
	c.emit(s, opJmp, top, 0)
	brk := c.here()
	if jf >= 0 {
		c.f.code[jf].a = brk
	}
	c.popLoop(brk, cont)
}

func (c *compiler) rangeStmt(s *ast.RangeStmt, label string) {
	t := c.info.TypeOf(s.X)
	key, _ := s.Key.(*ast.Ident)
	val, _ := s.Value.(*ast.Ident)
	if (s.Key != nil && key == nil) || (s.Value != nil && val == nil) {
		c.fail(s, "range with non-identifier targets")
	}
	define := s.Tok == token.DEFINE
	setVar := func(id *ast.Ident) {
		if id == nil || id.Name == "_" {
			c.emit(s, opPop, 0, 0)
			return
		}
		if define {
			c.storeNew(id)
		} else {
			c.store(id)
		}
	}
	// Hidden locals: the collection, the counter, the limit.
	hid := func() int32 { c.f.nlocals++; return int32(c.f.nlocals - 1) }
	switch u := t.Underlying().(type) {
	case *types.Basic: // range over int
		lim, i := hid(), hid()
		c.expr(s.X)
		c.emit(s, opStoreL, lim, 0)
		c.emit(s, opConst, c.konst(0), 0)
		c.emit(s, opStoreL, i, 0)
		top := c.here()
		c.emit(s, opLoadL, i, 0)
		c.emit(s, opLoadL, lim, 0)
		c.emit(s, opLt, 0, 0)
		jf := c.emit(s, opJmpF, 0, 0)
		if key != nil {
			c.emit(s, opLoadL, i, 0)
			setVar(key)
		}
		c.pushLoop(label)
		c.block(s.Body.List)
		cont := c.here()
		c.emit(s, opLoadL, i, 0)
		c.emit(s, opConst, c.konst(1), 0)
		c.emit(s, opAdd, 0, 0)
		c.emit(s, opStoreL, i, 0)
		c.emit(s, opJmp, top, 0)
		c.patch(jf)
		c.popLoop(c.here(), cont)
	case *types.Slice:
		if c.kindOf(s, t) != kSlice {
			c.fail(s, "range over %s", t)
		}
		sl, i := hid(), hid()
		c.expr(s.X)
		c.emit(s, opStoreL, sl, 0)
		c.emit(s, opConst, c.konst(0), 0)
		c.emit(s, opStoreL, i, 0)
		top := c.here()
		c.emit(s, opLoadL, i, 0)
		c.emit(s, opLoadL, sl, 0)
		c.emit(s, opLen, 0, 0)
		c.emit(s, opLt, 0, 0)
		jf := c.emit(s, opJmpF, 0, 0)
		if key != nil {
			c.emit(s, opLoadL, i, 0)
			setVar(key)
		}
		if val != nil {
			c.emit(s, opLoadL, sl, 0)
			c.emit(s, opLoadL, i, 0)
			c.emit(s, opIndex, 0, 0)
			setVar(val)
		}
		c.pushLoop(label)
		c.block(s.Body.List)
		cont := c.here()
		c.emit(s, opLoadL, i, 0)
		c.emit(s, opConst, c.konst(1), 0)
		c.emit(s, opAdd, 0, 0)
		c.emit(s, opStoreL, i, 0)
		c.emit(s, opJmp, top, 0)
		c.patch(jf)
		c.popLoop(c.here(), cont)
	case *types.Chan:
		_ = u
		ch := hid()
		c.expr(s.X)
		c.emit(s, opStoreL, ch, 0)
		top := c.here()
		c.emit(s, opLoadL, ch, 0)
		c.emit(s, opRecv, 1, 0)
		jf := c.emit(s, opJmpF, 0, 0)
		setVar(key)
		c.pushLoop(label)
		c.block(s.Body.List)
		c.emit(s, opJmp, top, 0)
		end := c.here()
		c.emit(s, opPop, 0, 0) // the zero value left by the final receive
		c.f.code[jf].a = end
		c.popLoop(c.here(), top)
	default:
		c.fail(s, "range over %s", t)
	}
}

func (c *compiler) switchStmt(s *ast.SwitchStmt) {
	if s.Init != nil {
		c.stmt(s.Init)
	}
	tag := int32(-1)
	str := false
	if s.Tag != nil {
		c.f.nlocals++
		tag = int32(c.f.nlocals - 1)
		c.expr(s.Tag)
		c.emit(s, opStoreL, tag, 0)
		str = c.kindOf(s, c.info.TypeOf(s.Tag)) == kString
	}
	l := c.pushLoop("")
	l.isSwitch = true
	var bodyJumps []int
	var dflt *ast.CaseClause
	var ends []int
	for _, cl := range s.Body.List {
		cc := cl.(*ast.CaseClause)
		if cc.List == nil {
			dflt = cc
			bodyJumps = append(bodyJumps, -1)
			continue
		}
		var hits []int
		for _, e := range cc.List {
			if tag >= 0 {
				c.emit(e, opLoadL, tag, 0)
				c.expr(e)
				if str {
					c.emit(e, opSEq, 0, 0)
				} else {
					c.emit(e, opEq, 0, 0)
				}
			} else {
				c.expr(e)
			}
			hits = append(hits, c.emit(e, opJmpT, 0, 0))
		}
		_ = hits
		bodyJumps = append(bodyJumps, len(c.f.code)) // marker: hits patched below
		c.f.code = append(c.f.code, instr{op: opNop})
		c.f.pos = append(c.f.pos, cc.Pos())
		// stash hits in the loop ctx via closure below
		for _, h := range hits {
			c.f.code[h].b = -int32(len(bodyJumps)) // case number, patched later
		}
	}
	dj := c.emit(s, opJmp, 0, 0) // no case matched: default or end
	caseStart := make([]int32, len(s.Body.List))
	for i, cl := range s.Body.List {
		cc := cl.(*ast.CaseClause)
		caseStart[i] = c.here()
		c.block(cc.Body)
		if n := len(cc.Body); n > 0 {
			if br, ok := cc.Body[n-1].(*ast.BranchStmt); ok && br.Tok == token.FALLTHROUGH {
				c.fail(br, "fallthrough")
			}
		}
		ends = append(ends, c.emit(cc, opJmp, 0, 0))
	}
	end := c.here()
	for i := range c.f.code {
		in := &c.f.code[i]
		if in.op == opJmpT && in.b < 0 {
			k := int(-in.b) - 1
			in.a, in.b = caseStart[k], 0
		}
	}
	if dflt != nil {
		for i, cl := range s.Body.List {
			if cl == dflt {
				c.f.code[dj].a = caseStart[i]
			}
		}
	} else {
		c.f.code[dj].a = end
	}
	for _, e := range ends {
		c.f.code[e].a = end
	}
	c.popLoop(end, -1)
}

// selectStmt compiles select: each case pushes (kind, chan, value); opSelect
// pushes the chosen case index (and for receives the value and ok), then a
// jump table dispatches.
func (c *compiler) selectStmt(s *ast.SelectStmt) {
	var cases []*ast.CommClause
	hasDefault := int32(0)
	for _, cl := range s.Body.List {
		cc := cl.(*ast.CommClause)
		if cc.Comm == nil {
			hasDefault = 1
			continue
		}
		cases = append(cases, cc)
	}
	recvOf := func(cc *ast.CommClause) (*ast.UnaryExpr, *ast.AssignStmt) {
		switch st := cc.Comm.(type) {
		case *ast.ExprStmt:
			u, ok := ast.Unparen(st.X).(*ast.UnaryExpr)
			if ok && u.Op == token.ARROW {
				return u, nil
			}
		case *ast.AssignStmt:
			u, ok := ast.Unparen(st.Rhs[0]).(*ast.UnaryExpr)
			if ok && u.Op == token.ARROW {
				return u, st
			}
		}
		return nil, nil
	}
	for _, cc := range cases {
		if snd, ok := cc.Comm.(*ast.SendStmt); ok {
			c.emit(cc, opConst, c.konst(1), 0)
			c.expr(snd.Chan)
			c.expr(snd.Value)
			continue
		}
		u, _ := recvOf(cc)
		if u == nil {
			c.fail(cc, "select case")
		}
		c.emit(cc, opConst, c.konst(0), 0)
		c.expr(u.X)
		c.emit(cc, opConst, c.konst(0), 0)
	}
	// opSelect pushes value, ok, index (index on top).
	c.emit(s, opSelect, int32(len(cases)), hasDefault)
	idx := int32(c.f.nlocals)
	c.f.nlocals += 3
	c.emit(s, opStoreL, idx, 0)
	c.emit(s, opStoreL, idx+1, 0)
	c.emit(s, opStoreL, idx+2, 0)
	l := c.pushLoop("")
	l.isSwitch = true
	var ends []int
	next := -1
	for i, cl := range s.Body.List {
		cc := cl.(*ast.CommClause)
		if next >= 0 {
			c.patch(next)
			next = -1
		}
		k := -1
		if cc.Comm != nil {
			for j, x := range cases {
				if x == cc {
					k = j
				}
			}
		}
		c.emit(cc, opLoadL, idx, 0)
		c.emit(cc, opConst, c.konst(int64(k)), 0)
		c.emit(cc, opEq, 0, 0)
		next = c.emit(cc, opJmpF, 0, 0)
		if _, as := recvOf(cc); as != nil && cc.Comm != nil {
			if len(as.Lhs) == 2 {
				c.emit(cc, opLoadL, idx+1, 0)
				c.assignTo(as, as.Lhs[1])
			}
			c.emit(cc, opLoadL, idx+2, 0)
			c.assignTo(as, as.Lhs[0])
		}
		_ = i
		c.block(cc.Body)
		ends = append(ends, c.emit(cc, opJmp, 0, 0))
	}
	if next >= 0 {
		c.patch(next)
	}
	end := c.here()
	for _, e := range ends {
		c.f.code[e].a = end
	}
	c.popLoop(end, -1)
}

// goDefer compiles go and defer statements. The callee becomes a closure
// value: a func literal or named func directly, anything else (a method
// or builtin call) through a synthetic wrapper whose parameters are the
// call's arguments, evaluated now.
func (c *compiler) goDefer(call *ast.CallExpr, isDefer bool) {
	op := opGoCl
	if isDefer {
		op = opDefer
	}
	fun := ast.Unparen(call.Fun)
	if lit, ok := fun.(*ast.FuncLit); ok {
		c.funcLit(lit)
	} else if id, ok := fun.(*ast.Ident); ok && c.fnIndex[c.info.Uses[id]] != 0 || ok && c.isTopFunc(id) {
		c.emit(id, opMkClos, c.fnIndex[c.info.Uses[id]], 0)
	} else if ok && c.isVar(id) {
		c.load(id)
	} else {
		// Wrapper: params are the receiver (if a method on a variable) and args.
		var argExprs []ast.Expr
		if sel, ok := fun.(*ast.SelectorExpr); ok && c.info.Selections[sel] != nil {
			argExprs = append(argExprs, sel.X)
		}
		argExprs = append(argExprs, call.Args...)
		w := &function{name: "wrapper"}
		fi := int32(len(c.p.funcs))
		c.p.funcs = append(c.p.funcs, w)
		sub := *c
		sub.parent = c
		sub.begin(w, call)
		sub.override = map[ast.Expr]int32{}
		for i, a := range argExprs {
			sub.override[a] = int32(i)
		}
		w.nparams, w.nlocals = len(argExprs), len(argExprs)
		if sub.call(call) {
			sub.emit(call, opPop, 0, 0)
		}
		sub.emit(call, opRet, 0, 0)
		if len(w.caps) > 0 {
			c.fail(call, "captured variables in a go/defer of a method or builtin")
		}
		c.emit(call, opMkClos, fi, 0)
		for _, a := range argExprs {
			c.expr(a)
		}
		c.emit(call, op, 0, int32(len(argExprs)))
		return
	}
	for _, a := range call.Args {
		c.expr(a)
	}
	c.emit(call, op, 0, int32(len(call.Args)))
}

func (c *compiler) isTopFunc(id *ast.Ident) bool {
	_, ok := c.fnIndex[c.info.Uses[id]]
	return ok
}

func (c *compiler) isVar(id *ast.Ident) bool {
	_, ok := c.info.Uses[id].(*types.Var)
	return ok
}

func (c *compiler) funcLit(lit *ast.FuncLit) {
	fi := int32(len(c.p.funcs))
	f := &function{name: "func literal"}
	c.p.funcs = append(c.p.funcs, f)
	sub := *c
	sub.parent = c
	sub.override = nil
	sub.funcBody(f, lit, lit.Type, lit.Body)
	for _, v := range f.caps {
		c.boxRef(lit, v)
	}
	c.emit(lit, opMkClos, fi, int32(len(f.caps)))
}

// Expressions.

func (c *compiler) expr(e ast.Expr) {
	if slot, ok := c.override[e]; ok {
		c.emit(e, opLoadL, slot, 0)
		return
	}
	if tv, ok := c.info.Types[e]; ok && tv.Value != nil {
		c.constant(e, tv)
		return
	}
	switch e := e.(type) {
	case *ast.ParenExpr:
		c.expr(e.X)
	case *ast.Ident:
		switch obj := c.info.Uses[e].(type) {
		case *types.Var:
			c.load(e)
		case *types.Nil:
			c.emit(e, opConst, c.konst(0), 0)
		case *types.Func:
			c.emit(e, opMkClos, c.fnIndex[obj], 0)
		default:
			c.fail(e, "identifier %s", e.Name)
		}
	case *ast.FuncLit:
		c.funcLit(e)
	case *ast.BinaryExpr:
		c.binary(e)
	case *ast.UnaryExpr:
		switch e.Op {
		case token.SUB:
			c.expr(e.X)
			c.emit(e, opNeg, 0, 0)
		case token.NOT:
			c.expr(e.X)
			c.emit(e, opNot, 0, 0)
		case token.ARROW:
			c.expr(e.X)
			c.emit(e, opRecv, 0, 0)
		case token.AND:
			if !isPtrSync(c.info.TypeOf(e)) {
				c.fail(e, "address of %s", c.info.TypeOf(e.X))
			}
			c.expr(e.X)
		default:
			c.fail(e, "operator %s", e.Op)
		}
	case *ast.CallExpr:
		if !c.call(e) {
			c.fail(e, "call with no value used as value")
		}
	case *ast.IndexExpr:
		c.expr(e.X)
		c.expr(e.Index)
		if c.kindOf(e, c.info.TypeOf(e.X)) == kString {
			c.emit(e, opSIndex, 0, 0)
		} else {
			c.emit(e, opIndex, 0, 0)
		}
	case *ast.CompositeLit:
		t := c.info.TypeOf(e)
		switch c.kindOf(e, t) {
		case kEmpty:
			c.emit(e, opConst, c.konst(0), 0)
		case kSlice:
			c.emit(e, opConst, c.konst(0), 0)
			for _, el := range e.Elts {
				if _, ok := el.(*ast.KeyValueExpr); ok {
					c.fail(el, "keyed slice literal")
				}
				c.expr(el)
			}
			c.emit(e, opAppend, 0, int32(len(e.Elts)+1))
		default:
			c.fail(e, "composite literal of %s", t)
		}
	case *ast.StarExpr:
		if isSyncType(c.info.TypeOf(e), "WaitGroup") || isSyncType(c.info.TypeOf(e), "Mutex") {
			c.expr(e.X)
			return
		}
		c.fail(e, "pointer dereference")
	default:
		c.fail(e, "expression %T", e)
	}
}

func (c *compiler) constant(e ast.Expr, tv types.TypeAndValue) {
	switch tv.Value.Kind() {
	case constant.Int:
		v, ok := constant.Int64Val(tv.Value)
		if !ok {
			c.fail(e, "constant overflow")
		}
		c.emit(e, opConst, c.konst(v), 0)
	case constant.Bool:
		v := int64(0)
		if constant.BoolVal(tv.Value) {
			v = 1
		}
		c.emit(e, opConst, c.konst(v), 0)
	case constant.String:
		c.emit(e, opConst, c.konst(c.str(constant.StringVal(tv.Value))), 0)
	default:
		c.fail(e, "constant of kind %s", tv.Value.Kind())
	}
}

func (c *compiler) binary(e *ast.BinaryExpr) {
	switch e.Op {
	case token.LAND, token.LOR:
		c.expr(e.X)
		c.emit(e, opDup, 0, 0)
		var j int
		if e.Op == token.LAND {
			j = c.emit(e, opJmpF, 0, 0)
		} else {
			j = c.emit(e, opJmpT, 0, 0)
		}
		c.emit(e, opPop, 0, 0)
		c.expr(e.Y)
		c.patch(j)
		return
	}
	c.expr(e.X)
	c.expr(e.Y)
	if c.kindOf(e, c.info.TypeOf(e.X)) == kString {
		switch e.Op {
		case token.ADD:
			c.emit(e, opSAdd, 0, 0)
		case token.EQL:
			c.emit(e, opSEq, 0, 0)
		case token.NEQ:
			c.emit(e, opSNe, 0, 0)
		case token.LSS:
			c.emit(e, opSLt, 0, 0)
		default:
			c.fail(e, "string operator %s", e.Op)
		}
		return
	}
	ops := map[token.Token]opcode{token.ADD: opAdd, token.SUB: opSub, token.MUL: opMul, token.QUO: opDiv,
		token.REM: opMod, token.AND: opAnd, token.OR: opOr, token.XOR: opXor, token.SHL: opShl, token.SHR: opShr,
		token.EQL: opEq, token.NEQ: opNe, token.LSS: opLt, token.LEQ: opLe, token.GTR: opGt, token.GEQ: opGe}
	op, ok := ops[e.Op]
	if !ok {
		c.fail(e, "operator %s", e.Op)
	}
	c.emit(e, op, 0, 0)
}

// call compiles a call and reports whether it leaves a value on the stack.
func (c *compiler) call(e *ast.CallExpr) bool {
	if e.Ellipsis.IsValid() {
		c.fail(e, "variadic call with ...")
	}
	fun := ast.Unparen(e.Fun)
	// Conversions.
	if tv, ok := c.info.Types[fun]; ok && tv.IsType() {
		if len(e.Args) != 1 {
			c.fail(e, "conversion")
		}
		to, from := c.kindOf(e, tv.Type), c.kindOf(e, c.info.TypeOf(e.Args[0]))
		c.expr(e.Args[0])
		switch {
		case (to == kInt || to == kDuration) && (from == kInt || from == kDuration):
		case to == kString && from == kString:
		default:
			c.fail(e, "conversion from %s to %s", c.info.TypeOf(e.Args[0]), tv.Type)
		}
		return true
	}
	switch f := fun.(type) {
	case *ast.Ident:
		switch obj := c.info.Uses[f].(type) {
		case *types.Builtin:
			return c.builtin(e, obj.Name())
		case *types.Func:
			for _, a := range e.Args {
				c.expr(a)
			}
			fi := c.fnIndex[obj]
			c.emit(e, opCall, fi, int32(len(e.Args)))
			return c.p.funcs[fi].result || c.hasResult(e)
		case *types.Var:
			c.load(f)
			for _, a := range e.Args {
				c.expr(a)
			}
			c.emit(e, opCallCl, 0, int32(len(e.Args)))
			return c.hasResult(e)
		}
	case *ast.SelectorExpr:
		if sel := c.info.Selections[f]; sel != nil {
			return c.method(e, f, sel)
		}
		if id, ok := f.X.(*ast.Ident); ok {
			if pn, ok := c.info.Uses[id].(*types.PkgName); ok {
				return c.pkgCall(e, pn.Imported().Path(), f.Sel.Name)
			}
		}
	case *ast.FuncLit:
		c.funcLit(f)
		for _, a := range e.Args {
			c.expr(a)
		}
		c.emit(e, opCallCl, 0, int32(len(e.Args)))
		return c.hasResult(e)
	}
	c.fail(e, "call of %T", fun)
	return false
}

func (c *compiler) hasResult(e *ast.CallExpr) bool {
	sig, ok := c.info.TypeOf(e.Fun).Underlying().(*types.Signature)
	if !ok {
		return false
	}
	if sig.Results().Len() > 1 {
		c.fail(e, "multiple results")
	}
	if sig.Variadic() {
		c.fail(e, "variadic function")
	}
	return sig.Results().Len() == 1
}

func (c *compiler) builtin(e *ast.CallExpr, name string) bool {
	switch name {
	case "len":
		c.expr(e.Args[0])
		switch c.kindOf(e, c.info.TypeOf(e.Args[0])) {
		case kString:
			c.emit(e, opSLen, 0, 0)
		case kSlice:
			c.emit(e, opLen, 0, 0)
		default:
			c.fail(e, "len of %s", c.info.TypeOf(e.Args[0]))
		}
		return true
	case "append":
		for _, a := range e.Args {
			c.expr(a)
		}
		c.emit(e, opAppend, 0, int32(len(e.Args)))
		return true
	case "make":
		t := c.info.TypeOf(e.Args[0])
		switch c.kindOf(e, t) {
		case kSlice:
			c.expr(e.Args[1])
			if len(e.Args) > 2 {
				c.expr(e.Args[2])
			} else {
				c.emit(e, opDup, 0, 0)
			}
			c.emit(e, opMkSlice, 0, 0)
		case kChan:
			if len(e.Args) > 1 {
				c.expr(e.Args[1])
			} else {
				c.emit(e, opConst, c.konst(0), 0)
			}
			c.emit(e, opMkChan, 0, 0)
		default:
			c.fail(e, "make(%s)", t)
		}
		return true
	case "close":
		c.expr(e.Args[0])
		c.emit(e, opClose, 0, 0)
		return false
	case "panic":
		c.expr(e.Args[0])
		c.emit(e, opPanic, int32(c.kindOf(e, c.info.TypeOf(e.Args[0]))), 0)
		return false
	case "println", "print":
		c.printCall(e, 2, "")
		if name == "print" {
			c.fail(e, "print")
		}
		return false
	case "min", "max":
		if len(e.Args) != 2 {
			c.fail(e, "%s with %d args", name, len(e.Args))
		}
		// min(a,b): a b a b lt ? ...: compile via locals.
		c.f.nlocals += 2
		a, b := int32(c.f.nlocals-2), int32(c.f.nlocals-1)
		c.expr(e.Args[0])
		c.emit(e, opStoreL, a, 0)
		c.expr(e.Args[1])
		c.emit(e, opStoreL, b, 0)
		c.emit(e, opLoadL, a, 0)
		c.emit(e, opLoadL, b, 0)
		if name == "min" {
			c.emit(e, opLe, 0, 0)
		} else {
			c.emit(e, opGe, 0, 0)
		}
		j := c.emit(e, opJmpF, 0, 0)
		c.emit(e, opLoadL, a, 0)
		j2 := c.emit(e, opJmp, 0, 0)
		c.patch(j)
		c.emit(e, opLoadL, b, 0)
		c.patch(j2)
		return true
	}
	c.fail(e, "builtin %s", name)
	return false
}

func (c *compiler) printCall(e *ast.CallExpr, kind uint8, format string) {
	d := printDesc{kind: kind, format: format}
	args := e.Args
	if kind == 1 || kind == 3 {
		args = args[1:]
	}
	for _, a := range args {
		k := c.kindOf(a, c.info.TypeOf(a))
		if k == kOther || k == kChan {
			c.fail(a, "printing a %s", c.info.TypeOf(a))
		}
		d.args = append(d.args, k)
		c.expr(a)
	}
	c.p.prints = append(c.p.prints, d)
	op := opPrint
	if kind >= 3 {
		op = opSprint
	}
	c.emit(e, op, int32(len(c.p.prints)-1), int32(len(args)))
}

func (c *compiler) pkgCall(e *ast.CallExpr, path, name string) bool {
	switch path + "." + name {
	case "fmt.Println":
		c.printCall(e, 0, "")
		return false
	case "fmt.Printf", "fmt.Sprintf":
		tv := c.info.Types[e.Args[0]]
		if tv.Value == nil || tv.Value.Kind() != constant.String {
			c.fail(e, "non-constant format")
		}
		f := constant.StringVal(tv.Value)
		if err := checkFormat(f); err != "" {
			c.fail(e, "format %q: %s", f, err)
		}
		if name == "Printf" {
			c.printCall(e, 1, f)
			return false
		}
		c.printCall(e, 3, f)
		return true
	case "fmt.Sprint":
		c.printCall(e, 4, "")
		return true
	case "fmt.Sprintln":
		c.printCall(e, 5, "")
		return true
	case "runtime.Gosched":
		c.emit(e, opGosched, 0, 0)
		return false
	case "runtime.NumGoroutine":
		c.emit(e, opNumG, 0, 0)
		return true
	case "runtime.GOMAXPROCS":
		c.expr(e.Args[0])
		c.emit(e, opMaxProcs, 0, 0)
		return true
	case "time.Sleep":
		c.expr(e.Args[0])
		c.emit(e, opSleep, 0, 0)
		return false
	case "time.Now":
		c.emit(e, opNow, 0, 0)
		return true
	case "time.Since":
		c.emit(e, opNow, 0, 0)
		c.expr(e.Args[0])
		c.emit(e, opSub, 0, 0)
		return true
	case "os.Exit":
		c.expr(e.Args[0])
		c.emit(e, opExit, 0, 0)
		return false
	case BurnPath + ".Burn":
		c.expr(e.Args[0])
		c.emit(e, opBurn, 0, 0)
		return false
	case "strconv.Itoa":
		c.expr(e.Args[0])
		c.emit(e, opItoa, 0, 0)
		return true
	}
	c.fail(e, "%s.%s", path, name)
	return false
}

func (c *compiler) method(e *ast.CallExpr, f *ast.SelectorExpr, sel *types.Selection) bool {
	recv := sel.Recv()
	if p, ok := recv.(*types.Pointer); ok {
		recv = p.Elem()
	}
	switch {
	case isSyncType(recv, "WaitGroup"):
		c.expr(f.X)
		switch f.Sel.Name {
		case "Add":
			c.expr(e.Args[0])
			c.emit(e, opWGAdd, 0, 0)
		case "Done":
			c.emit(e, opWGDone, 0, 0)
		case "Wait":
			c.emit(e, opWGWait, 0, 0)
		case "Go":
			c.expr(e.Args[0])
			c.emit(e, opWGGo, 0, 0)
		default:
			c.fail(e, "WaitGroup.%s", f.Sel.Name)
		}
		return false
	case isSyncType(recv, "Mutex"):
		c.expr(f.X)
		switch f.Sel.Name {
		case "Lock":
			c.emit(e, opLock, 0, 0)
		case "Unlock":
			c.emit(e, opUnlock, 0, 0)
		default:
			c.fail(e, "Mutex.%s", f.Sel.Name)
		}
		return false
	case isDuration(recv):
		switch f.Sel.Name {
		case "Milliseconds", "Microseconds", "Nanoseconds":
			c.expr(f.X)
			div := map[string]int64{"Milliseconds": 1e6, "Microseconds": 1e3, "Nanoseconds": 1}[f.Sel.Name]
			c.emit(e, opConst, c.konst(div), 0)
			c.emit(e, opDiv, 0, 0)
			return true
		case "Round", "Truncate":
			// d.Round(m) ~ (d + m/2) / m * m; Truncate: d / m * m
			c.f.nlocals++
			m := int32(c.f.nlocals - 1)
			c.expr(e.Args[0])
			c.emit(e, opStoreL, m, 0)
			c.expr(f.X)
			if f.Sel.Name == "Round" {
				c.emit(e, opLoadL, m, 0)
				c.emit(e, opConst, c.konst(2), 0)
				c.emit(e, opDiv, 0, 0)
				c.emit(e, opAdd, 0, 0)
			}
			c.emit(e, opLoadL, m, 0)
			c.emit(e, opDiv, 0, 0)
			c.emit(e, opLoadL, m, 0)
			c.emit(e, opMul, 0, 0)
			return true
		}
	}
	c.fail(e, "method %s.%s", recv, f.Sel.Name)
	return false
}

func checkFormat(f string) string {
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		i++
		if i >= len(f) {
			return "trailing %"
		}
		switch f[i] {
		case 'd', 's', 'v', '%':
		default:
			return "verb %" + string(f[i])
		}
	}
	return ""
}

var _ = time.Second
