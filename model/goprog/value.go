package goprog

import (
	"fmt"
	"go/types"
	"math"
	"strconv"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// value is an interpreted Go value: 24 bytes, no allocation for scalars.
// Which field holds what is decided by the static type (see doc.go):
//
//   - bool, integers, floats (float64 bits), time.Duration, time.Time (ns
//     since the simulated epoch), atomic.IntN/UintN/Bool: n;
//   - string: r is a string (nil r is "");
//   - pointer: r is a *value (a memory cell);
//   - struct, array: r is a []value, one per field or element;
//   - slice: r is a []value sharing its backing array like a Go slice;
//   - map: r is a *mapObj; chan: *chanObj; func: *closure;
//   - interface: r is an *iface (nil r is the nil interface);
//   - complex: r is a complex128;
//   - the opaque library types (sync.Mutex, sync.WaitGroup, ...): r is
//     their simulated object, created on first use.
//
// Tuples (multi-value results) occupy consecutive registers.
type value struct {
	n uint64
	r any
}

// iface is a non-nil interface value: its dynamic type and value.
type iface struct {
	t *rtype
	v value
}

// rtype is the interpreter's runtime type descriptor: one per distinct
// types.Type (canonical by types.Identical), compared by pointer.
type rtype struct {
	t       types.Type
	str     string
	methods map[string]*function // method set of t, by name, filled lazily
	isIface bool
	native  map[string]*function // methods of a natively implemented type
	agg     bool                 // struct or array: copied on load and store
}

// types is the program's table of runtime types.
type typeTable struct {
	m typeutil.Map
}

func (tt *typeTable) rt(t types.Type) *rtype {
	if x := tt.m.At(t); x != nil {
		return x.(*rtype)
	}
	rt := &rtype{t: t, str: typeString(t), isIface: types.IsInterface(t), agg: isAgg(t)}
	tt.m.Set(t, rt)
	return rt
}

// typeString spells t as %T does (package names, not paths).
func typeString(t types.Type) string {
	if it, ok := t.(*types.Interface); ok && it.Empty() {
		return "interface {}" // the runtime's spelling of any
	}
	if a, ok := t.(*types.Alias); ok && a.Obj().Name() == "any" && a.Obj().Pkg() == nil {
		return "interface {}"
	}
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

func isAgg(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Struct, *types.Array:
		return !opaque(t)
	}
	return false
}

// opaque reports whether t is a library type the interpreter simulates as
// one object (its fields are never touched by interpreted code).
func opaque(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	switch n.Obj().Pkg().Path() + "." + n.Obj().Name() {
	case "sync.Mutex", "sync.RWMutex", "sync.WaitGroup", "sync.Once", "sync.Map",
		"sync/atomic.Int32", "sync/atomic.Int64", "sync/atomic.Uint32", "sync/atomic.Uint64", "sync/atomic.Uintptr",
		"sync/atomic.Bool", "sync/atomic.Value", "sync/atomic.Pointer",
		"time.Time", "time.Location", "strings.Builder", "strings.Reader", "math/rand.Rand", "math/rand/v2.Rand",
		"bytes.Buffer", "time.Month", "time.Weekday":
		return true
	}
	return false
}

func b2v(b bool) value {
	if b {
		return value{n: 1}
	}
	return value{}
}

func i2v(i int64) value    { return value{n: uint64(i)} }
func f2v(f float64) value  { return value{n: math.Float64bits(f)} }
func s2v(s string) value   { return value{r: s} }
func (v value) i() int64   { return int64(v.n) }
func (v value) f() float64 { return math.Float64frombits(v.n) }
func (v value) b() bool    { return v.n != 0 }
func (v value) s() string {
	s, _ := v.r.(string)
	return s
}
func (v value) sl() []value {
	s, _ := v.r.([]value)
	return s
}
func (v value) ptr() *value {
	p, _ := v.r.(*value)
	return p
}
func (v value) itf() *iface {
	p, _ := v.r.(*iface)
	return p
}

// zero returns the zero value of t.
// emptyStruct is the struct{} value, shared: it has no field to write.
var emptyStruct = value{r: []value{}}

func zero(t types.Type) value {
	if opaque(t) {
		return value{}
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		if u.NumFields() == 0 {
			return emptyStruct
		}
		f := make([]value, u.NumFields())
		for i := range f {
			f[i] = zero(u.Field(i).Type())
		}
		return value{r: f}
	case *types.Array:
		a := make([]value, u.Len())
		if u.Len() > 0 {
			z := zero(u.Elem())
			for i := range a {
				a[i] = copyVal(z, u.Elem())
			}
		}
		return value{r: a}
	case *types.Basic:
		if u.Info()&types.IsComplex != 0 {
			return value{r: complex128(0)}
		}
	}
	return value{}
}

// copyVal returns a copy of v of type t: structs and arrays are copied
// deeply (their nested structs and arrays too), everything else is shared.
func copyVal(v value, t types.Type) value {
	if !isAgg(t) {
		return v
	}
	src := v.sl()
	if len(src) == 0 && src != nil {
		return v // struct{}, [0]T: nothing to copy
	}
	dst := make([]value, len(src))
	switch u := t.Underlying().(type) {
	case *types.Struct:
		for i := range src {
			dst[i] = copyVal(src[i], u.Field(i).Type())
		}
	case *types.Array:
		if isAgg(u.Elem()) {
			for i := range src {
				dst[i] = copyVal(src[i], u.Elem())
			}
		} else {
			copy(dst, src)
		}
	}
	return value{r: dst}
}

// equal implements == for two values of type t.
func equal(a, b value, t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsString != 0:
			return a.s() == b.s()
		case u.Info()&types.IsFloat != 0:
			return a.f() == b.f()
		case u.Info()&types.IsComplex != 0:
			ac, _ := a.r.(complex128)
			bc, _ := b.r.(complex128)
			return ac == bc
		case u.Kind() == types.UntypedNil:
			return a.r == nil && b.r == nil
		}
		return a.n == b.n
	case *types.Struct:
		if opaque(t) {
			return a.n == b.n && a.r == b.r
		}
		as, bs := a.sl(), b.sl()
		for i := range as {
			if !equal(as[i], bs[i], u.Field(i).Type()) {
				return false
			}
		}
		return true
	case *types.Array:
		as, bs := a.sl(), b.sl()
		for i := range as {
			if !equal(as[i], bs[i], u.Elem()) {
				return false
			}
		}
		return true
	case *types.Interface:
		ai, bi := a.itf(), b.itf()
		if ai == nil || bi == nil {
			return ai == bi
		}
		if ai.t != bi.t {
			return false
		}
		if !types.Comparable(ai.t.t) {
			panic(runtimeError("runtime error: comparing uncomparable type " + ai.t.str))
		}
		return equal(ai.v, bi.v, ai.t.t)
	case *types.Slice:
		// only comparison with nil is legal
		return (a.sl() == nil) == (b.sl() == nil)
	case *types.Pointer, *types.Chan, *types.Map, *types.Signature:
		return a.r == b.r
	}
	return a.n == b.n && a.r == b.r
}

