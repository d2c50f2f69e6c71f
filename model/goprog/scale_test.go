package goprog

import (
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestScaleMillion runs testdata/scale/million.go (1,000,000 goroutines
// blocked on a channel, then released and counted by a WaitGroup) in the
// simulator (`gohttpsim sched`, a subprocess so that its peak RSS is its
// own) and under the real runtime (GOMAXPROCS=1), and reports wall time,
// peak RSS and the memory ratio. The simulator must stay within 512 MB of
// peak RSS (memory does not depend on machine load). Wall time is reported,
// not asserted: speed is proven by benchmarks on a quiet machine, and the
// 5 s budget is checked there (make bench). The real run needs ~2.7 GB.
func TestScaleMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("1M goroutines, real and simulated")
	}
	dir := t.TempDir()
	sim, real := filepath.Join(dir, "gohttpsim"), filepath.Join(dir, "million")
	prog := "testdata/scale/million.go"
	for _, b := range [][]string{{"-o", sim, "../../cmd/gohttpsim"}, {"-o", real, "./" + prog}} {
		if out, err := exec.Command("go", append([]string{"build"}, b...)...).CombinedOutput(); err != nil {
			t.Fatalf("go build %v: %v\n%s", b, err, out)
		}
	}
	run := func(name string, args ...string) (time.Duration, int64, string) {
		cmd := exec.Command(name, args...)
		cmd.Env = append(cmd.Environ(), "GOMAXPROCS=1")
		start := time.Now()
		out, err := cmd.Output()
		wall := time.Since(start)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024
		return wall, rss, string(out)
	}
	sw, srss, sout := run(sim, "sched", prog)
	rw, rrss, rout := run(real)
	if sout != rout {
		t.Errorf("outputs differ: sim %q real %q", sout, rout)
	}
	const n = 1e6
	t.Logf("simulator: wall %v, peak RSS %d MB, %.0f B per G", sw.Round(time.Millisecond), srss>>20, float64(srss)/n)
	t.Logf("real:      wall %v, peak RSS %d MB, %.0f B per G", rw.Round(time.Millisecond), rrss>>20, float64(rrss)/n)
	t.Logf("memory ratio real/sim %.1fx, wall ratio %.1fx", float64(rrss)/float64(srss), float64(rw)/float64(sw))
	if srss > 512<<20 {
		t.Errorf("simulator peak RSS %d MB > 512 MB", srss>>20)
	}
}
