package goprog

import (
	"fmt"
	"go/types"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Formatting (package fmt): interpreted values are turned into Go values
// that the real fmt prints: basic values as themselves, everything else as
// a fmtProxy implementing fmt.Formatter (structs, pointers, maps, values
// with String or Error methods). %T is answered from the interpreter's
// type. Printf's format string is parsed here so that each verb goes to
// fmt with its flags, width and precision.

type fmtProxy struct {
	r  *Runner
	v  value
	t  types.Type
	rt *rtype // the dynamic type when known (native types have no entry in the type table)
}

// goVal converts v of static type t for fmt.
func (r *Runner) goVal(v value, t types.Type) any {
	if types.IsInterface(t) {
		x := v.itf()
		if x == nil {
			return nil
		}
		v, t = x.v, x.t.t
		if x.t.native != nil {
			return fmtProxy{r, v, t, x.t}
		}
	}
	if r.hasStringMethod(t) {
		return fmtProxy{r, v, t, nil}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch u.Kind() {
		case types.Bool:
			return v.b()
		case types.Int:
			if isDuration(t) {
				return time.Duration(v.i())
			}
			return int(v.i())
		case types.Int8:
			return int8(v.i())
		case types.Int16:
			return int16(v.i())
		case types.Int32:
			return int32(v.i())
		case types.Int64:
			if isDuration(t) {
				return time.Duration(v.i())
			}
			return v.i()
		case types.Uint:
			return uint(v.n)
		case types.Uint8:
			return uint8(v.n)
		case types.Uint16:
			return uint16(v.n)
		case types.Uint32:
			return uint32(v.n)
		case types.Uint64, types.Uintptr:
			return v.n
		case types.Float32:
			return float32(v.f())
		case types.Float64:
			return v.f()
		case types.Complex64, types.Complex128:
			c, _ := v.r.(complex128)
			return c
		case types.String:
			return v.s()
		case types.UntypedNil:
			return nil
		}
	case *types.Slice:
		if b, ok := u.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Uint8 {
			if v.sl() == nil {
				return []byte(nil)
			}
			return []byte(sliceToString(v, nkU8))
		}
		s := v.sl()
		if s == nil {
			return fmtProxy{r, v, t, nil}
		}
		out := make([]any, len(s))
		for i, e := range s {
			out[i] = r.goVal(e, u.Elem())
		}
		return out
	case *types.Array:
		s := v.sl()
		out := make([]any, len(s))
		for i, e := range s {
			out[i] = r.goVal(e, u.Elem())
		}
		return out
	}
	if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" && n.Obj().Name() == "Time" {
		return goTime(v)
	}
	return fmtProxy{r, v, t, nil}
}

func isDuration(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" && n.Obj().Name() == "Duration"
}

// hasStringMethod reports whether t has an Error or String method that is
// interpreted (library types are converted to their Go values instead).
func (r *Runner) hasStringMethod(t types.Type) bool {
	if _, isPtr := t.Underlying().(*types.Pointer); !isPtr {
		if _, isNamed := types.Unalias(t).(*types.Named); !isNamed {
			return false
		}
	}
	if isDuration(t) {
		return false
	}
	ms := r.prog.ssa.MethodSets.MethodSet(t)
	for i := 0; i < ms.Len(); i++ {
		switch ms.At(i).Obj().Name() {
		case "Error", "String":
			sig := ms.At(i).Type().(*types.Signature)
			if sig.Params().Len() == 0 && sig.Results().Len() == 1 {
				return true
			}
		}
	}
	return false
}

