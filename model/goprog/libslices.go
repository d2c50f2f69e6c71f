package goprog

import (
	"go/types"
	"sort"
)

// Packages slices, maps and math/rand, bound natively. Element types come
// from the call's (instantiated) argument types.

func sliceElem(ci *callInfo, i int) types.Type {
	return ci.argT[i].Underlying().(*types.Slice).Elem()
}

// seqObj is a native iter.Seq / iter.Seq2 (maps.Keys, maps.Values,
// maps.All, slices.Values, slices.All): its pairs, computed eagerly.
type seqObj struct {
	keys, vals []value
	two        bool
}

func (r *Runner) seqValue(s *seqObj) value {
	fn := &function{name: "iter.Seq", nparams: 1, native: func(r *Runner, c *ncall) {
		yield := c.args[0].r.(*closure)
		for i := range s.keys {
			var ok value
			if s.two {
				ok = r.callClosure(yield, s.keys[i], s.vals[i])
			} else {
				ok = r.callClosure(yield, s.keys[i])
			}
			if !ok.b() {
				return
			}
		}
	}}
	fn.clos = &closure{fn: fn}
	return value{r: &closure{fn: fn, env: []value{{r: s}}}}
}

// seqOf returns the native sequence behind an iter.Seq value, or runs an
// interpreted one to completion (its yield must not block) and collects it.
func (r *Runner) seqOf(v value) *seqObj {
	c, _ := v.r.(*closure)
	if c == nil {
		panic(nilDeref)
	}
	if len(c.env) == 1 {
		if s, ok := c.env[0].r.(*seqObj); ok {
			return s
		}
	}
	s := &seqObj{}
	yield := &function{name: "collect", nparams: 1, nres: 1, native: func(r *Runner, nc *ncall) {
		s.keys = append(s.keys, nc.args[0])
		nc.res[0] = b2v(true)
	}}
	yield.clos = &closure{fn: yield}
	r.callSync(c.fn, append([]value{{r: yield.clos}}, c.env...))
	return s
}

