package goprog

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
)

// Runner runs a compiled Program on a gmp.Sched. It is the gmp.Behavior of
// every goroutine of the program; a goroutine's user word indexes gs.
type Runner struct {
	prog *Program
	s    *gmp.Sched
	e    *sim.Engine
	rng  *rand.Rand // select poll order, map iteration
	urng *rand.Rand // math/rand for the program

	gs        container.Paged[gstate] // goroutines by index; pages, so 10M are never copied
	gfree     int32                   // 1 + the first dead gstate (a LIFO linked through selIdx), 0 if none
	globals   []value
	framePool []*frame
	arena     []value
	phiTmp    []value
	argBuf    []value
	resBuf    []value
	nc        ncall
	syncDepth int

	sudogs    [][]sudog
	nsudog    int32
	sgfree    int32
	pollOrder []int32

	stdout, stderr strings.Builder
	exited         bool
	exitCode       int
	mainGoexit     bool
	sysStarted     bool
	nsys           int // system Gs alive
	ntimerG        int // timer goroutines alive (not counted by NumGoroutine)
	args           []string
	env            map[string]string

	hid     sim.HandlerID // 1 + the Runner's handler id (timers), 0 before registering
	rtError *rtype        // runtime.Error values raised by the interpreter
}

// systemGs is how many runtime goroutines sit in P0's local run queue,
// ahead of the first G main.main spawns, when main.main starts (go1.26,
// linux/amd64). Inferred from testdata/spawn257.go, whose output depends
// on exactly where the 256-slot ring overflows; they stand for the Gs
// runtime.main and package init ready (bgsweep, bgscavenge, ...). They run
// once, silently, and do not count in runtime.NumGoroutine.
const systemGs = 2

// sysG is the behaviour of the system Gs: run once and exit.
type sysG struct{ r *Runner }

func (b sysG) Step(s *gmp.Sched, gp gmp.GID, arg int64) gmp.Action {
	b.r.nsys--
	return gmp.Exit()
}

// NewRunner prepares prog on s; Start creates the main goroutine.
func NewRunner(prog *Program, s *gmp.Sched) *Runner {
	r := &Runner{prog: prog, s: s, e: s.Engine(), rng: s.Engine().Stream("goprog"), urng: s.Engine().Stream("goprog/rand")}
	r.nsudog = 1 // 0 is "none"
	r.sudogs = [][]sudog{make([]sudog, sudogChunk)}
	r.resBuf = make([]value, 16)
	r.rtError = prog.runtimeErrorType()
	r.globals = make([]value, len(prog.gList))
	for i, g := range prog.gList {
		cell := new(value)
		if g.Pkg != prog.main && !slices.Contains(prog.srcPkgs, g.Pkg) {
			*cell = r.nativeGlobal(g)
		} else {
			*cell = zero(deref(g.Type()))
		}
		r.globals[i] = value{r: cell}
	}
	return r
}

// Start creates the main goroutine, which runs the package initialiser
// and then main.main.
func (r *Runner) Start() {
	mainFn := r.prog.fn(r.prog.main.Func("main"))
	initFn := r.prog.fn(r.prog.main.Func("init"))
	mf := r.newFrame(mainFn)
	inf := r.newFrame(initFn)
	inf.caller, inf.kind = mf, frameDefer // returning re-enters main at pc 0
	gi := r.newG(inf)
	r.g(gi).gid = r.s.Go(r, int64(gi))
}

// Stdout returns what the program printed on standard output.
func (r *Runner) Stdout() string { return r.stdout.String() }

// Stderr returns what the program printed on standard error.
func (r *Runner) Stderr() string { return r.stderr.String() }

// Exited reports whether the program ended (main returned, os.Exit, panic)
// and its exit code.
func (r *Runner) Exited() (bool, int) { return r.exited, r.exitCode }

func (r *Runner) stdoutFlush() {}

// Step implements gmp.Behavior: interpret gp's instructions until one
// takes time or blocks.
func (r *Runner) Step(s *gmp.Sched, gp gmp.GID, arg int64) gmp.Action {
	if r.exited {
		return gmp.Exit()
	}
	gi := int32(arg)
	if gi == 0 && !r.sysStarted {
		r.sysStarted = true
		for range systemGs {
			r.nsys++
			s.Go(sysG{r}, -1)
		}
	}
	g := r.g(gi)
	g.gid = gp
	if g.x != nil && g.x.timer != nil {
		return r.timerStep(gi, g)
	}
	for {
		a, p := r.execProtected(gi)
		if p == nil {
			return a
		}
		r.startPanic(gi, g, p)
		if r.exited || !g.live {
			return gmp.Exit()
		}
	}
}

// execProtected runs exec, turning a Go panic of the interpreter's own
// kinds (a run-time error, an interpreted panic) into a panicState.
func (r *Runner) execProtected(gi int32) (a gmp.Action, p *panicState) {
	defer func() {
		if x := recover(); x != nil {
			switch x := x.(type) {
			case runtimeError:
				p = &panicState{val: value{r: &iface{t: r.rtError, v: value{r: x}}}}
			case *panicState:
				p = x
			case exitPanic:
				a = gmp.Exit()
			default:
				// An interpreter bug or an unsupported corner of a bound
				// library function: end the program with a clear message
				// (exit 2) rather than crash the simulator.
				where := ""
				if g := r.g(gi); g.live && g.fr != nil && g.fr.fn.blocks != nil && g.fr.block >= 0 {
					fr := g.fr
					in := fr.fn.blocks[fr.block].instrs[fr.pc].in
					if in != nil {
						where = " at " + r.prog.fset.Position(in.Pos()).String() + " (" + in.String() + ")"
					}
					where = " in " + fr.fn.name + where
				}
				r.stderr.WriteString(fmt.Sprintf("goprog: internal error%s: %v\n", where, x))
				r.exit(2)
				a = gmp.Exit()
			}
		}
	}()
	return r.exec(gi), nil
}

// exitPanic unwinds a native that ended the program (os.Exit).
type exitPanic struct{}

func (r *Runner) exit(code int) {
	if r.exited {
		return
	}
	r.exited = true
	r.exitCode = code
	r.e.Stop()
}

func (r *Runner) mainWait() string {
	if r.gs.Len() > 0 && r.g(0).live {
		g := r.g(0)
		if g.reason != gmp.WaitNone {
			return g.reason.String()
		}
	}
	return "select (no cases)"
}
