package goprog

import (
	"go/types"
	"unicode/utf8"
)

// builtin executes a call of a builtin function.
func (r *Runner) builtin(g *gstate, fr *frame, in *instr, ci *callInfo) {
	args := r.argBuf[:0]
	for _, a := range ci.args {
		args = append(args, r.get(fr, a))
	}
	res := r.builtinCall(g, fr, ci, args, false)
	r.argBuf = args[:0]
	if in.dst >= 0 {
		fr.regs[in.dst] = res
	}
}

func (r *Runner) builtinDeferred(g *gstate, fr *frame, d *deferRec) {
	r.builtinCall(g, fr, d.ci, d.args, true)
}

func (r *Runner) builtinCall(g *gstate, fr *frame, ci *callInfo, args []value, deferred bool) value {
	switch ci.bltin {
	case "len", "cap":
		x := args[0]
		switch u := ci.argT[0].Underlying().(type) {
		case *types.Basic:
			return i2v(int64(len(x.s())))
		case *types.Slice:
			if ci.bltin == "cap" {
				return i2v(int64(cap(x.sl())))
			}
			return i2v(int64(len(x.sl())))
		case *types.Map:
			m, _ := x.r.(*mapObj)
			return i2v(int64(m.len()))
		case *types.Chan:
			c := chanOf(x)
			if c == nil || c.timer {
				return value{}
			}
			if ci.bltin == "cap" {
				return i2v(int64(c.cap))
			}
			return i2v(int64(c.n))
		case *types.Pointer: // pointer to array
			return i2v(u.Elem().Underlying().(*types.Array).Len())
		case *types.Array:
			return i2v(u.Len())
		}
	case "append":
		s := args[0].sl()
		et := ci.argT[0].Underlying().(*types.Slice).Elem()
		var add []value
		if len(args) > 1 {
			if _, isStr := ci.argT[1].Underlying().(*types.Basic); isStr {
				add = stringToSlice(args[1].s(), nkU8).sl()
			} else {
				add = args[1].sl()
			}
		}
		return value{r: r.appendValues(s, add, et)}
	case "copy":
		dst := args[0].sl()
		var src []value
		if _, isStr := ci.argT[1].Underlying().(*types.Basic); isStr {
			src = stringToSlice(args[1].s(), nkU8).sl()
		} else {
			src = args[1].sl()
		}
		et := ci.argT[0].Underlying().(*types.Slice).Elem()
		n := copy(dst, src)
		if isAgg(et) {
			for i := range n {
				dst[i] = copyVal(dst[i], et)
			}
		}
		return i2v(int64(n))
	case "delete":
		if m, _ := args[0].r.(*mapObj); m != nil {
			m.delete(args[1])
		}
	case "clear":
		switch args[0].r.(type) {
		case *mapObj:
			args[0].r.(*mapObj).clear()
		case []value:
			et := ci.argT[0].Underlying().(*types.Slice).Elem()
			s := args[0].sl()
			for i := range s {
				s[i] = zero(et)
			}
		}
	case "close":
		r.closechan(chanOf(args[0]))
	case "print", "println":
		for i, a := range args {
			if i > 0 && ci.bltin == "println" {
				r.stderr.WriteByte(' ')
			}
			r.stderr.WriteString(r.printValue(a, ci.argT[i]))
		}
		if ci.bltin == "println" {
			r.stderr.WriteByte('\n')
		}
	case "panic":
		panic(&panicState{val: args[0]})
	case "recover":
		if p := g.panicking(); p != nil && !p.recovered && !p.goexit && fr.kind == framePanicDefer {
			p.recovered = true
			return p.val
		}
		return value{}
	case "min", "max":
		k := kindOf(ci.argT[0])
		best := args[0]
		for _, a := range args[1:] {
			less := binop(lss, k, a, best).b()
			if k.float() && (a.f() != a.f()) {
				best = a
				continue
			}
			if (ci.bltin == "min") == less && !equalNum(a, best, k) {
				best = a
			}
		}
		return best
	case "ssa:wrapnilchk":
		if args[0].r == nil || args[0].ptr() == nil {
			panic(runtimeError("value method " + args[1].s() + "." + args[2].s() + " called using nil *" + args[2].s() + " pointer"))
		}
		return args[0]
	case "complex":
		return value{r: complex(args[0].f(), args[1].f())}
	case "real":
		c, _ := args[0].r.(complex128)
		return f2v(real(c))
	case "imag":
		c, _ := args[0].r.(complex128)
		return f2v(imag(c))
	}
	return value{}
}

func equalNum(a, b value, k numKind) bool {
	if k == nkStr {
		return a.s() == b.s()
	}
	return a.n == b.n
}

// appendValues appends add to s, growing the backing array as
// runtime.growslice does for the element type's real size, so that cap()
// reports what Go reports.
func (r *Runner) appendValues(s, add []value, et types.Type) []value {
	n := len(s) + len(add)
	if n > cap(s) {
		nc := growCap(cap(s), n, elemSize(et))
		ns := make([]value, len(s), nc)
		copy(ns, s)
		s = ns
	}
	s = s[:n]
	copy(s[n-len(add):], add)
	if isAgg(et) {
		for i := n - len(add); i < n; i++ {
			s[i] = copyVal(s[i], et)
		}
	}
	return s
}