func init() {
	bind(map[string]nativeFn{
		"slices.Sort": func(r *Runner, c *ncall) {
			s, et := c.args[0].sl(), sliceElem(c.ci, 0)
			sort.SliceStable(s, func(i, j int) bool { return compareValues(s[i], s[j], et) < 0 })
		},
		"slices.SortFunc": func(r *Runner, c *ncall) {
			s, f := c.args[0].sl(), c.args[1].r.(*closure)
			sort.SliceStable(s, func(i, j int) bool { return r.callClosure(f, s[i], s[j]).i() < 0 })
		},
		"slices.SortStableFunc": func(r *Runner, c *ncall) {
			s, f := c.args[0].sl(), c.args[1].r.(*closure)
			sort.SliceStable(s, func(i, j int) bool { return r.callClosure(f, s[i], s[j]).i() < 0 })
		},
		"slices.Contains": func(r *Runner, c *ncall) {
			et := sliceElem(c.ci, 0)
			for _, e := range c.args[0].sl() {
				if equal(e, c.args[1], et) {
					c.res[0] = b2v(true)
					return
				}
			}
			c.res[0] = b2v(false)
		},
		"slices.Index": func(r *Runner, c *ncall) {
			et := sliceElem(c.ci, 0)
			for i, e := range c.args[0].sl() {
				if equal(e, c.args[1], et) {
					c.res[0] = i2v(int64(i))
					return
				}
			}
			c.res[0] = i2v(-1)
		},
		"slices.IndexFunc": func(r *Runner, c *ncall) {
			f := c.args[1].r.(*closure)
			for i, e := range c.args[0].sl() {
				if r.callClosure(f, e).b() {
					c.res[0] = i2v(int64(i))
					return
				}
			}
			c.res[0] = i2v(-1)
		},
		"slices.ContainsFunc": func(r *Runner, c *ncall) {
			f := c.args[1].r.(*closure)
			for _, e := range c.args[0].sl() {
				if r.callClosure(f, e).b() {
					c.res[0] = b2v(true)
					return
				}
			}
			c.res[0] = b2v(false)
		},
		"slices.Reverse": func(r *Runner, c *ncall) {
			s := c.args[0].sl()
			for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
				s[i], s[j] = s[j], s[i]
			}
		},
		"slices.Max": func(r *Runner, c *ncall) { c.res[0] = extreme(c, 1) },
		"slices.Min": func(r *Runner, c *ncall) { c.res[0] = extreme(c, -1) },
		"slices.Equal": func(r *Runner, c *ncall) {
			a, b, et := c.args[0].sl(), c.args[1].sl(), sliceElem(c.ci, 0)
			ok := len(a) == len(b)
			for i := 0; ok && i < len(a); i++ {
				ok = equal(a[i], b[i], et)
			}
			c.res[0] = b2v(ok)
		},
		"slices.BinarySearch": func(r *Runner, c *ncall) {
			s, et := c.args[0].sl(), sliceElem(c.ci, 0)
			i := sort.Search(len(s), func(i int) bool { return compareValues(s[i], c.args[1], et) >= 0 })
			c.res[0], c.res[1] = i2v(int64(i)), b2v(i < len(s) && compareValues(s[i], c.args[1], et) == 0)
		},
		"slices.Clone": func(r *Runner, c *ncall) {
			s := c.args[0].sl()
			if s == nil {
				c.res[0] = value{}
				return
			}
			c.res[0] = value{r: r.appendValues([]value{}, s, sliceElem(c.ci, 0))}
		},
		"slices.Compact": func(r *Runner, c *ncall) {
			s, et := c.args[0].sl(), sliceElem(c.ci, 0)
			if len(s) < 2 {
				c.res[0] = c.args[0]
				return
			}
			j := 1
			for i := 1; i < len(s); i++ {
				if !equal(s[i], s[j-1], et) {
					s[j] = s[i]
					j++
				}
			}
			clear(s[j:])
			c.res[0] = value{r: s[:j]}
		},
		"slices.Insert": func(r *Runner, c *ncall) {
			s, i, add := c.args[0].sl(), int(c.args[1].i()), c.args[2].sl()
			if i < 0 || i > len(s) {
				panic(indexError(int64(i), len(s)))
			}
			et := sliceElem(c.ci, 0)
			out := r.appendValues(append([]value(nil), s[:i]...), add, et)
			out = r.appendValues(out, s[i:], et)
			c.res[0] = value{r: out}
		},
		"slices.Delete": func(r *Runner, c *ncall) {
			s, i, j := c.args[0].sl(), int(c.args[1].i()), int(c.args[2].i())
			if i < 0 || j > len(s) || i > j {
				panic(sliceError(int64(i), int64(j), len(s)))
			}
			n := copy(s[i:], s[j:])
			clear(s[i+n:])
			c.res[0] = value{r: s[:i+n]}
		},
		"slices.Collect": func(r *Runner, c *ncall) {
			s := r.seqOf(c.args[0])
			c.res[0] = value{r: append([]value(nil), s.keys...)}
		},
		"slices.Sorted": func(r *Runner, c *ncall) {
			s := r.seqOf(c.args[0])
			out := append([]value(nil), s.keys...)
			et := c.ci.sig.Results().At(0).Type().Underlying().(*types.Slice).Elem()
			sort.SliceStable(out, func(i, j int) bool { return compareValues(out[i], out[j], et) < 0 })
			c.res[0] = value{r: out}
		},
		"slices.Values": func(r *Runner, c *ncall) {
			c.res[0] = r.seqValue(&seqObj{keys: c.args[0].sl()})
		},
		"slices.All": func(r *Runner, c *ncall) {
			s := c.args[0].sl()
			idx := make([]value, len(s))
			for i := range s {
				idx[i] = i2v(int64(i))
			}
			c.res[0] = r.seqValue(&seqObj{keys: idx, vals: s, two: true})
		},
		"maps.Keys": func(r *Runner, c *ncall) {
			m, _ := c.args[0].r.(*mapObj)
			c.res[0] = r.seqValue(r.mapSeq(m, false))
		},
		"maps.Values": func(r *Runner, c *ncall) {
			m, _ := c.args[0].r.(*mapObj)
			s := r.mapSeq(m, true)
			s.keys, s.vals, s.two = s.vals, nil, false
			c.res[0] = r.seqValue(s)
		},
		"maps.All": func(r *Runner, c *ncall) {
			m, _ := c.args[0].r.(*mapObj)
			c.res[0] = r.seqValue(r.mapSeq(m, true))
		},
		"maps.Clone": func(r *Runner, c *ncall) {
			m, _ := c.args[0].r.(*mapObj)
			if m == nil {
				c.res[0] = value{}
				return
			}
			n := newMap(m.kt)
			for i := range m.keys {
				if m.live[i] {
					n.set(m.keys[i], m.vals[i])
				}
			}
			c.res[0] = value{r: n}
		},
		"maps.Copy": func(r *Runner, c *ncall) {
			dst, _ := c.args[0].r.(*mapObj)
			src, _ := c.args[1].r.(*mapObj)
			if src == nil {
				return
			}
			for i := range src.keys {
				if src.live[i] {
					dst.set(src.keys[i], src.vals[i])
				}
			}
		},
		"maps.DeleteFunc": func(r *Runner, c *ncall) {
			m, _ := c.args[0].r.(*mapObj)
			f := c.args[1].r.(*closure)
			if m == nil {
				return
			}
			for i := range m.keys {
				if m.live[i] && r.callClosure(f, m.keys[i], m.vals[i]).b() {
					m.delete(m.keys[i])
				}
			}
		},
		"cmp.Compare":          func(r *Runner, c *ncall) { c.res[0] = i2v(int64(compareValues(c.args[0], c.args[1], c.ci.argT[0]))) },
		"cmp.Less":             func(r *Runner, c *ncall) { c.res[0] = b2v(compareValues(c.args[0], c.args[1], c.ci.argT[0]) < 0) },
		"math/rand.Intn":       func(r *Runner, c *ncall) { c.res[0] = i2v(int64(r.urng.IntN(int(c.args[0].i())))) },
		"math/rand.Int63n":     func(r *Runner, c *ncall) { c.res[0] = i2v(r.urng.Int64N(c.args[0].i())) },
		"math/rand.Int":        func(r *Runner, c *ncall) { c.res[0] = i2v(int64(r.urng.Int())) },
		"math/rand.Float64":    func(r *Runner, c *ncall) { c.res[0] = f2v(r.urng.Float64()) },
		"math/rand.Seed":       func(r *Runner, c *ncall) {},
		"math/rand.Perm":       func(r *Runner, c *ncall) { c.res[0] = permValue(r.urng.Perm(int(c.args[0].i()))) },
		"math/rand/v2.IntN":    func(r *Runner, c *ncall) { c.res[0] = i2v(int64(r.urng.IntN(int(c.args[0].i())))) },
		"math/rand/v2.Int64N":  func(r *Runner, c *ncall) { c.res[0] = i2v(r.urng.Int64N(c.args[0].i())) },
		"math/rand/v2.Int":     func(r *Runner, c *ncall) { c.res[0] = i2v(int64(r.urng.Int())) },
		"math/rand/v2.Float64": func(r *Runner, c *ncall) { c.res[0] = f2v(r.urng.Float64()) },
		"math/rand/v2.Perm":    func(r *Runner, c *ncall) { c.res[0] = permValue(r.urng.Perm(int(c.args[0].i()))) },
		"math/rand/v2.N":       func(r *Runner, c *ncall) { c.res[0] = i2v(r.urng.Int64N(c.args[0].i())) },
		"math/rand.Shuffle":    nShuffle,
		"math/rand/v2.Shuffle": nShuffle,
	})
}

