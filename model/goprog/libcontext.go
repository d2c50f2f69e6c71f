package goprog

import (
	"go/types"
)

// Package context, simulated with the same observable semantics: a tree
// of ctxObj; cancelling closes the Done channel (closechan: its waiters
// are readied LIFO), cancels the children, and starts the AfterFunc
// functions in their own goroutines. A deadline is a timer (timer.go)
// whose hidden goroutine cancels the context with DeadlineExceeded
// (the runtime runs that cancel in a new goroutine: one fewer context
// switch here).
type ctxObj struct {
	parent   *ctxObj
	cancel   bool // a cancelable node (WithCancel, WithTimeout, ...)
	done     *chanObj
	err      value // nil until cancelled
	cause    value
	children []*ctxObj
	key, val value
	hasVal   bool
	deadline int64
	hasDL    bool
	afters   []*closure
	timer    *timerObj
}

func (r *Runner) ctxValue(c *ctxObj) value {
	return value{r: &iface{t: r.prog.ctxType(), v: value{r: c}}}
}

func (r *Runner) ctxOf(v value) *ctxObj {
	x := v.itf()
	if x == nil {
		panic(runtimeError("cannot create context from nil parent"))
	}
	c, ok := x.v.r.(*ctxObj)
	if !ok {
		panic(runtimeError("goprog: unsupported: a context.Context implemented by the program (" + x.t.str + ")"))
	}
	return c
}

// node returns the nearest cancelable context (c or an ancestor), or nil.
func (c *ctxObj) node() *ctxObj {
	for ; c != nil; c = c.parent {
		if c.cancel {
			return c
		}
	}
	return nil
}

func (r *Runner) ctxDone(c *ctxObj) value {
	n := c.node()
	if n == nil {
		return value{}
	}
	if n.done == nil {
		n.done = &chanObj{elem: types.NewStruct(nil, nil)}
		if n.err.r != nil {
			n.done.closed = true
		}
	}
	return value{r: n.done}
}

func (r *Runner) newCancelCtx(parent *ctxObj) *ctxObj {
	c := &ctxObj{parent: parent, cancel: true}
	if p := parent.node(); p != nil {
		if p.err.r != nil {
			c.err, c.cause = p.err, p.cause
		} else {
			p.children = append(p.children, c)
		}
	}
	if dl, ok := parent.deadlineOf(); ok {
		c.deadline, c.hasDL = dl, true
	}
	return c
}

func (c *ctxObj) deadlineOf() (int64, bool) {
	for ; c != nil; c = c.parent {
		if c.hasDL {
			return c.deadline, true
		}
	}
	return 0, false
}

// cancelCtx mirrors cancelCtx.cancel: set err and cause, close done,
// cancel the children, detach from the parent.
func (r *Runner) cancelCtx(c *ctxObj, err, cause value) {
	if c.err.r != nil {
		return
	}
	if cause.r == nil {
		cause = err
	}
	c.err, c.cause = err, cause
	if c.timer != nil {
		r.stopTimer(c.timer)
	}
	if c.done != nil {
		r.closechan(c.done)
	}
	for _, ch := range c.children {
		r.cancelCtx(ch, err, cause)
	}
	c.children = nil
	if p := c.parent.node(); p != nil {
		for i, x := range p.children {
			if x == c {
				p.children = append(p.children[:i], p.children[i+1:]...)
				break
			}
		}
	}
	for _, f := range c.afters {
		r.startTimer(&timerObj{fn: f}, 0)
	}
	c.afters = nil
}

func (r *Runner) cancelFunc(c *ctxObj, withCause bool) value {
	fn := &function{name: "context.CancelFunc", native: func(r *Runner, nc *ncall) {
		if withCause {
			r.cancelCtx(c, r.prog.ctxCanceled, nc.args[0])
		} else {
			r.cancelCtx(c, r.prog.ctxCanceled, value{})
		}
	}}
	if withCause {
		fn.nparams = 1
	}
	fn.clos = &closure{fn: fn}
	return value{r: fn.clos}
}

func (r *Runner) withDeadline(c *ctxObj, parent *ctxObj, dl int64) {
	if pdl, ok := parent.deadlineOf(); ok && pdl <= dl {
		return // the parent's deadline comes first
	}
	c.deadline, c.hasDL = dl, true
	now := int64(r.e.Now()) + simEpoch
	if dl <= now {
		r.cancelCtx(c, r.prog.ctxDeadline, value{})
		return
	}
	c.timer = &timerObj{ctx: c}
	r.startTimer(c.timer, dl-now)
}

