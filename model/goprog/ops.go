package goprog

import (
	"go/constant"
	"go/token"
	"go/types"
	"math"
	"strconv"
	"unicode/utf8"
)

// numKind classifies a basic type for arithmetic and conversions.
type numKind uint8

const (
	nkOther numKind = iota
	nkI8
	nkI16
	nkI32
	nkI64
	nkU8
	nkU16
	nkU32
	nkU64
	nkF32
	nkF64
	nkStr
	nkCplx
	nkBool
)

func kindOf(t types.Type) numKind {
	b, ok := t.Underlying().(*types.Basic)
	if !ok {
		return nkOther
	}
	switch b.Kind() {
	case types.Int8:
		return nkI8
	case types.Int16:
		return nkI16
	case types.Int32, types.UntypedRune:
		return nkI32
	case types.Int, types.Int64, types.UntypedInt:
		return nkI64
	case types.Uint8:
		return nkU8
	case types.Uint16:
		return nkU16
	case types.Uint32:
		return nkU32
	case types.Uint, types.Uint64, types.Uintptr:
		return nkU64
	case types.Float32:
		return nkF32
	case types.Float64, types.UntypedFloat:
		return nkF64
	case types.String, types.UntypedString:
		return nkStr
	case types.Complex64, types.Complex128, types.UntypedComplex:
		return nkCplx
	case types.Bool, types.UntypedBool:
		return nkBool
	}
	return nkOther
}

func (k numKind) signed() bool   { return k >= nkI8 && k <= nkI64 }
func (k numKind) unsigned() bool { return k >= nkU8 && k <= nkU64 }
func (k numKind) float() bool    { return k == nkF32 || k == nkF64 }
func (k numKind) integer() bool  { return k >= nkI8 && k <= nkU64 }

// norm truncates an integer result to k's width (sign- or zero-extending),
// and rounds a float64 to float32 for nkF32.
func norm(k numKind, n uint64) uint64 {
	switch k {
	case nkI8:
		return uint64(int64(int8(n)))
	case nkI16:
		return uint64(int64(int16(n)))
	case nkI32:
		return uint64(int64(int32(n)))
	case nkU8:
		return uint64(uint8(n))
	case nkU16:
		return uint64(uint16(n))
	case nkU32:
		return uint64(uint32(n))
	case nkF32:
		return math.Float64bits(float64(float32(math.Float64frombits(n))))
	}
	return n
}

// constValue converts an ssa constant of type t.
func constValue(c constant.Value, t types.Type) value {
	if c == nil {
		return zero(t)
	}
	k := kindOf(t)
	switch {
	case k == nkBool:
		return b2v(constant.BoolVal(c))
	case k == nkStr:
		return s2v(constant.StringVal(c))
	case k.float():
		f, _ := constant.Float64Val(constant.ToFloat(c))
		return value{n: norm(k, math.Float64bits(f))}
	case k == nkCplx:
		re, _ := constant.Float64Val(constant.Real(c))
		im, _ := constant.Float64Val(constant.Imag(c))
		return value{r: complex(re, im)}
	case k.unsigned():
		u, _ := constant.Uint64Val(constant.ToInt(c))
		return value{n: u}
	case k.signed():
		i, _ := constant.Int64Val(constant.ToInt(c))
		return i2v(i)
	}
	if c.Kind() == constant.String { // e.g. a named string type through an interface
		return s2v(constant.StringVal(c))
	}
	return zero(t)
}