func (p fmtProxy) Format(f fmt.State, verb rune) {
	r := p.r
	spec := fmt.FormatString(f, verb)
	rt := p.rt
	if rt == nil {
		rt = r.rtOf(p.t)
	}
	switch verb {
	case 'v', 's', 'q', 'x', 'X':
		if !f.Flag('#') {
			for _, name := range [...]string{"Error", "String"} {
				if m := r.methodOf(rt, name); m != nil && m.nres == 1 {
					s := r.callSync(m, []value{p.v})
					fmt.Fprintf(f, spec, s.s())
					return
				}
			}
		}
	}
	switch u := p.t.Underlying().(type) {
	case *types.Struct:
		if opaque(p.t) {
			fmt.Fprintf(f, spec, "{}")
			return
		}
		fmt.Fprint(f, "{")
		for i, fv := range p.v.sl() {
			if i > 0 {
				fmt.Fprint(f, " ")
			}
			if f.Flag('+') && verb == 'v' {
				fmt.Fprint(f, u.Field(i).Name()+":")
			}
			fmt.Fprintf(f, spec, r.goValNested(fv, u.Field(i).Type()))
		}
		fmt.Fprint(f, "}")
	case *types.Pointer:
		pv := p.v.ptr()
		if pv == nil {
			fmt.Fprintf(f, spec, "<nil>")
			return
		}
		switch u.Elem().Underlying().(type) {
		case *types.Struct, *types.Array, *types.Slice, *types.Map:
			if verb == 'v' && !opaque(u.Elem()) {
				fmt.Fprint(f, "&")
				fmtProxy{r, *pv, u.Elem(), nil}.Format(f, verb)
				return
			}
		}
		fmt.Fprintf(f, "%p", pv)
	case *types.Map:
		m, _ := p.v.r.(*mapObj)
		fmt.Fprint(f, "map[")
		if m != nil {
			idx := make([]int, 0, m.n)
			for i := range m.keys {
				if m.live[i] {
					idx = append(idx, i)
				}
			}
			sort.Slice(idx, func(a, b int) bool { return r.keyLess(m.keys[idx[a]], m.keys[idx[b]], u.Key()) })
			for j, i := range idx {
				if j > 0 {
					fmt.Fprint(f, " ")
				}
				fmt.Fprintf(f, spec, r.goValNested(m.keys[i], u.Key()))
				fmt.Fprint(f, ":")
				fmt.Fprintf(f, spec, r.goValNested(m.vals[i], u.Elem()))
			}
		}
		fmt.Fprint(f, "]")
	case *types.Slice:
		fmt.Fprint(f, "[]")
	case *types.Chan, *types.Signature:
		if p.v.r == nil {
			fmt.Fprintf(f, spec, "<nil>")
			return
		}
		fmt.Fprintf(f, "%p", p.v.r)
	default:
		if e, ok := p.v.r.(*errObj); ok {
			fmt.Fprintf(f, spec, e.msg)
			return
		}
		if e, ok := p.v.r.(runtimeError); ok {
			fmt.Fprintf(f, spec, string(e))
			return
		}
		fmt.Fprintf(f, spec, r.goVal(p.v, u))
	}
}

// goValNested converts a value inside a composite: pointers print as
// addresses there, as fmt does at depth > 0.
func (r *Runner) goValNested(v value, t types.Type) any {
	if p, ok := t.Underlying().(*types.Pointer); ok && !r.hasStringMethod(t) {
		if v.r == nil {
			return nil
		}
		_ = p
		return fmt.Sprintf("%p", v.ptr())
	}
	return r.goVal(v, t)
}

func (r *Runner) keyLess(a, b value, t types.Type) bool {
	k := kindOf(t)
	switch {
	case k == nkStr:
		return a.s() < b.s()
	case k.float():
		return a.f() < b.f()
	case k.signed():
		return a.i() < b.i()
	case k.integer() || k == nkBool:
		return a.n < b.n
	}
	if types.IsInterface(t) {
		ai, bi := a.itf(), b.itf()
		if ai == nil || bi == nil {
			return ai == nil && bi != nil
		}
		if ai.t != bi.t {
			return ai.t.str < bi.t.str
		}
		return r.keyLess(ai.v, bi.v, ai.t.t)
	}
	if st, ok := t.Underlying().(*types.Struct); ok {
		as, bs := a.sl(), b.sl()
		for i := range as {
			ft := st.Field(i).Type()
			if r.keyLess(as[i], bs[i], ft) {
				return true
			}
			if r.keyLess(bs[i], as[i], ft) {
				return false
			}
		}
	}
	return false
}