func init() {
	bind(map[string]nativeFn{
		"context.Background": func(r *Runner, c *ncall) { c.res[0] = r.ctxValue(r.prog.bgCtx) },
		"context.TODO":       func(r *Runner, c *ncall) { c.res[0] = r.ctxValue(r.prog.bgCtx) },
		"context.WithCancel": func(r *Runner, c *ncall) {
			ctx := r.newCancelCtx(r.ctxOf(c.args[0]))
			c.res[0], c.res[1] = r.ctxValue(ctx), r.cancelFunc(ctx, false)
		},
		"context.WithCancelCause": func(r *Runner, c *ncall) {
			ctx := r.newCancelCtx(r.ctxOf(c.args[0]))
			c.res[0], c.res[1] = r.ctxValue(ctx), r.cancelFunc(ctx, true)
		},
		"context.WithTimeout": func(r *Runner, c *ncall) {
			parent := r.ctxOf(c.args[0])
			ctx := r.newCancelCtx(parent)
			r.withDeadline(ctx, parent, simEpoch+int64(r.e.Now())+c.args[1].i())
			c.res[0], c.res[1] = r.ctxValue(ctx), r.cancelFunc(ctx, false)
		},
		"context.WithDeadline": func(r *Runner, c *ncall) {
			parent := r.ctxOf(c.args[0])
			ctx := r.newCancelCtx(parent)
			r.withDeadline(ctx, parent, c.args[1].i())
			c.res[0], c.res[1] = r.ctxValue(ctx), r.cancelFunc(ctx, false)
		},
		"context.WithValue": func(r *Runner, c *ncall) {
			if c.args[1].itf() == nil {
				panic(runtimeError("nil key"))
			}
			ctx := &ctxObj{parent: r.ctxOf(c.args[0]), key: c.args[1], val: c.args[2], hasVal: true}
			c.res[0] = r.ctxValue(ctx)
		},
		"context.WithoutCancel": func(r *Runner, c *ncall) {
			c.res[0] = r.ctxValue(&ctxObj{parent: nil, key: value{}, hasVal: false})
		},
		"context.Cause": func(r *Runner, c *ncall) {
			ctx := r.ctxOf(c.args[0]).node()
			if ctx == nil {
				c.res[0] = value{}
				return
			}
			c.res[0] = ctx.cause
		},
		"context.AfterFunc": func(r *Runner, c *ncall) {
			ctx := r.ctxOf(c.args[0])
			f, _ := c.args[1].r.(*closure)
			n := ctx.node()
			if n != nil && n.err.r != nil {
				r.startTimer(&timerObj{fn: f}, 0)
			} else if n != nil {
				n.afters = append(n.afters, f)
			}
			stop := &function{name: "context.stop", nres: 1, native: func(r *Runner, nc *ncall) {
				if n == nil {
					nc.res[0] = b2v(false)
					return
				}
				for i, x := range n.afters {
					if x == f {
						n.afters = append(n.afters[:i], n.afters[i+1:]...)
						nc.res[0] = b2v(true)
						return
					}
				}
				nc.res[0] = b2v(false)
			}}
			stop.clos = &closure{fn: stop}
			c.res[0] = value{r: stop.clos}
		},
	})
}

// ctxType is the dynamic type of the contexts (a native type with the
// Context methods).
func (p *Program) ctxType() *rtype {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ctxT != nil {
		return p.ctxT
	}
	pkg := types.NewPackage("context", "context")
	t := types.NewPointer(types.NewNamed(types.NewTypeName(0, pkg, "cancelCtx", nil), types.NewStruct(nil, nil), nil))
	rt := &rtype{t: t, str: "*context.cancelCtx"}
	mk := func(name string, nres int, f nativeFn) *function {
		fn := &function{name: "context." + name, nres: nres, native: f}
		fn.clos = &closure{fn: fn}
		return fn
	}
	rt.native = map[string]*function{
		"Done": mk("Done", 1, func(r *Runner, c *ncall) { c.res[0] = r.ctxDone(c.args[0].r.(*ctxObj)) }),
		"Err": mk("Err", 1, func(r *Runner, c *ncall) {
			if n := c.args[0].r.(*ctxObj).node(); n != nil {
				c.res[0] = n.err
			} else {
				c.res[0] = value{}
			}
		}),
		"Value": mk("Value", 1, func(r *Runner, c *ncall) {
			for x := c.args[0].r.(*ctxObj); x != nil; x = x.parent {
				if x.hasVal && equal(x.key, c.args[1], anyType) {
					c.res[0] = x.val
					return
				}
			}
			c.res[0] = value{}
		}),
		"Deadline": mk("Deadline", 2, func(r *Runner, c *ncall) {
			dl, ok := c.args[0].r.(*ctxObj).deadlineOf()
			c.res[0], c.res[1] = i2v(dl), b2v(ok)
		}),
		"String": mk("String", 1, func(r *Runner, c *ncall) { c.res[0] = s2v("context") }),
	}
	p.ctxT = rt
	return rt
}
