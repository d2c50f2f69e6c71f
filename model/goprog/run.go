package goprog

import (
	"fmt"
	"io"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
)

// Options configures a run.
type Options struct {
	GOMAXPROCS int
	Seed       uint64
	MaxEvents  uint64    // 0: unlimited
	Trace      io.Writer // if non-nil, one line per execute: time P G
	Sched      gmp.Config
	Args       []string          // os.Args[1:]
	Env        map[string]string // os.Getenv
	GTrace     *GTrace           // if non-nil, records every G's moves between places
}

// Result is the outcome of a run.
type Result struct {
	Stdout, Stderr string
	ExitCode       int
	Deadlock       bool
	Truncated      bool
	SimTime        sim.Time
	Events         uint64
	Digest         uint64
	Stats          gmp.Stats
	PerP           []gmp.PView
}

// startSchedtick is P0's schedtick when main.main starts under go1.26:
// runtime.main runs system goroutines first (forcegchelper, bgsweep,
// bgscavenge, ...). Fitted with testdata/spawn257, spawn300 and spawn600, whose output
// order depends on schedtick%61: 3 is the only value matching all three.
const startSchedtick = 3

// Run runs prog until main returns, os.Exit, a panic, a deadlock, or a
// guard, and returns what it printed.
func Run(prog *Program, opt Options) Result {
	e := sim.NewEngine(opt.Seed)
	e.MaxEvents = opt.MaxEvents
	cfg := opt.Sched
	cfg.GOMAXPROCS = opt.GOMAXPROCS
	if cfg.StartSchedtick == 0 {
		cfg.StartSchedtick = startSchedtick
	}
	s := gmp.New(e, cfg)
	if opt.Trace != nil {
		w := opt.Trace
		s.SetTrace(func(ev gmp.TraceEvent) { fmt.Fprintf(w, "%d P%d G%d\n", int64(ev.Time), ev.P, ev.G) })
	}
	if opt.GTrace != nil {
		opt.GTrace.attach(s)
	}
	r := NewRunner(prog, s)
	r.args = opt.Args
	r.env = opt.Env
	r.Start()
	e.Run()
	res := Result{SimTime: e.Now(), Events: e.Events(), Digest: e.Digest(), Stats: s.Stats(), Truncated: e.Truncated()}
	if exited, code := r.Exited(); exited {
		res.ExitCode = code
	} else if !e.Truncated() {
		res.Deadlock = true
		res.ExitCode = 2
		r.stderr.WriteString("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [" + r.mainWait() + "]:\nmain.main()\n\t?\nexit status 2\n")
	}
	for i := range s.NumP() {
		res.PerP = append(res.PerP, s.P(gmp.PID(i)))
	}
	res.Stdout, res.Stderr = r.Stdout(), r.Stderr()
	return res
}