// keyOf returns a comparable Go value standing for v (of type t) as a map
// key: equal values give equal keys.
func keyOf(v value, t types.Type) any {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsString != 0:
			return v.s()
		case u.Info()&types.IsFloat != 0:
			f := v.f()
			if f == 0 {
				f = 0 // -0 == +0
			}
			return f
		case u.Info()&types.IsComplex != 0:
			return v.r
		}
		return v.n
	case *types.Interface:
		x := v.itf()
		if x == nil {
			return nil
		}
		if !types.Comparable(x.t.t) {
			panic(runtimeError("runtime error: hash of unhashable type " + x.t.str))
		}
		return ifaceKey{x.t, keyOf(x.v, x.t.t)}
	case *types.Struct, *types.Array:
		if opaque(t) {
			return v.n
		}
		var b strings.Builder
		aggKey(&b, v, t)
		return aggregateKey(b.String())
	}
	return v.r
}

type ifaceKey struct {
	t *rtype
	k any
}

type aggregateKey string

func aggKey(b *strings.Builder, v value, t types.Type) {
	switch u := t.Underlying().(type) {
	case *types.Struct:
		for i, f := range v.sl() {
			aggKey(b, f, u.Field(i).Type())
		}
		return
	case *types.Array:
		for _, e := range v.sl() {
			aggKey(b, e, u.Elem())
		}
		return
	}
	k := keyOf(v, t)
	switch k := k.(type) {
	case string:
		b.WriteString(strconv.Itoa(len(k)))
		b.WriteByte(':')
		b.WriteString(k)
	default:
		// pointers and other identities: use a per-run identity number
		b.WriteString(identity(k))
	}
	b.WriteByte(';')
}

// identity spells a non-string key inside an aggregate key. Pointer-like
// keys are spelled by address: unique while the object lives, and the key
// holding the spelling lives no longer than the map entry referring to it.
func identity(k any) string {
	switch k := k.(type) {
	case uint64:
		return "u" + strconv.FormatUint(k, 10)
	case float64:
		return "f" + strconv.FormatFloat(k, 'g', -1, 64)
	case nil:
		return "nil"
	case ifaceKey:
		return "i" + fmt.Sprintf("%p", k.t) + "(" + identity(k.k) + ")"
	case aggregateKey:
		return "a" + strconv.Itoa(len(k)) + ":" + string(k)
	case complex128:
		return fmt.Sprint(k)
	}
	return fmt.Sprintf("p%p", k)
}
