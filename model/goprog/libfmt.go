package goprog

import (
	"fmt"
	"go/types"
	"strings"
)

func init() {
	bind(map[string]nativeFn{
		"fmt.Println": func(r *Runner, c *ncall) {
			r.stdout.WriteString(fmt.Sprintln(r.anyArgs(c.args[0])...))
		},
		"fmt.Print": func(r *Runner, c *ncall) {
			r.stdout.WriteString(fmt.Sprint(r.anyArgs(c.args[0])...))
		},
		"fmt.Printf": func(r *Runner, c *ncall) {
			r.stdout.WriteString(r.sprintf(c.args[0].s(), c.args[1].sl()))
		},
		"fmt.Sprintf": func(r *Runner, c *ncall) {
			c.res[0] = s2v(r.sprintf(c.args[0].s(), c.args[1].sl()))
		},
		"fmt.Sprint": func(r *Runner, c *ncall) {
			c.res[0] = s2v(fmt.Sprint(r.anyArgs(c.args[0])...))
		},
		"fmt.Sprintln": func(r *Runner, c *ncall) {
			c.res[0] = s2v(fmt.Sprintln(r.anyArgs(c.args[0])...))
		},
		"fmt.Fprintln": func(r *Runner, c *ncall) {
			r.write(c.args[0], fmt.Sprintln(r.anyArgs(c.args[1])...))
		},
		"fmt.Fprint": func(r *Runner, c *ncall) {
			r.write(c.args[0], fmt.Sprint(r.anyArgs(c.args[1])...))
		},
		"fmt.Fprintf": func(r *Runner, c *ncall) {
			r.write(c.args[0], r.sprintf(c.args[1].s(), c.args[2].sl()))
		},
		"fmt.Errorf": func(r *Runner, c *ncall) {
			e := &errObj{msg: r.sprintf(c.args[0].s(), c.args[1].sl())}
			f := c.args[0].s()
			args := c.args[1].sl()
			// collect the %w operands in order
			ai := 0
			for i := 0; i < len(f); i++ {
				if f[i] != '%' {
					continue
				}
				j := i + 1
				for j < len(f) && strings.IndexByte("+-# 0123456789.", f[j]) >= 0 {
					j++
				}
				if j < len(f) {
					if f[j] == '%' {
						i = j
						continue
					}
					if f[j] == 'w' && ai < len(args) && args[ai].itf() != nil {
						e.wrap = append(e.wrap, args[ai])
					}
					ai++
				}
				i = j
			}
			t := r.prog.nativeErrType("*fmt.wrapError")
			if len(e.wrap) == 0 {
				t = r.prog.nativeErrType("*errors.errorString")
			} else if len(e.wrap) > 1 {
				t = r.prog.nativeErrType("*fmt.wrapErrors")
			}
			c.res[0] = value{r: &iface{t: t, v: value{r: e}}}
		},
		"errors.New": func(r *Runner, c *ncall) {
			c.res[0] = value{r: &iface{t: r.prog.nativeErrType("*errors.errorString"), v: value{r: &errObj{msg: c.args[0].s()}}}}
		},
		"errors.Join": func(r *Runner, c *ncall) {
			e := &errObj{}
			var msgs []string
			for _, a := range c.args[0].sl() {
				if a.itf() != nil {
					e.wrap = append(e.wrap, a)
					msgs = append(msgs, r.errString(a))
				}
			}
			if len(e.wrap) == 0 {
				c.res[0] = value{}
				return
			}
			e.msg = strings.Join(msgs, "\n")
			c.res[0] = value{r: &iface{t: r.prog.nativeErrType("*errors.joinError"), v: value{r: e}}}
		},
		"errors.Unwrap": func(r *Runner, c *ncall) {
			w := r.unwrap(c.args[0])
			if len(w) == 1 && !r.multiUnwrap(c.args[0]) {
				c.res[0] = w[0]
			} else {
				c.res[0] = value{}
			}
		},
		"errors.Is": func(r *Runner, c *ncall) { c.res[0] = b2v(r.errorsIs(c.args[0], c.args[1])) },
		"errors.As": func(r *Runner, c *ncall) { c.res[0] = b2v(r.errorsAs(c.args[0], c.args[1])) },
	})
}

// write sends s to an io.Writer operand: os.Stdout, os.Stderr, or a
// *strings.Builder.
func (r *Runner) write(w value, s string) {
	x := w.itf()
	if x == nil {
		panic(nilDeref)
	}
	if p := x.v.ptr(); p != nil {
		switch o := p.r.(type) {
		case nil:
			if x.t.str == "*strings.Builder" {
				builderOf(x.v).WriteString(s)
				return
			}
			if p.n == 2 {
				r.stderr.WriteString(s)
			} else if p.n == 1 {
				r.stdout.WriteString(s)
			}
			return
		case *strings.Builder:
			o.WriteString(s)
			return
		}
	}
	if m := r.methodOf(x.t, "Write"); m != nil {
		r.callSync(m, []value{x.v, stringToSlice(s, nkU8)})
		return
	}
	panic(runtimeError("goprog: unsupported io.Writer " + x.t.str))
}