func nShuffle(r *Runner, c *ncall) {
	f := c.args[1].r.(*closure)
	r.urng.Shuffle(int(c.args[0].i()), func(i, j int) { r.callClosure(f, i2v(int64(i)), i2v(int64(j))) })
}

func permValue(p []int) value {
	out := make([]value, len(p))
	for i, x := range p {
		out[i] = i2v(int64(x))
	}
	return value{r: out}
}

func extreme(c *ncall, sign int) value {
	s, et := c.args[0].sl(), sliceElem(c.ci, 0)
	if len(s) == 0 {
		panic(runtimeError("slices.Max: empty list"))
	}
	best := s[0]
	for _, e := range s[1:] {
		if compareValues(e, best, et)*sign > 0 {
			best = e
		}
	}
	return best
}

// mapSeq snapshots a map's pairs in this run's iteration order.
func (r *Runner) mapSeq(m *mapObj, withVals bool) *seqObj {
	s := &seqObj{two: withVals}
	if m == nil || m.len() == 0 {
		return s
	}
	for _, k := range m.orderedKeys(r.rng.IntN(len(m.keys))) {
		v, _ := m.get(k)
		s.keys = append(s.keys, k)
		if withVals {
			s.vals = append(s.vals, v)
		}
	}
	return s
}
