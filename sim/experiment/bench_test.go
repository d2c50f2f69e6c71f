//go:build unix

package experiment

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSweepParallel runs the same CPU-bound sweep (mmc, 8 points × 2
// replications, no files) with 1 and 2 workers, side by side in one run.
// The contract: parallel=2 takes at most 0.6× the time of parallel=1 on
// this 2-core machine. Compare the two ns/op figures of one invocation:
//
//	go test -run '^$' -bench SweepParallel -count 5 ./sim/experiment
func BenchmarkSweepParallel(b *testing.B) {
	for _, par := range []int{1, 2} {
		b.Run(fmt.Sprintf("parallel=%d", par), func(b *testing.B) {
			sc, base := mmcBase(b, "duration=20s", "warmup=1s", "load.rate=20000")
			ax, err := ParseAxis(base, "servers=21:28")
			if err != nil {
				b.Fatal(err)
			}
			cpu0, wall0 := cpuTime(), time.Now()
			for b.Loop() {
				c := &Config{Scenario: sc, Base: base, Grid: Grid{Axes: []Axis{ax}}, Reps: 2, Seed: 1, Parallel: par}
				if err := c.Check(); err != nil {
					b.Fatal(err)
				}
				if _, err := Run(context.Background(), c); err != nil {
					b.Fatal(err)
				}
			}
			// cores is CPU time over wall time: about 2 for parallel=2 on an
			// idle 2-core machine; lower means other processes took the CPU,
			// and then the ns/op comparison says little.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Since(wall0)), "cores")
		})
	}
}
