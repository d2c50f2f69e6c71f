package validate

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
)

// program is a small Go program run at GOMAXPROCS=1, for real and on the
// gmp model: main starts N goroutines with `go` in a loop and waits for
// them (sync.WaitGroup); goroutine i records the event i, and when Yield is
// set calls runtime.Gosched and then records N+i. The recorded order shows
// runnext (the last `go` runs first), FIFO local run queues, Gosched going
// to the global queue, the global batch (globrunqgetbatch) and, past 256,
// the local run queue overflowing into the global one (runqputslow).
type program struct {
	name  string
	N     int
	Yield bool
	// PhaseFree compares only the first and last events: when the global
	// queue is used while main is parked, which G the 1-in-61 check takes
	// depends on the P's schedtick, and in-process that is wherever this
	// process's history left it, which the model cannot know.
	PhaseFree bool
}

// rules: a strict FIFO program's order is deterministic; a phase-free one
// varies with the schedtick this process left, so the model must give
// the order a majority of real runs give.
func (p program) rules() []Rule {
	if p.PhaseFree {
		return []Rule{ModeRule}
	}
	return []Rule{ExactRule}
}

// runs is K: the Mode rule needs a majority, so five runs.
func (p program) runs() int {
	if p.PhaseFree {
		return 5
	}
	return 0
}

var programs = []program{
	{name: "spawn5", N: 5},
	{name: "gosched3", N: 3, Yield: true},
	{name: "spawn300", N: 300, PhaseFree: true},
}

func schedCases() []*Case {
	var out []*Case
	for _, p := range programs {
		p := p
		doc := fmt.Sprintf("GOMAXPROCS=1: main runs `go` %d times and waits; order in which goroutines record", p.N)
		if p.Yield {
			doc += " (each records, calls runtime.Gosched, records again)"
		}
		metrics := []string{"first", "inversions"}
		if p.PhaseFree {
			metrics = []string{"first", "last"}
		}
		out = append(out, &Case{
			Name:    "sched/" + p.name,
			Doc:     doc,
			Metrics: metrics,
			Rules:   p.rules(),
			MinRuns: p.runs(),
			Real:    func(ctx context.Context, run int) ([]float64, string, error) { return orderMetrics(p, realOrder(p)) },
			Sim: func(ctx context.Context, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
				o, err := simOrder(p, rep, cal)
				if err != nil {
					return nil, "", err
				}
				return orderMetrics(p, o)
			},
		})
	}
	return out
}

// orderMetrics returns the first recorded event and the number of
// inversions against the naive order 0, 1, ..., (2)N-1 (pairs recorded
// out of that order; 0 means strict FIFO).
func orderMetrics(p program, order []int32) ([]float64, string, error) {
	want := p.N
	if p.Yield {
		want *= 2
	}
	if len(order) != want {
		return nil, "", fmt.Errorf("%d events recorded, want %d", len(order), want)
	}
	inv := 0
	for i := range order {
		for j := i + 1; j < len(order); j++ {
			if order[i] > order[j] {
				inv++
			}
		}
	}
	if p.PhaseFree {
		return []float64{float64(order[0]), float64(order[len(order)-1])}, describeOrder(p, order), nil
	}
	return []float64{float64(order[0]), float64(inv)}, describeOrder(p, order), nil
}

// describeOrder prints an order compactly: runs of consecutive events as
// a-b, Gosched'ed second halves with a prime (2').
func describeOrder(p program, order []int32) string {
	name := func(v int32) string {
		if p.Yield && int(v) >= p.N {
			return strconv.Itoa(int(v)-p.N) + "'"
		}
		return strconv.Itoa(int(v))
	}
	var parts []string
	for i := 0; i < len(order); {
		j := i
		for j+1 < len(order) && order[j+1] == order[j]+1 && (!p.Yield || (order[j+1] >= int32(p.N)) == (order[i] >= int32(p.N))) {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, name(order[i])+"-"+name(order[j]))
		} else {
			for k := i; k <= j; k++ {
				parts = append(parts, name(order[k]))
			}
		}
		i = j + 1
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// realOrder runs p on the real runtime at GOMAXPROCS=1. It runs in-process:
// other goroutines of this process (none are left by the other cases, see
// the goleak test) could interleave, and the P's schedtick (which decides
// the 1-in-61 global-queue check) is wherever this process left it, so
// programs that use the global queue may vary from run to run; that is
// what the real band shows.
func realOrder(p program) []int32 {
	old := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(old)
	n := p.N
	if p.Yield {
		n *= 2
	}
	order := make([]int32, n)
	var next atomic.Int32
	rec := func(v int32) { order[next.Add(1)-1] = v }
	var wg sync.WaitGroup
	wg.Add(p.N)
	for i := 0; i < p.N; i++ {
		go func() {
			defer wg.Done()
			rec(int32(i))
			if p.Yield {
				runtime.Gosched()
				rec(int32(p.N + i))
			}
		}()
	}
	wg.Wait()
	return order[:next.Load()]
}

// simOrder runs p on the gmp scheduler model (model/gmp, which mirrors
// runtime.newproc, runqput, findRunnable, goschedImpl and
// globrunqgetbatch in src/runtime/proc.go, go1.26).
func simOrder(p program, rep int, cal *calibrate.Calibration) ([]int32, error) {
	e := sim.NewEngine(sim.DeriveSeed(0x5c4ed, uint64(rep)))
	e.MaxEvents = 10_000_000
	cfg := gmp.Config{GOMAXPROCS: 1}
	if cal != nil {
		cfg.CtxSwitch, cfg.GoCreate = simDur(cal.GoSwitch), simDur(cal.GoCreate)
	}
	s := gmp.New(e, cfg)
	b := &progBehavior{p: p, main: gmp.NoG}
	s.Go(b, -1)
	e.Run()
	if e.Truncated() {
		return nil, fmt.Errorf("simulated %s did not finish", p.name)
	}
	if s.Deadlocked() {
		return nil, fmt.Errorf("simulated %s deadlocked", p.name)
	}
	return b.order, nil
}

// progBehavior is program p on the gmp model. main has arg < 0 and counts
// its spawns in arg (-1 - spawned); goroutine i has arg i, or i + N after
// its Gosched.
type progBehavior struct {
	p     program
	main  gmp.GID
	left  int
	order []int32
	yield []bool // goroutine i has yielded
}

func (b *progBehavior) Step(s *gmp.Sched, gp gmp.GID, arg int64) gmp.Action {
	if arg < 0 { // main
		if b.main == gmp.NoG {
			b.main, b.left = gp, b.p.N
			b.yield = make([]bool, b.p.N)
		}
		i := -arg - 1
		if int(i) < b.p.N {
			s.SetArg(gp, arg-1)
			return gmp.Spawn(b, i)
		}
		if b.left > 0 && int(i) == b.p.N {
			s.SetArg(gp, arg-1)
			return gmp.Park(gmp.WaitSyncWaitGroupWait)
		}
		return gmp.Exit()
	}
	if int(arg) < b.p.N && b.p.Yield && !b.yield[arg] {
		b.order = append(b.order, int32(arg))
		b.yield[arg] = true
		s.SetArg(gp, arg+int64(b.p.N))
		return gmp.Gosched()
	}
	b.order = append(b.order, int32(arg))
	b.left--
	if b.left == 0 {
		s.Ready(b.main)
	}
	return gmp.Exit()
}

func simDur(d calibrate.Duration) time.Duration { return time.Duration(d) }
