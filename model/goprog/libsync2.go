package goprog

import (
	"github.com/gohttpsim/gohttpsim/model/gmp"
)

// sync.Map, sync.Pool, sync.Cond, OnceFunc/OnceValue(s).

// syncMap is a sync.Map: a map[any]any (interface keys).
func syncMapOf(v value) *mapObj {
	p := cell(v)
	if m, ok := p.r.(*mapObj); ok {
		return m
	}
	m := newMap(anyType)
	p.r = m
	return m
}

// poolItems keeps a sync.Pool's free items in its first unexported field
// (local). SIMPLIFICATION: one LIFO list, no per-P caches, never cleared
// by GC.
type poolItems struct{ items []value }

func poolOf(v value) (*poolItems, []value) {
	f := cell(v).sl()
	if pi, ok := f[1].r.(*poolItems); ok {
		return pi, f
	}
	pi := &poolItems{}
	f[1] = value{r: pi}
	return pi, f
}

// condWaiters keeps a sync.Cond's waiters in its notify field.
type condWaiters struct{ q waitq }

func condOfV(v value) (*condWaiters, value) {
	f := cell(v).sl()
	if cw, ok := f[2].r.(*condWaiters); ok {
		return cw, f[1]
	}
	cw := &condWaiters{}
	f[2] = value{r: cw}
	return cw, f[1]
}

// lockerMutex returns the native mutex behind a Locker (*sync.Mutex).
func lockerMutex(l value) *muObj {
	x := l.itf()
	if x == nil {
		panic(nilDeref)
	}
	if x.t.str != "*sync.Mutex" && x.t.str != "*sync.RWMutex" {
		panic(runtimeError("goprog: unsupported: sync.Cond with a Locker other than *sync.Mutex (" + x.t.str + ")"))
	}
	return muOf(x.v)
}

const condRelock = -9

// nCondWait mirrors Cond.Wait: unlock L, wait for Signal/Broadcast, lock L
// again (possibly waiting on the mutex: the goroutine re-executes Wait in
// its relock phase, marked by selIdx).
func nCondWait(r *Runner, c *ncall) {
	cw, l := condOfV(c.args[0])
	mu := lockerMutex(l)
	g := c.g
	if g.selIdx == condRelock || c.resumed {
		if g.selIdx == condRelock && c.resumed { // mutex handed off
			g.selIdx, g.lifo = 0, false
			return
		}
		g.selIdx = condRelock
		if !mu.locked {
			mu.locked = true
			g.selIdx, g.lifo = 0, false
			return
		}
		if !g.lifo {
			g.val = i2v(int64(r.e.Now()))
		}
		r.enqueue(&mu.waiters, c.gi, condRelock, g.lifo)
		c.block, c.act = true, r.park(g, gmp.WaitSyncMutexLock)
		return
	}
	r.unlock(mu)
	r.enqueue(&cw.q, c.gi, 0, false)
	c.block, c.act = true, r.park(g, gmp.WaitSyncCondWait)
}

func init() {
	bind(map[string]nativeFn{
		"(*sync.Map).Load": func(r *Runner, c *ncall) {
			v, ok := syncMapOf(c.args[0]).get(c.args[1])
			c.res[0], c.res[1] = v, b2v(ok)
		},
		"(*sync.Map).Store": func(r *Runner, c *ncall) { syncMapOf(c.args[0]).set(c.args[1], c.args[2]) },
		"(*sync.Map).LoadOrStore": func(r *Runner, c *ncall) {
			m := syncMapOf(c.args[0])
			if v, ok := m.get(c.args[1]); ok {
				c.res[0], c.res[1] = v, b2v(true)
				return
			}
			m.set(c.args[1], c.args[2])
			c.res[0], c.res[1] = c.args[2], b2v(false)
		},
		"(*sync.Map).LoadAndDelete": func(r *Runner, c *ncall) {
			m := syncMapOf(c.args[0])
			v, ok := m.get(c.args[1])
			m.delete(c.args[1])
			c.res[0], c.res[1] = v, b2v(ok)
		},
		"(*sync.Map).Delete": func(r *Runner, c *ncall) { syncMapOf(c.args[0]).delete(c.args[1]) },
		"(*sync.Map).Swap": func(r *Runner, c *ncall) {
			m := syncMapOf(c.args[0])
			v, ok := m.get(c.args[1])
			m.set(c.args[1], c.args[2])
			c.res[0], c.res[1] = v, b2v(ok)
		},
		"(*sync.Map).Clear": func(r *Runner, c *ncall) { syncMapOf(c.args[0]).clear() },
		"(*sync.Map).Range": func(r *Runner, c *ncall) {
			m := syncMapOf(c.args[0])
			f := c.args[1].r.(*closure)
			if m.len() == 0 {
				return
			}
			for _, k := range m.orderedKeys(r.rng.IntN(len(m.keys))) {
				v, ok := m.get(k)
				if ok && !r.callClosure(f, k, v).b() {
					return
				}
			}
		},
		"(*sync.Pool).Get": func(r *Runner, c *ncall) {
			pi, f := poolOf(c.args[0])
			if n := len(pi.items); n > 0 {
				c.res[0] = pi.items[n-1]
				pi.items = pi.items[:n-1]
				return
			}
			newf, _ := f[len(f)-1].r.(*closure)
			if newf == nil {
				c.res[0] = value{}
				return
			}
			c.res[0] = r.callClosure(newf)
		},
		"(*sync.Pool).Put": func(r *Runner, c *ncall) {
			if c.args[1].itf() == nil {
				return
			}
			pi, _ := poolOf(c.args[0])
			pi.items = append(pi.items, c.args[1])
		},
		"sync.NewCond": func(r *Runner, c *ncall) {
			c.res[0] = value{r: &value{r: []value{{}, c.args[0], {}, {}}}}
		},
		"(*sync.Cond).Wait": nCondWait,
		"(*sync.Cond).Signal": func(r *Runner, c *ncall) {
			cw, _ := condOfV(c.args[0])
			if sg, ok := r.dequeue(&cw.q); ok {
				r.wake(sg, value{}, true)
			}
		},
		"(*sync.Cond).Broadcast": func(r *Runner, c *ncall) {
			cw, _ := condOfV(c.args[0])
			for {
				sg, ok := r.dequeue(&cw.q)
				if !ok {
					return
				}
				r.wake(sg, value{}, true)
			}
		},
		"sync.OnceFunc":   nOnceFunc(0),
		"sync.OnceValue":  nOnceFunc(1),
		"sync.OnceValues": nOnceFunc(2),
	})
}

// nOnceFunc returns a func value that calls f once (synchronously: f must
// not block) and replays its results (or its panic).
func nOnceFunc(nres int) nativeFn {
	return func(r *Runner, c *ncall) {
		f := c.args[0].r.(*closure)
		var done bool
		var res [2]value
		var p *panicState
		fn := &function{name: "sync.OnceFunc", nres: nres, native: func(r *Runner, nc *ncall) {
			if !done {
				done = true
				func() {
					defer func() {
						if x := recover(); x != nil {
							if ps, ok := x.(*panicState); ok {
								p = ps
								return
							}
							panic(x)
						}
					}()
					out := make([]value, max(nres, 1))
					if f.fn.native != nil {
						sub := &ncall{args: f.env, res: out}
						f.fn.native(r, sub)
					} else {
						r.callSyncAll(f.fn, f.env, out)
					}
					copy(res[:], out)
				}()
			}
			if p != nil {
				panic(p)
			}
			copy(nc.res, res[:nres])
		}}
		fn.clos = &closure{fn: fn}
		c.res[0] = value{r: fn.clos}
	}
}
