package gmp

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// spread is testdata/spread/main.go on the model: each round main spawns n
// workers, each notes the P it starts on and computes for work; main waits
// (a WaitGroup: park, readied by the last worker), counts the workers that
// started on its own P, sleeps 1 ms and goes again.
type spread struct {
	n, rounds int
	work      time.Duration
	curP      []PID // P each G last executed on (from the trace hook)
	startP    []PID // per worker
	main      GID
	mainP     PID
	left      int
	out       []int // per round: workers that started on main's P
	phase     []uint8
}

func (b *spread) Step(s *Sched, gp GID, arg int64) Action {
	if arg >= 0 { // worker i
		if b.phase[arg] == 0 {
			b.phase[arg] = 1
			b.startP[arg] = b.curP[gp]
			return Compute(b.work)
		}
		if b.left--; b.left == 0 {
			s.Ready(b.main)
		}
		return Exit()
	}
	// main: arg = -1 - (spawned so far in this round)
	i := int(-1 - arg)
	if i == 0 {
		if len(b.out) == b.rounds {
			return Exit()
		}
		b.main = gp
		b.mainP = b.curP[gp]
		b.left = b.n
	}
	if i < b.n {
		b.phase[i] = 0
		s.SetArg(gp, arg-1)
		return Spawn(b, int64(i))
	}
	if i == b.n && b.left > 0 {
		s.SetArg(gp, arg-1)
		return Park(WaitSyncWaitGroupWait)
	}
	same := 0
	for _, p := range b.startP {
		if p == b.mainP {
			same++
		}
	}
	b.out = append(b.out, same)
	s.SetArg(gp, -1)
	return Sleep(time.Millisecond)
}

func simSpread(procs, n, rounds int, work time.Duration, seed uint64) []int {
	e := sim.NewEngine(seed)
	s := New(e, Config{GOMAXPROCS: procs})
	b := &spread{n: n, rounds: rounds, work: work, startP: make([]PID, n), phase: make([]uint8, n)}
	s.SetTrace(func(ev TraceEvent) {
		for int(ev.G) >= len(b.curP) {
			b.curP = append(b.curP, NoP)
		}
		b.curP[ev.G] = ev.P
	})
	s.Go(b, -1)
	e.Run()
	return b.out
}

// shares returns, per round, the fraction of workers that started on main's P.
func shares(counts []int, n int) []float64 {
	out := make([]float64, len(counts))
	for i, c := range counts {
		out[i] = float64(c) / float64(n)
	}
	return out
}

func mean(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m += x / float64(len(xs))
	}
	return m
}

func median(xs []float64) float64 {
	ys := slices.Clone(xs)
	slices.Sort(ys)
	return ys[len(ys)/2]
}

// realSpread runs testdata/spread under GOMAXPROCS=procs procs times and
// returns the per-process rounds.
func realSpread(t *testing.T, bin string, procs, n, rounds, runs int, work time.Duration) [][]int {
	var out [][]int
	for range runs {
		cmd := exec.Command(bin, "-n", strconv.Itoa(n), "-rounds", strconv.Itoa(rounds), "-work", work.String())
		cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(procs))
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("%v: %v", cmd, err)
		}
		var counts []int
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			c, err := strconv.Atoi(sc.Text())
			if err != nil {
				t.Fatalf("bad line %q", sc.Text())
			}
			counts = append(counts, c)
		}
		if len(counts) != rounds {
			t.Fatalf("%d rounds, want %d", len(counts), rounds)
		}
		out = append(out, counts)
	}
	return out
}

// TestSpreadDistribution compares, at GOMAXPROCS=2, where goroutines run in
// the real runtime and in the model, with the program of testdata/spread:
// main spawns 64 goroutines per round and waits for them; each notes the P
// it starts on. The statistic is the share of a round's goroutines that
// started on main's P.
//
//   - Long work (100 µs each): the idle P's M wakes, steals half of main's
//     ring and keeps stealing, so each P runs about half (real: means of
//     0.47–0.58 per process here; model: 0.5). A model without stealing
//     gives 1, one that steals too eagerly gives ~0.
//   - No work: the goroutines are spawned (~100 ns each) and run (~80 ns)
//     by main's P before the woken M arrives (~10 µs), so most stay local
//     (real: median 1.0; model: 50/64). With the first calibration
//     (GoCreate 300 ns, Wakeup 5 µs) the model ran 61 of 64 on the thief:
//     this test is what found it.
//
// The model is deterministic at GOMAXPROCS=2 (the steal order has one
// victim); the real spread comes from the OS, which the model does not
// model, so the bounds compare central values loosely. Real figures are the
// median over 3 processes of 20 rounds, so that one process disturbed by
// the shared machine does not decide.
func TestSpreadDistribution(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real program (a few seconds)")
	}
	if runtime.NumCPU() < 2 {
		t.Skip("needs 2 CPUs for the real side")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "spread")
	if out, err := exec.Command(goBin, "build", "-o", bin, "./testdata/spread").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const n, rounds, runs = 64, 20, 3
	type stat struct{ mean, median float64 }
	measure := func(work time.Duration) (real, model stat) {
		var means, medians []float64
		for _, counts := range realSpread(t, bin, 2, n, rounds, runs, work) {
			sh := shares(counts, n)
			means = append(means, mean(sh))
			medians = append(medians, median(sh))
		}
		real = stat{median(means), median(medians)}
		var all []float64
		for seed := range uint64(10) {
			all = append(all, shares(simSpread(2, n, rounds, work, seed), n)...)
		}
		model = stat{mean(all), median(all)}
		t.Logf("work=%v: real mean %.2f median %.2f (per process means %.2f); model mean %.2f median %.2f",
			work, real.mean, real.median, means, model.mean, model.median)
		return real, model
	}
	rLong, mLong := measure(100 * time.Microsecond)
	if math.Abs(rLong.mean-mLong.mean) > 0.15 || mLong.mean < 0.35 || mLong.mean > 0.65 {
		t.Errorf("long work: share on main's P real %.2f, model %.2f; want both near 0.5", rLong.mean, mLong.mean)
	}
	// With no work the real share depends on how fast the woken M starts
	// on the other CPU, which depends on the machine's load: 1.00 on a
	// loaded machine (the spawner finishes first), 0.33 on an idle one.
	// The model's Wakeup was calibrated in between, so only the model's
	// side is asserted (locality beats balance); the real figure is
	// reported for the record.
	rShort, mShort := measure(0)
	t.Logf("no work: median share on main's P real %.2f (load-dependent), model %.2f", rShort.median, mShort.median)
	if mShort.median < 0.6 || mShort.median < mLong.mean+0.2 {
		t.Errorf("no work: model's median share on main's P %.2f; want ≥ 0.6 and locality to beat balance (%.2f)", mShort.median, mLong.mean)
	}
}
