package goprog

import (
	"go/types"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pure library functions of basic types are bound through reflection: the
// arguments are converted from values to Go values by their Go type, the
// results back. (Library calls are not the interpreter's hot path.)
func reflectNative(fn any) nativeFn {
	fv := reflect.ValueOf(fn)
	ft := fv.Type()
	return func(r *Runner, c *ncall) {
		in := make([]reflect.Value, ft.NumIn())
		for i := range in {
			var t reflect.Type
			if ft.IsVariadic() && i == ft.NumIn()-1 {
				t = ft.In(i)
			} else {
				t = ft.In(i)
			}
			in[i] = toGo(c.args[i], t)
		}
		var out []reflect.Value
		if ft.IsVariadic() {
			out = fv.CallSlice(in)
		} else {
			out = fv.Call(in)
		}
		for i, o := range out {
			c.res[i] = r.fromGo(o)
		}
	}
}

func toGo(v value, t reflect.Type) reflect.Value {
	switch t.Kind() {
	case reflect.String:
		return reflect.ValueOf(v.s()).Convert(t)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x := reflect.New(t).Elem()
		x.SetInt(v.i())
		return x
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		x := reflect.New(t).Elem()
		x.SetUint(v.n)
		return x
	case reflect.Float32, reflect.Float64:
		x := reflect.New(t).Elem()
		x.SetFloat(v.f())
		return x
	case reflect.Bool:
		return reflect.ValueOf(v.b())
	case reflect.Slice:
		s := v.sl()
		if s == nil {
			return reflect.Zero(t)
		}
		out := reflect.MakeSlice(t, len(s), len(s))
		for i, e := range s {
			out.Index(i).Set(toGo(e, t.Elem()))
		}
		return out
	}
	panic("goprog: toGo " + t.String())
}

func (r *Runner) fromGo(x reflect.Value) value {
	switch x.Kind() {
	case reflect.String:
		return s2v(x.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return i2v(x.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return value{n: x.Uint()}
	case reflect.Float32, reflect.Float64:
		return f2v(x.Float())
	case reflect.Bool:
		return b2v(x.Bool())
	case reflect.Slice:
		if x.IsNil() {
			return value{}
		}
		out := make([]value, x.Len())
		for i := range out {
			out[i] = r.fromGo(x.Index(i))
		}
		return value{r: out}
	case reflect.Interface:
		if x.IsNil() {
			return value{}
		}
		if e, ok := x.Interface().(error); ok {
			return value{r: &iface{t: r.prog.nativeErrType("*strconv.NumError"), v: value{r: &errObj{msg: e.Error()}}}}
		}
	}
	panic("goprog: fromGo " + x.Type().String())
}

func init() {
	fns := map[string]any{
		"strings.Contains": strings.Contains, "strings.ContainsAny": strings.ContainsAny, "strings.ContainsRune": strings.ContainsRune,
		"strings.Count": strings.Count, "strings.EqualFold": strings.EqualFold, "strings.Fields": strings.Fields,
		"strings.HasPrefix": strings.HasPrefix, "strings.HasSuffix": strings.HasSuffix, "strings.Index": strings.Index,
		"strings.IndexByte": strings.IndexByte, "strings.IndexRune": strings.IndexRune, "strings.IndexAny": strings.IndexAny,
		"strings.Join": strings.Join, "strings.LastIndex": strings.LastIndex, "strings.Repeat": strings.Repeat,
		"strings.Replace": strings.Replace, "strings.ReplaceAll": strings.ReplaceAll, "strings.Split": strings.Split,
		"strings.SplitN": strings.SplitN, "strings.SplitAfter": strings.SplitAfter, "strings.ToLower": strings.ToLower,
		"strings.ToUpper": strings.ToUpper, "strings.Trim": strings.Trim, "strings.TrimLeft": strings.TrimLeft,
		"strings.TrimRight": strings.TrimRight, "strings.TrimPrefix": strings.TrimPrefix, "strings.TrimSuffix": strings.TrimSuffix,
		"strings.TrimSpace": strings.TrimSpace, "strings.Cut": strings.Cut, "strings.CutPrefix": strings.CutPrefix,
		"strings.CutSuffix": strings.CutSuffix, "strings.Compare": strings.Compare, "strings.Title": strings.Title,
		"strconv.Itoa": strconv.Itoa, "strconv.Atoi": strconv.Atoi, "strconv.FormatInt": strconv.FormatInt,
		"strconv.FormatUint": strconv.FormatUint, "strconv.ParseInt": strconv.ParseInt, "strconv.ParseUint": strconv.ParseUint,
		"strconv.ParseFloat": strconv.ParseFloat, "strconv.FormatFloat": strconv.FormatFloat, "strconv.Quote": strconv.Quote,
		"strconv.ParseBool": strconv.ParseBool, "strconv.FormatBool": strconv.FormatBool, "strconv.Unquote": strconv.Unquote,
		"math.Sqrt": math.Sqrt, "math.Pow": math.Pow, "math.Abs": math.Abs, "math.Floor": math.Floor, "math.Ceil": math.Ceil,
		"math.Max": math.Max, "math.Min": math.Min, "math.Inf": math.Inf, "math.IsNaN": math.IsNaN, "math.IsInf": math.IsInf,
		"math.NaN": math.NaN, "math.Log": math.Log, "math.Log2": math.Log2, "math.Log10": math.Log10, "math.Exp": math.Exp,
		"math.Sin": math.Sin, "math.Cos": math.Cos, "math.Tan": math.Tan, "math.Atan": math.Atan, "math.Atan2": math.Atan2,
		"math.Mod": math.Mod, "math.Round": math.Round, "math.Trunc": math.Trunc, "math.Hypot": math.Hypot, "math.Cbrt": math.Cbrt,
		"math.Signbit": math.Signbit, "math.Float64bits": math.Float64bits, "math.Float64frombits": math.Float64frombits,
		"unicode.IsUpper": unicode.IsUpper, "unicode.IsLower": unicode.IsLower, "unicode.IsDigit": unicode.IsDigit,
		"unicode.IsLetter": unicode.IsLetter, "unicode.IsSpace": unicode.IsSpace, "unicode.IsPunct": unicode.IsPunct,
		"unicode.ToUpper": unicode.ToUpper, "unicode.ToLower": unicode.ToLower, "unicode.IsNumber": unicode.IsNumber,
		"unicode/utf8.RuneCountInString": utf8.RuneCountInString, "unicode/utf8.RuneLen": utf8.RuneLen,
		"unicode/utf8.ValidString": utf8.ValidString, "unicode/utf8.RuneCount": utf8.RuneCount,
		"sort.Ints": func(s []int) []int { sort.Ints(s); return s }, "sort.Strings": func(s []string) []string { sort.Strings(s); return s },
		"sort.Float64s":      func(s []float64) []float64 { sort.Float64s(s); return s },
		"sort.SearchInts":    sort.SearchInts,
		"sort.SearchStrings": sort.SearchStrings,
	}
	m := map[string]nativeFn{}
	for name, fn := range fns {
		m[name] = reflectNative(fn)
	}
	// in-place sorts: write the sorted elements back
	for _, name := range []string{"sort.Ints", "sort.Strings", "sort.Float64s"} {
		f := m[name]
		m[name] = func(r *Runner, c *ncall) {
			res := []value{{}}
			nc := *c
			nc.res = res
			f(r, &nc)
			copy(c.args[0].sl(), res[0].sl())
		}
	}
	m["strings.Map"] = func(r *Runner, c *ncall) {
		f := c.args[0].r.(*closure)
		c.res[0] = s2v(strings.Map(func(x rune) rune { return rune(r.callSync(f.fn, append([]value{i2v(int64(x))}, f.env...)).i()) }, c.args[1].s()))
	}
	m["strings.FieldsFunc"] = func(r *Runner, c *ncall) {
		f := c.args[1].r.(*closure)
		out := strings.FieldsFunc(c.args[0].s(), func(x rune) bool { return r.callClosure(f, i2v(int64(x))).b() })
		c.res[0] = r.fromGo(reflect.ValueOf(out))
	}
	m["strings.TrimFunc"] = func(r *Runner, c *ncall) {
		f := c.args[1].r.(*closure)
		c.res[0] = s2v(strings.TrimFunc(c.args[0].s(), func(x rune) bool { return r.callClosure(f, i2v(int64(x))).b() }))
	}
	m["strings.IndexFunc"] = func(r *Runner, c *ncall) {
		f := c.args[1].r.(*closure)
		c.res[0] = i2v(int64(strings.IndexFunc(c.args[0].s(), func(x rune) bool { return r.callClosure(f, i2v(int64(x))).b() })))
	}
	m["sort.Slice"] = nSortSlice(false)
	m["sort.SliceStable"] = nSortSlice(true)
	m["sort.Search"] = func(r *Runner, c *ncall) {
		f := c.args[1].r.(*closure)
		c.res[0] = i2v(int64(sort.Search(int(c.args[0].i()), func(i int) bool { return r.callClosure(f, i2v(int64(i))).b() })))
	}
	m["sort.Sort"] = nSortIface(false)
	m["sort.Stable"] = nSortIface(true)
	bind(m)
}

// callClosure calls an interpreted func value synchronously (callSync).
func (r *Runner) callClosure(f *closure, args ...value) value {
	return r.callSync(f.fn, append(args, f.env...))
}

func nSortSlice(stable bool) nativeFn {
	return func(r *Runner, c *ncall) {
		x := c.args[0].itf()
		if x == nil {
			return
		}
		s := x.v.sl()
		f := c.args[1].r.(*closure)
		sw := &valueSorter{s: s, less: func(i, j int) bool { return r.callClosure(f, i2v(int64(i)), i2v(int64(j))).b() }}
		if stable {
			sort.Stable(sw)
		} else {
			sort.Sort(sw)
		}
	}
}

// valueSorter sorts s in place by a less over indexes. The indexes the
// callback sees are the current positions, as with sort.Slice.
type valueSorter struct {
	s    []value
	less func(i, j int) bool
}

func (v *valueSorter) Len() int           { return len(v.s) }
func (v *valueSorter) Less(i, j int) bool { return v.less(i, j) }
func (v *valueSorter) Swap(i, j int)      { v.s[i], v.s[j] = v.s[j], v.s[i] }

func nSortIface(stable bool) nativeFn {
	return func(r *Runner, c *ncall) {
		x := c.args[0].itf()
		if x == nil {
			panic(nilDeref)
		}
		lenF, lessF, swapF := r.methodOf(x.t, "Len"), r.methodOf(x.t, "Less"), r.methodOf(x.t, "Swap")
		a := &ifaceSorter{r: r, recv: x.v, lenF: lenF, lessF: lessF, swapF: swapF}
		if stable {
			sort.Stable(a)
		} else {
			sort.Sort(a)
		}
	}
}

type ifaceSorter struct {
	r                  *Runner
	recv               value
	lenF, lessF, swapF *function
}

func (a *ifaceSorter) Len() int { return int(a.r.callSync(a.lenF, []value{a.recv}).i()) }
func (a *ifaceSorter) Less(i, j int) bool {
	return a.r.callSync(a.lessF, []value{a.recv, i2v(int64(i)), i2v(int64(j))}).b()
}
func (a *ifaceSorter) Swap(i, j int) {
	a.r.callSync(a.swapF, []value{a.recv, i2v(int64(i)), i2v(int64(j))})
}

// compareValues orders two values of an ordered type t (cmp.Compare).
func compareValues(a, b value, t types.Type) int {
	k := kindOf(t)
	switch {
	case k == nkStr:
		return strings.Compare(a.s(), b.s())
	case k.float():
		x, y := a.f(), b.f()
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		case x == y:
			return 0
		case x != x && y != y:
			return 0
		case x != x:
			return -1
		}
		return 1
	case k.signed():
		x, y := a.i(), b.i()
		if x < y {
			return -1
		} else if x > y {
			return 1
		}
		return 0
	}
	if a.n < b.n {
		return -1
	} else if a.n > b.n {
		return 1
	}
	return 0
}

func builderOf(v value) *strings.Builder {
	p := cell(v)
	if b, ok := p.r.(*strings.Builder); ok {
		return b
	}
	b := &strings.Builder{}
	p.r = b
	return b
}

func init() {
	bind(map[string]nativeFn{
		"(*strings.Builder).WriteString": func(r *Runner, c *ncall) {
			n, _ := builderOf(c.args[0]).WriteString(c.args[1].s())
			c.res[0], c.res[1] = i2v(int64(n)), value{}
		},
		"(*strings.Builder).WriteByte": func(r *Runner, c *ncall) {
			builderOf(c.args[0]).WriteByte(byte(c.args[1].n))
			c.res[0] = value{}
		},
		"(*strings.Builder).WriteRune": func(r *Runner, c *ncall) {
			n, _ := builderOf(c.args[0]).WriteRune(rune(c.args[1].i()))
			c.res[0], c.res[1] = i2v(int64(n)), value{}
		},
		"(*strings.Builder).Write": func(r *Runner, c *ncall) {
			s := sliceToString(c.args[1], nkU8)
			builderOf(c.args[0]).WriteString(s)
			c.res[0], c.res[1] = i2v(int64(len(s))), value{}
		},
		"(*strings.Builder).String": func(r *Runner, c *ncall) { c.res[0] = s2v(builderOf(c.args[0]).String()) },
		"(*strings.Builder).Len":    func(r *Runner, c *ncall) { c.res[0] = i2v(int64(builderOf(c.args[0]).Len())) },
		"(*strings.Builder).Reset":  func(r *Runner, c *ncall) { builderOf(c.args[0]).Reset() },
		"(*strings.Builder).Grow":   func(r *Runner, c *ncall) { builderOf(c.args[0]).Grow(int(c.args[1].i())) },
	})
}