// nativeErrType returns the native error type named name (its methods:
// Error, and Unwrap for wrapping errors).
func (p *Program) nativeErrType(name string) *rtype {
	p.mu.Lock()
	defer p.mu.Unlock()
	if rt, ok := p.errTypes[name]; ok {
		return rt
	}
	if p.errTypes == nil {
		p.errTypes = map[string]*rtype{}
	}
	pkg := types.NewPackage(name[1:strings.IndexByte(name, '.')], name[1:strings.IndexByte(name, '.')])
	t := types.NewPointer(types.NewNamed(types.NewTypeName(0, pkg, name[strings.IndexByte(name, '.')+1:], nil), types.NewStruct(nil, nil), nil))
	rt := &rtype{t: t, str: name}
	mk := func(n string, f nativeFn) *function {
		fn := &function{name: name + "." + n, nres: 1, native: f}
		fn.clos = &closure{fn: fn}
		return fn
	}
	rt.native = map[string]*function{
		"Error": mk("Error", func(r *Runner, c *ncall) { c.res[0] = s2v(c.args[0].r.(*errObj).msg) }),
	}
	if name != "*errors.errorString" {
		rt.native["Unwrap"] = mk("Unwrap", func(r *Runner, c *ncall) {
			e := c.args[0].r.(*errObj)
			if len(e.wrap) == 1 {
				c.res[0] = e.wrap[0]
			}
		})
	}
	p.errTypes[name] = rt
	return rt
}

func (r *Runner) errString(v value) string {
	x := v.itf()
	if x == nil {
		return "<nil>"
	}
	m := r.methodOf(x.t, "Error")
	if m == nil {
		return "?"
	}
	return r.callSync(m, []value{x.v}).s()
}

func (r *Runner) multiUnwrap(v value) bool {
	x := v.itf()
	if x == nil {
		return false
	}
	if e, ok := x.v.r.(*errObj); ok && x.t.native != nil {
		return len(e.wrap) > 1
	}
	if m := r.methodOf(x.t, "Unwrap"); m != nil {
		_, multi := m.sigResult().(*types.Slice)
		return multi
	}
	return false
}

// unwrap returns the errors v wraps (Unwrap() error or Unwrap() []error).
func (r *Runner) unwrap(v value) []value {
	x := v.itf()
	if x == nil {
		return nil
	}
	if e, ok := x.v.r.(*errObj); ok && x.t.native != nil {
		return e.wrap
	}
	m := r.methodOf(x.t, "Unwrap")
	if m == nil || m.nres != 1 {
		return nil
	}
	res := r.callSync(m, []value{x.v})
	if _, multi := m.sigResult().(*types.Slice); multi {
		return res.sl()
	}
	if res.itf() == nil {
		return nil
	}
	return []value{res}
}

func (f *function) sigResult() types.Type {
	if f.ssa == nil {
		return anyType
	}
	return f.ssa.Signature.Results().At(0).Type()
}

// errorsIs mirrors errors.Is: == on comparable errors, an Is method, then
// the Unwrap tree depth first.
func (r *Runner) errorsIs(err, target value) bool {
	if err.itf() == nil || target.itf() == nil {
		return err.itf() == target.itf()
	}
	tt := target.itf().t
	comparable := types.Comparable(tt.t)
	for depth := 0; depth < 100; depth++ {
		x := err.itf()
		if x == nil {
			return false
		}
		if comparable && x.t == tt && equal(x.v, target.itf().v, tt.t) {
			return true
		}
		if m := r.methodOf(x.t, "Is"); m != nil {
			if r.callSync(m, []value{x.v, target}).b() {
				return true
			}
		}
		w := r.unwrap(err)
		if len(w) == 0 {
			return false
		}
		if len(w) > 1 {
			for _, e := range w {
				if r.errorsIs(e, target) {
					return true
				}
			}
			return false
		}
		err = w[0]
	}
	return false
}

// errorsAs mirrors errors.As: the first error in the tree assignable to
// *target's type is stored there.
func (r *Runner) errorsAs(err, target value) bool {
	tx := target.itf()
	if tx == nil {
		panic(runtimeError("errors: target cannot be nil"))
	}
	pt, ok := tx.t.t.Underlying().(*types.Pointer)
	if !ok {
		panic(runtimeError("errors: target must be a non-nil pointer"))
	}
	elem := pt.Elem()
	cellp := tx.v.ptr()
	for depth := 0; depth < 100; depth++ {
		x := err.itf()
		if x == nil {
			return false
		}
		if types.IsInterface(elem) {
			if r.implements(x.t, r.rtOf(elem)) {
				*cellp = err
				return true
			}
		} else if x.t == r.rtOf(elem) {
			*cellp = copyVal(x.v, elem)
			return true
		}
		if m := r.methodOf(x.t, "As"); m != nil {
			if r.callSync(m, []value{x.v, target}).b() {
				return true
			}
		}
		w := r.unwrap(err)
		if len(w) == 0 {
			return false
		}
		if len(w) > 1 {
			for _, e := range w {
				if r.errorsAs(e, target) {
					return true
				}
			}
			return false
		}
		err = w[0]
	}
	return false
}
