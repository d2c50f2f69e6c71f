package scenarios_test

import (
	"context"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	_ "github.com/gohttpsim/gohttpsim/model/scenarios"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// quickSets shortens each built-in scenario so that every one can be run in
// a unit test; scenarios not listed run with duration=1s if they have it.
var quickSets = map[string][]string{
	"mmc": {"duration=3s", "warmup=1s"},
}

func quick(t *testing.T, sc *scenario.Scenario) *scenario.Values {
	sets, ok := quickSets[sc.Name]
	if !ok {
		for _, p := range sc.Params {
			if p.Key == "duration" {
				sets = []string{"duration=1s"}
			}
		}
	}
	v, err := scenario.Parse(sc.Params, sets)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Every scenario is deterministic: the same seed gives the same digest and
// identical metrics, and sampling a series does not change the run.
func TestEveryScenarioDeterministic(t *testing.T) {
	for _, sc := range scenario.All() {
		t.Run(sc.Name, func(t *testing.T) {
			if testing.Short() && sc.Name == "million" {
				t.Skip("slow")
			}
			v := quick(t, sc)
			a, err := scenario.RunOne(sc, v, 5, scenario.Options{MaxEvents: 20_000_000})
			if err != nil {
				t.Fatal(err)
			}
			b, err := scenario.RunOne(sc, v, 5, scenario.Options{MaxEvents: 20_000_000, Every: 100 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if a.Digest != b.Digest || !reflect.DeepEqual(a.Metrics, b.Metrics) {
				t.Fatalf("same seed, different runs: %x vs %x\n%v\n%v", a.Digest, b.Digest, a.Metrics, b.Metrics)
			}
			if a.Events == 0 || len(a.Metrics) == 0 {
				t.Fatalf("empty run: %d events, %d metrics", a.Events, len(a.Metrics))
			}
			c, _ := scenario.RunOne(sc, v, 6, scenario.Options{MaxEvents: 20_000_000})
			if c.Digest == a.Digest {
				t.Fatalf("different seeds gave the same digest %x", a.Digest)
			}
		})
	}
}

// A cancelled context stops a run cleanly, keeping what was computed.
func TestInterruptKeepsResults(t *testing.T) {
	sc := scenario.Lookup("mmc")
	v, err := scenario.Parse(sc.Params, []string{"duration=20000s"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	r, err := scenario.RunOne(sc, v, 1, scenario.Options{Ctx: ctx})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Truncated || r.Events == 0 {
		t.Fatalf("truncated %v events %d", r.Truncated, r.Events)
	}
	if c, _ := r.Metric("completed"); c == 0 {
		t.Fatal("metrics lost on interruption")
	}
}

func TestEventGuardTruncates(t *testing.T) {
	sc := scenario.Lookup("mmc")
	v, _ := scenario.Parse(sc.Params, nil)
	r, err := scenario.RunOne(sc, v, 1, scenario.Options{MaxEvents: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Truncated || r.Events != 1000 {
		t.Fatalf("truncated %v events %d", r.Truncated, r.Events)
	}
}

// The same digest under GOMAXPROCS=1 and 2: run this test binary's helper
// in two subprocesses.
func TestDigestAcrossGOMAXPROCS(t *testing.T) {
	if os.Getenv("GOHTTPSIM_DIGEST_HELPER") == "1" {
		for _, sc := range scenario.All() {
			if sc.Name == "million" {
				continue
			}
			v := quick(t, sc)
			r, err := scenario.RunOne(sc, v, 9, scenario.Options{MaxEvents: 20_000_000})
			if err != nil {
				t.Fatal(err)
			}
			os.Stdout.WriteString(sc.Name + " " + sim.DigestString(r.Digest) + "\n")
		}
		return
	}
	run := func(procs string) string {
		cmd := exec.Command(os.Args[0], "-test.run=TestDigestAcrossGOMAXPROCS$", "-test.count=1")
		cmd.Env = append(os.Environ(), "GOHTTPSIM_DIGEST_HELPER=1", "GOMAXPROCS="+procs)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("helper GOMAXPROCS=%s: %v\n%s", procs, err, out)
		}
		return string(out)
	}
	a, b := run("1"), run("2")
	if a != b || !strings.Contains(a, "mmc ") {
		t.Fatalf("digests differ across GOMAXPROCS:\n1: %s\n2: %s", a, b)
	}
}