var stdSizes = types.SizesFor("gc", "amd64")

func elemSize(t types.Type) int64 { return stdSizes.Sizeof(t) }

// growCap mirrors runtime.nextslicecap and roundupsize (src/runtime/
// slice.go growslice, msize.go, sizeclasses.go; go1.26).
func growCap(oldCap, newLen int, size int64) int {
	newcap := oldCap
	doublecap := newcap + newcap
	if newLen > doublecap {
		newcap = newLen
	} else {
		const threshold = 256
		if oldCap < threshold {
			newcap = doublecap
		} else {
			for {
				newcap += (newcap + 3*threshold) >> 2
				if uint(newcap) >= uint(newLen) {
					break
				}
			}
			if newcap <= 0 {
				newcap = newLen
			}
		}
	}
	if size == 0 {
		return newcap
	}
	mem := roundupsize(int64(newcap) * size)
	return int(mem / size)
}

var sizeClasses = [...]int64{0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768}

func roundupsize(n int64) int64 {
	if n <= 32768 {
		for _, c := range sizeClasses {
			if c >= n {
				return c
			}
		}
	}
	const page = 8192
	return (n + page - 1) / page * page
}

// lookup executes Lookup: a string index or a map read.
func (r *Runner) lookup(fr *frame, in *instr) {
	x := r.get(fr, in.a)
	if in.nk == nkStr {
		s := x.s()
		i := r.get(fr, in.b).i()
		if uint64(i) >= uint64(len(s)) {
			panic(indexError(i, len(s)))
		}
		fr.regs[in.dst] = value{n: uint64(s[i])}
		return
	}
	m, _ := x.r.(*mapObj)
	v, ok := m.get(r.get(fr, in.b))
	if !ok {
		v = zero(in.aux.(types.Type))
	}
	fr.regs[in.dst] = v
	if in.c == 1 {
		fr.regs[in.dst+1] = b2v(ok)
	}
}

// slice executes Slice on a string, slice, or pointer to array.
func (r *Runner) slice(fr *frame, in *instr) {
	x := r.get(fr, in.a)
	lo, hi, mx := int64(0), int64(-1), int64(-1)
	if in.b != -1<<30 {
		lo = r.get(fr, in.b).i()
	}
	if in.args[0] != -1<<30 {
		hi = r.get(fr, in.args[0]).i()
	}
	if in.args[1] != -1<<30 {
		mx = r.get(fr, in.args[1]).i()
	}
	if in.nk == nkStr {
		s := x.s()
		if hi < 0 {
			hi = int64(len(s))
		}
		if lo < 0 || hi > int64(len(s)) || lo > hi {
			panic(sliceError(lo, hi, len(s)))
		}
		fr.regs[in.dst] = s2v(s[lo:hi])
		return
	}
	var s []value
	if p, ok := x.r.(*value); ok { // pointer to array
		s = p.sl()
	} else if x.r == nil && in.t == nil {
		s = x.sl()
	} else {
		s = x.sl()
	}
	if hi < 0 {
		hi = int64(len(s))
	}
	if mx < 0 {
		mx = int64(cap(s))
	}
	if lo < 0 || hi < lo || mx < hi || mx > int64(cap(s)) {
		panic(sliceError(lo, hi, cap(s)))
	}
	if s == nil {
		fr.regs[in.dst] = value{}
		return
	}
	fr.regs[in.dst] = value{r: s[lo:hi:mx]}
}

func sliceError(lo, hi int64, n int) runtimeError {
	if hi > int64(n) {
		return runtimeError("runtime error: slice bounds out of range [:" + itoa(int(hi)) + "] with capacity " + itoa(n))
	}
	return runtimeError("runtime error: slice bounds out of range [" + itoa(int(lo)) + ":" + itoa(int(hi)) + "]")
}

// Iterators for Range/Next over strings and maps.

type strIter struct {
	s string
	i int
}

type mapIter struct {
	m    *mapObj
	keys []value
	i    int
}

func (r *Runner) rangeIter(x value, k numKind) value {
	if k == nkStr {
		return value{r: &strIter{s: x.s()}}
	}
	m, _ := x.r.(*mapObj)
	it := &mapIter{m: m}
	if m != nil && m.len() > 0 {
		it.keys = m.orderedKeys(r.rng.IntN(len(m.keys)))
	}
	return value{r: it}
}

func (r *Runner) next(fr *frame, in *instr) {
	switch it := r.get(fr, in.a).r.(type) {
	case *strIter:
		if it.i >= len(it.s) {
			fr.regs[in.dst] = b2v(false)
			return
		}
		c, size := utf8.DecodeRuneInString(it.s[it.i:])
		fr.regs[in.dst] = b2v(true)
		fr.regs[in.dst+1] = i2v(int64(it.i))
		fr.regs[in.dst+2] = i2v(int64(c))
		it.i += size
	case *mapIter:
		for it.i < len(it.keys) {
			k := it.keys[it.i]
			it.i++
			if v, ok := it.m.get(k); ok {
				fr.regs[in.dst] = b2v(true)
				fr.regs[in.dst+1] = k
				fr.regs[in.dst+2] = v
				return
			}
		}
		fr.regs[in.dst] = b2v(false)
	}
}