// binop evaluates x op y for operands of numeric/string kind k.
func binop(op token.Token, k numKind, x, y value) value {
	switch k {
	case nkStr:
		a, b := x.s(), y.s()
		switch op {
		case token.ADD:
			return s2v(a + b)
		case token.EQL:
			return b2v(a == b)
		case token.NEQ:
			return b2v(a != b)
		case token.LSS:
			return b2v(a < b)
		case token.LEQ:
			return b2v(a <= b)
		case token.GTR:
			return b2v(a > b)
		case token.GEQ:
			return b2v(a >= b)
		}
	case nkF32, nkF64:
		a, b := x.f(), y.f()
		var r float64
		switch op {
		case token.ADD:
			r = a + b
		case token.SUB:
			r = a - b
		case token.MUL:
			r = a * b
		case token.QUO:
			r = a / b
		case token.EQL:
			return b2v(a == b)
		case token.NEQ:
			return b2v(a != b)
		case token.LSS:
			return b2v(a < b)
		case token.LEQ:
			return b2v(a <= b)
		case token.GTR:
			return b2v(a > b)
		case token.GEQ:
			return b2v(a >= b)
		}
		return value{n: norm(k, math.Float64bits(r))}
	case nkCplx:
		a, _ := x.r.(complex128)
		b, _ := y.r.(complex128)
		switch op {
		case token.ADD:
			return value{r: a + b}
		case token.SUB:
			return value{r: a - b}
		case token.MUL:
			return value{r: a * b}
		case token.QUO:
			return value{r: a / b}
		case token.EQL:
			return b2v(a == b)
		case token.NEQ:
			return b2v(a != b)
		}
	case nkBool:
		switch op {
		case token.EQL:
			return b2v(x.n == y.n)
		case token.NEQ:
			return b2v(x.n != y.n)
		}
	}
	a, b := x.n, y.n
	if k.unsigned() {
		var r uint64
		switch op {
		case token.ADD:
			r = a + b
		case token.SUB:
			r = a - b
		case token.MUL:
			r = a * b
		case token.QUO:
			if b == 0 {
				panic(runtimeError("runtime error: integer divide by zero"))
			}
			r = a / b
		case token.REM:
			if b == 0 {
				panic(runtimeError("runtime error: integer divide by zero"))
			}
			r = a % b
		case token.AND:
			r = a & b
		case token.OR:
			r = a | b
		case token.XOR:
			r = a ^ b
		case token.AND_NOT:
			r = a &^ b
		case token.SHL:
			if b >= 64 {
				r = 0
			} else {
				r = a << b
			}
		case token.SHR:
			if b >= 64 {
				r = 0
			} else {
				r = a >> b
			}
		case token.EQL:
			return b2v(a == b)
		case token.NEQ:
			return b2v(a != b)
		case token.LSS:
			return b2v(a < b)
		case token.LEQ:
			return b2v(a <= b)
		case token.GTR:
			return b2v(a > b)
		case token.GEQ:
			return b2v(a >= b)
		}
		return value{n: norm(k, r)}
	}
	sa, sb := int64(a), int64(b)
	var r int64
	switch op {
	case token.ADD:
		r = sa + sb
	case token.SUB:
		r = sa - sb
	case token.MUL:
		r = sa * sb
	case token.QUO:
		if sb == 0 {
			panic(runtimeError("runtime error: integer divide by zero"))
		}
		if sb == -1 {
			r = -sa
		} else {
			r = sa / sb
		}
	case token.REM:
		if sb == 0 {
			panic(runtimeError("runtime error: integer divide by zero"))
		}
		if sb == -1 {
			r = 0
		} else {
			r = sa % sb
		}
	case token.AND:
		r = sa & sb
	case token.OR:
		r = sa | sb
	case token.XOR:
		r = sa ^ sb
	case token.AND_NOT:
		r = sa &^ sb
	case token.SHL:
		if b >= 64 {
			r = 0
		} else {
			r = sa << b
		}
	case token.SHR:
		if b >= 64 {
			if sa < 0 {
				r = -1
			}
		} else {
			r = sa >> b
		}
	case token.EQL:
		return b2v(sa == sb)
	case token.NEQ:
		return b2v(sa != sb)
	case token.LSS:
		return b2v(sa < sb)
	case token.LEQ:
		return b2v(sa <= sb)
	case token.GTR:
		return b2v(sa > sb)
	case token.GEQ:
		return b2v(sa >= sb)
	}
	return value{n: norm(k, uint64(r))}
}

// shiftCount reads a shift count of kind k; a negative signed count panics.
func shiftCount(k numKind, y value) value {
	if k.signed() && int64(y.n) < 0 {
		panic(runtimeError("runtime error: negative shift amount"))
	}
	return y
}

// convert converts x from basic kind from to basic kind to.
func convert(x value, from, to numKind, toT types.Type) value {
	switch {
	case from == to:
		return x
	case from.integer() && to.integer():
		return value{n: norm(to, x.n)}
	case from.integer() && to.float():
		var f float64
		if from.unsigned() {
			f = float64(x.n)
		} else {
			f = float64(int64(x.n))
		}
		return value{n: norm(to, math.Float64bits(f))}
	case from.float() && to.integer():
		f := x.f()
		if to.unsigned() {
			return value{n: norm(to, uint64(f))}
		}
		return value{n: norm(to, uint64(int64(f)))}
	case from.float() && to.float():
		return value{n: norm(to, x.n)}
	case from.integer() && to == nkStr:
		var r rune
		if from.unsigned() {
			if x.n > utf8.MaxRune {
				r = utf8.RuneError
			} else {
				r = rune(x.n)
			}
		} else {
			i := int64(x.n)
			if i < 0 || i > utf8.MaxRune {
				r = utf8.RuneError
			} else {
				r = rune(i)
			}
		}
		return s2v(string(r))
	case from == nkCplx && to == nkCplx:
		return x
	case from.float() && to == nkCplx:
		return value{r: complex(x.f(), 0)}
	}
	return x
}

// stringToSlice converts a string to []byte or []rune (elem kind k).
func stringToSlice(s string, k numKind) value {
	if k == nkU8 {
		out := make([]value, len(s))
		for i := 0; i < len(s); i++ {
			out[i] = value{n: uint64(s[i])}
		}
		return value{r: out}
	}
	out := make([]value, 0, utf8.RuneCountInString(s))
	for _, r := range s {
		out = append(out, value{n: uint64(int64(r))})
	}
	return value{r: out}
}

// sliceToString converts []byte or []rune (elem kind k) to a string.
func sliceToString(v value, k numKind) string {
	s := v.sl()
	if k == nkU8 {
		b := make([]byte, len(s))
		for i, e := range s {
			b[i] = byte(e.n)
		}
		return string(b)
	}
	r := make([]rune, len(s))
	for i, e := range s {
		r[i] = rune(int64(e.n))
	}
	return string(r)
}

func itoa(i int) string { return strconv.Itoa(i) }
