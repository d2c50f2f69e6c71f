package scenarios_test

import (
	"fmt"
	"testing"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// The Go 1.22+ tree's cost does not grow with the table; the pre-1.22
// scan's does, and at 10,000 patterns it costs a saturated core a large
// share of its throughput.
func TestRoutingScenario(t *testing.T) {
	sc := scenario.Lookup("routing")
	run := func(n int, legacy bool) (rps, cost float64) {
		v, err := scenario.Parse(sc.Params, []string{"duration=300ms", fmt.Sprint("mux.patterns=", n), fmt.Sprint("mux.legacy=", legacy)})
		if err != nil {
			t.Fatal(err)
		}
		r, err := scenario.RunOne(sc, v, 1, scenario.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rps, _ = r.Metric("throughput_rps")
		cost, _ = r.Metric("route_cpu_mean_ns")
		return
	}
	new10, c10 := run(10, false)
	new10k, c10k := run(10000, false)
	old10k, o10k := run(10000, true)
	if c10k > 1.5*c10 {
		t.Errorf("new matcher: routing cost grew from %.0f to %.0f ns with the table", c10, c10k)
	}
	if r := new10k / new10; r < 0.97 || r > 1.03 {
		t.Errorf("new matcher: throughput at 10k patterns / 10 patterns = %.3f, want ≈1", r)
	}
	if o10k < 10*c10k {
		t.Errorf("legacy matcher at 10k patterns costs %.0f ns, want ≫ the tree's %.0f ns", o10k, c10k)
	}
	if old10k > 0.8*new10k {
		t.Errorf("legacy throughput %.0f not well below the tree's %.0f at 10k patterns", old10k, new10k)
	}
}
