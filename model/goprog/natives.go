package goprog

import (
	"go/types"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"golang.org/x/tools/go/ssa"
)

// natives binds library functions by their ssa name (Function.String of
// the generic origin). Pure functions compute directly on values;
// blocking ones use the ncall protocol (see nativeFn).
var natives = map[string]nativeFn{}

func bind(fns map[string]nativeFn) {
	for k, v := range fns {
		natives[k] = v
	}
}

func (p *Program) lookupNative(f *ssa.Function) nativeFn {
	if f.Name() == "init" && f.Pkg != p.main && f.Signature.Recv() == nil && f.Blocks == nil {
		return func(r *Runner, c *ncall) {}
	}
	name := f.String()
	if o := f.Origin(); o != nil {
		name = o.String()
	}
	return natives[stripTypeParams(name)]
}

// stripTypeParams removes bracketed type parameter lists from an ssa name:
// "(*sync/atomic.Pointer[T]).Load" → "(*sync/atomic.Pointer).Load".
func stripTypeParams(s string) string {
	if strings.IndexByte(s, '[') < 0 {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, c := range s {
		switch {
		case c == '[':
			depth++
		case c == ']':
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// simEpoch is time.Now() at simulated time 0: the playground's epoch.
var simEpoch = time.Date(2009, 11, 10, 23, 0, 0, 0, time.UTC).UnixNano()

func init() {
	bind(map[string]nativeFn{
		BurnPath + ".Burn": nBurn,
		"time.Sleep":       nSleep,
		"time.Now": func(r *Runner, c *ncall) {
			c.res[0] = i2v(simEpoch + int64(r.e.Now()))
		},
		"time.Since": func(r *Runner, c *ncall) {
			c.res[0] = i2v(simEpoch + int64(r.e.Now()) - c.args[0].i())
		},
		"time.Until": func(r *Runner, c *ncall) {
			c.res[0] = i2v(c.args[0].i() - simEpoch - int64(r.e.Now()))
		},
		"(time.Time).Sub":    func(r *Runner, c *ncall) { c.res[0] = i2v(c.args[0].i() - c.args[1].i()) },
		"(time.Time).Add":    func(r *Runner, c *ncall) { c.res[0] = i2v(c.args[0].i() + c.args[1].i()) },
		"(time.Time).Before": func(r *Runner, c *ncall) { c.res[0] = b2v(c.args[0].i() < c.args[1].i()) },
		"(time.Time).After":  func(r *Runner, c *ncall) { c.res[0] = b2v(c.args[0].i() > c.args[1].i()) },
		"(time.Time).Equal":  func(r *Runner, c *ncall) { c.res[0] = b2v(c.args[0].i() == c.args[1].i()) },
		"(time.Time).IsZero": func(r *Runner, c *ncall) { c.res[0] = b2v(c.args[0].i() == 0) },
		"(time.Time).UnixNano": func(r *Runner, c *ncall) {
			c.res[0] = c.args[0]
		},
		"(time.Time).UnixMilli": func(r *Runner, c *ncall) { c.res[0] = i2v(c.args[0].i() / 1e6) },
		"(time.Time).Unix":      func(r *Runner, c *ncall) { c.res[0] = i2v(c.args[0].i() / 1e9) },
		"(time.Time).Format": func(r *Runner, c *ncall) {
			c.res[0] = s2v(goTime(c.args[0]).Format(c.args[1].s()))
		},
		"(time.Time).String": func(r *Runner, c *ncall) { c.res[0] = s2v(goTime(c.args[0]).String()) },
		"(time.Duration).String": func(r *Runner, c *ncall) {
			c.res[0] = s2v(time.Duration(c.args[0].i()).String())
		},
		"(time.Duration).Seconds": func(r *Runner, c *ncall) {
			c.res[0] = f2v(time.Duration(c.args[0].i()).Seconds())
		},
		"(time.Duration).Milliseconds": func(r *Runner, c *ncall) {
			c.res[0] = i2v(time.Duration(c.args[0].i()).Milliseconds())
		},
		"(time.Duration).Microseconds": func(r *Runner, c *ncall) {
			c.res[0] = i2v(time.Duration(c.args[0].i()).Microseconds())
		},
		"(time.Duration).Nanoseconds": func(r *Runner, c *ncall) { c.res[0] = c.args[0] },
		"(time.Duration).Minutes": func(r *Runner, c *ncall) {
			c.res[0] = f2v(time.Duration(c.args[0].i()).Minutes())
		},
		"(time.Duration).Hours": func(r *Runner, c *ncall) {
			c.res[0] = f2v(time.Duration(c.args[0].i()).Hours())
		},
		"(time.Duration).Round": func(r *Runner, c *ncall) {
			c.res[0] = i2v(int64(time.Duration(c.args[0].i()).Round(time.Duration(c.args[1].i()))))
		},
		"(time.Duration).Truncate": func(r *Runner, c *ncall) {
			c.res[0] = i2v(int64(time.Duration(c.args[0].i()).Truncate(time.Duration(c.args[1].i()))))
		},

		"runtime.Gosched": func(r *Runner, c *ncall) {
			if c.resumed {
				return
			}
			c.g.done = true // the call completes when the G runs again
			c.block, c.act = true, gmp.Gosched()
		},
		"runtime.GOMAXPROCS": func(r *Runner, c *ncall) {
			// stop the world and resize (gmp.Sched.GOMAXPROCS, procresize)
			n := c.args[0].i()
			if n > 1024 {
				n = 1024
			}
			c.res[0] = i2v(int64(r.s.GOMAXPROCS(int(n))))
		},
		"runtime.NumCPU": func(r *Runner, c *ncall) { c.res[0] = i2v(int64(r.s.NumP())) },
		"runtime.NumGoroutine": func(r *Runner, c *ncall) {
			c.res[0] = i2v(int64(r.s.Stats().Goroutines - r.nsys - r.ntimerG))
		},
		"runtime.Goexit": func(r *Runner, c *ncall) {
			panic(&panicState{goexit: true})
		},
		"os.Exit": func(r *Runner, c *ncall) {
			r.exit(int(c.args[0].i()))
			panic(exitPanic{})
		},
		"os.Getenv": func(r *Runner, c *ncall) { c.res[0] = s2v(r.env[c.args[0].s()]) },
		"os.LookupEnv": func(r *Runner, c *ncall) {
			v, ok := r.env[c.args[0].s()]
			c.res[0], c.res[1] = s2v(v), b2v(ok)
		},

		"(*sync.WaitGroup).Add":   nWGAdd,
		"(*sync.WaitGroup).Done":  nWGDone,
		"(*sync.WaitGroup).Wait":  nWGWait,
		"(*sync.WaitGroup).Go":    nWGGo,
		"(*sync.Mutex).Lock":      nLock,
		"(*sync.Mutex).TryLock":   nTryLock,
		"(*sync.Mutex).Unlock":    nUnlock,
		"(*sync.RWMutex).Lock":    nWLock,
		"(*sync.RWMutex).Unlock":  nWUnlock,
		"(*sync.RWMutex).RLock":   nRLock,
		"(*sync.RWMutex).RUnlock": nRUnlock,
		"(*sync.Once).Do":         nOnceDo,
	})
}

// timeType is time.Time, the element type of timer channels.
var timeType = func() types.Type {
	pkg := types.NewPackage("time", "time")
	return types.NewNamed(types.NewTypeName(0, pkg, "Time", nil), types.NewStruct(nil, nil), nil)
}()

func goTime(v value) time.Time { return time.Unix(0, v.i()).UTC() }

// nBurn is burn.Burn(d): exactly d of CPU, plus the instruction debt.
func nBurn(r *Runner, c *ncall) {
	if c.resumed {
		return
	}
	d := time.Duration(c.args[0].i()) + time.Duration(c.g.debt*instrNS)
	c.g.debt = 0
	if d <= 0 {
		return
	}
	c.g.done = true
	c.block, c.act = true, gmp.Compute(d)
}

// nSleep is time.Sleep(d): a timer on the G's P (gmp's Sleep).
func nSleep(r *Runner, c *ncall) {
	if c.resumed {
		return
	}
	d := time.Duration(c.args[0].i())
	if d <= 0 {
		return
	}
	c.g.done = true
	c.block, c.act = true, gmp.Sleep(d)
}

// nativeGlobal returns the initial value of a library package variable.
func (r *Runner) nativeGlobal(g *ssa.Global) value {
	switch g.Pkg.Pkg.Path() + "." + g.Name() {
	case "os.Args":
		args := []value{s2v("/tmp/prog")}
		for _, a := range r.args {
			args = append(args, s2v(a))
		}
		return value{r: args}
	case "os.Stdout":
		return value{r: &value{n: 1}}
	case "os.Stderr":
		return value{r: &value{n: 2}}
	}
	if v, ok := r.prog.nativeGlobals[g.Pkg.Pkg.Path()+"."+g.Name()]; ok {
		return v
	}
	return zero(deref(g.Type()))
}

// runtimeErrorType is the dynamic type of run-time panics raised by the
// interpreter (runtime.Error): a native type whose Error method returns the
// message.
func (p *Program) runtimeErrorType() *rtype {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rtErr != nil {
		return p.rtErr
	}
	t := types.NewNamed(types.NewTypeName(0, types.NewPackage("runtime", "runtime"), "Error", nil), types.Typ[types.String], nil)
	rt := &rtype{t: t, str: "runtime.Error"}
	errFn := &function{name: "runtime.Error.Error", nres: 1, native: func(r *Runner, c *ncall) {
		c.res[0] = s2v(string(c.args[0].r.(runtimeError)))
	}}
	errFn.clos = &closure{fn: errFn}
	rt.native = map[string]*function{"Error": errFn, "RuntimeError": errFn}
	p.rtErr = rt
	return rt
}

// nativeImplements reports whether the native type t has all of it's methods.
func nativeImplements(t *rtype, it *types.Interface) bool {
	for i := 0; i < it.NumMethods(); i++ {
		if t.native[it.Method(i).Name()] == nil {
			return false
		}
	}
	return true
}
