package goprog

import (
	"os"
	"slices"
	"testing"
)

// TestGTrace records the moves of testdata/pipeline.go's Gs and checks
// what the scheduler must have done: at GOMAXPROCS=1 a G woken by a
// channel operation goes to runnext (ready), and every G that ran is seen
// running on P0; a second run records the same moves.
func TestGTrace(t *testing.T) {
	src, err := os.ReadFile("testdata/pipeline.go")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Compile("pipeline.go", src)
	if err != nil {
		t.Fatal(err)
	}
	run := func(procs int) *GTrace {
		tr := &GTrace{}
		res := Run(prog, Options{GOMAXPROCS: procs, Seed: 1, GTrace: tr})
		if res.ExitCode != 0 {
			t.Fatalf("exit %d: %s", res.ExitCode, res.Stderr)
		}
		return tr
	}
	tr := run(1)
	seen := map[Place]int{}
	ran := map[int32]bool{}
	for i, m := range tr.Moves {
		seen[m.Place]++
		if m.Place == PlaceRunning {
			ran[m.G] = true
			if m.P != 0 {
				t.Fatalf("move %d: %+v runs on P%d at GOMAXPROCS=1", i, m, m.P)
			}
		}
		if i > 0 && m.T < tr.Moves[i-1].T {
			t.Fatalf("move %d goes back in time: %+v after %+v", i, m, tr.Moves[i-1])
		}
	}
	if seen[PlaceRunnext] == 0 || seen[PlaceChan] == 0 || seen[PlaceGone] == 0 {
		t.Errorf("places seen %v: want runnext, chan and gone among them", seen)
	}
	if len(ran) < 3 { // main, gen, square
		t.Errorf("%d Gs ran, want at least 3", len(ran))
	}
	if again := run(1); !slices.Equal(again.Moves, tr.Moves) {
		t.Errorf("second run recorded %d moves, first %d, or they differ", len(again.Moves), len(tr.Moves))
	}
	if tr.Truncated {
		t.Errorf("truncated after %d moves", len(tr.Moves))
	}
}