func (r *Runner) rtOf(t types.Type) *rtype {
	r.prog.mu.Lock()
	defer r.prog.mu.Unlock()
	return r.prog.types.rt(t)
}

// sprint formats v (of type t, or an interface value when t is omitted)
// as %v.
func (r *Runner) sprint(v value, t ...types.Type) string {
	if len(t) == 0 {
		return fmt.Sprint(r.goVal(v, types.NewInterfaceType(nil, nil)))
	}
	return fmt.Sprint(r.goVal(v, t[0]))
}

// printValue formats a builtin print/println operand.
func (r *Runner) printValue(v value, t types.Type) string {
	switch k := kindOf(t); {
	case k == nkStr:
		return v.s()
	case k == nkBool:
		return strconv.FormatBool(v.b())
	case k.signed():
		return strconv.FormatInt(v.i(), 10)
	case k.unsigned():
		return strconv.FormatUint(v.n, 10)
	case k.float():
		return strconv.FormatFloat(v.f(), 'e', 6, 64)
	}
	if types.IsInterface(t) {
		x := v.itf()
		if x == nil {
			return "(0x0,0x0)"
		}
		return "(" + x.t.str + ") " + r.sprint(x.v, x.t.t)
	}
	return fmt.Sprintf("%p", &v)
}

// anyArgs converts a ...any slice.
func (r *Runner) anyArgs(v value) []any {
	s := v.sl()
	out := make([]any, len(s))
	for i, e := range s {
		out[i] = r.goVal(e, anyType)
	}
	return out
}

var anyType = types.NewInterfaceType(nil, nil)

// sprintf formats like fmt.Sprintf; %T is answered from the interpreted
// types, %w prints as %v.
func (r *Runner) sprintf(format string, args []value) string {
	var b strings.Builder
	ai := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0", format[j]) >= 0 {
			j++
		}
		var star []any
		for j < len(format) && (format[j] >= '0' && format[j] <= '9' || format[j] == '.' || format[j] == '*') {
			if format[j] == '*' && ai < len(args) {
				star = append(star, r.goVal(args[ai], anyType))
				ai++
			}
			j++
		}
		if j >= len(format) {
			b.WriteString("%!(NOVERB)")
			break
		}
		verb := format[j]
		spec := format[i:j] + string(verb)
		i = j
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		if ai >= len(args) {
			b.WriteString("%!" + string(verb) + "(MISSING)")
			continue
		}
		a := args[ai]
		ai++
		switch verb {
		case 'T':
			x := a.itf()
			s := "<nil>"
			if x != nil {
				s = x.t.str
			}
			b.WriteString(fmt.Sprintf(strings.Replace(spec, "T", "s", 1), append(star, s)...))
		case 'w':
			b.WriteString(fmt.Sprintf(strings.Replace(spec, "w", "v", 1), append(star, r.goVal(a, anyType))...))
		default:
			b.WriteString(fmt.Sprintf(spec, append(star, r.goVal(a, anyType))...))
		}
	}
	if ai < len(args) {
		b.WriteString("%!(EXTRA ")
		for k, a := range args[ai:] {
			if k > 0 {
				b.WriteString(", ")
			}
			x := a.itf()
			if x == nil {
				b.WriteString("<nil>")
				continue
			}
			b.WriteString(x.t.str + "=" + fmt.Sprint(r.goVal(a, anyType)))
		}
		b.WriteString(")")
	}
	return b.String()
}

// errObj is an error made by errors.New or fmt.Errorf.
type errObj struct {
	msg  string
	wrap []value // %w operands (interface values)
}
