package scenarios_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gohttpsim/gohttpsim/model/scenarios"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenSets are short runs of every scenario: long enough to exercise its
// mechanisms (the slowloris attack of timeouts starts at 2 s), short enough
// that all of them take seconds.
var goldenSets = map[string][]string{
	"goroutines": {"duration=300ms"},
	"h1-vs-h2":   {"page.resources=30"},
	"million":    {"duration=100ms", "load.clients=5000", "load.ramp=50ms"},
	"mmc":        {"duration=2s", "warmup=500ms"},
	"pool":       {"load.clients=10", "load.requests=5"},
	"quota":      {"duration=2s"},
	"routing":    {"duration=20ms"},
	"throughput": {"duration=20ms"},
	"timeouts":   {"duration=2200ms"},
}

const goldenSeed = 1

func goldenValues(t *testing.T, sc *scenario.Scenario) *scenario.Values {
	sets, ok := goldenSets[sc.Name]
	if !ok {
		t.Fatalf("scenario %s has no golden run: add it to goldenSets", sc.Name)
	}
	v, err := scenario.Parse(sc.Params, sets)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The digest of a short run of every scenario is pinned in
// testdata/digests.golden: a change to any model that alters a run shows
// up here, and must be either a bug fix or regenerated on purpose with
// `go test ./model/scenarios -run TestGoldenDigests -update`.
func TestGoldenDigests(t *testing.T) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# scenario seed events digest sets (go test ./model/scenarios -run TestGoldenDigests -update)\n")
	for _, sc := range scenario.All() {
		r, err := scenario.RunOne(sc, goldenValues(t, sc), goldenSeed, scenario.Options{})
		if err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
		fmt.Fprintf(&b, "%s %d %d %016x %s\n", sc.Name, goldenSeed, r.Events, r.Digest, strings.Join(goldenSets[sc.Name], " "))
		scenarios.CheckUnits(t, sc.Name, r.Metrics)
	}
	compareGolden(t, filepath.Join("testdata", "digests.golden"), b.Bytes())
}

// traceScenarios are the small scenarios whose first events are pinned as
// readable traces.
var traceScenarios = []string{"goroutines", "h1-vs-h2", "mmc", "pool"}

const traceEvents = 200

// eventLog records the first events a run processes, through the engine's
// Observer hook.
type eventLog struct {
	b *bytes.Buffer
	n int
}

func (l *eventLog) Observe(ev sim.Event) {
	if l.n < traceEvents {
		fmt.Fprintf(l.b, "%d h%d k%d e%d %d\n", ev.When, ev.H, ev.Kind, ev.Entity, ev.Arg)
	}
	l.n++
}

// The first events of the small scenarios (time in ns, handler, kind,
// entity, argument) are pinned in testdata/traces.txtar, one file per
// scenario: when a digest changes, the first differing line shows where.
func TestGoldenTraces(t *testing.T) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "First %d events of each small scenario's golden run (seed %d): time_ns handler kind entity arg.\n", traceEvents, goldenSeed)
	fmt.Fprintf(&b, "Regenerate with go test ./model/scenarios -run TestGoldenTraces -update.\n")
	for _, name := range traceScenarios {
		sc := scenario.Lookup(name)
		fmt.Fprintf(&b, "-- %s --\n", name)
		log := &eventLog{b: &b}
		if _, err := scenario.RunOne(sc, goldenValues(t, sc), goldenSeed, scenario.Options{Observer: log}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if log.n < traceEvents {
			t.Errorf("%s: only %d events", name, log.n)
		}
	}
	path := filepath.Join("testdata", "traces.txtar")
	if !*update {
		// Compare file by file, so the failure names the scenario and
		// the first event that differs.
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		got, exp := txtarFiles(b.String()), txtarFiles(string(want))
		for _, name := range traceScenarios {
			g, w := strings.Split(got[name], "\n"), strings.Split(exp[name], "\n")
			if i := firstDiff(g, w); i >= 0 {
				t.Errorf("%s: event %d differs:\n got %s\nwant %s", name, i, at(g, i), at(w, i))
			}
		}
		return
	}
	compareGolden(t, path, b.Bytes())
}

// txtarFiles splits a txtar archive (golang.org/x/tools/txtar's format:
// a comment, then files each introduced by a "-- NAME --" line) into its
// files.
func txtarFiles(s string) map[string]string {
	out := map[string]string{}
	name := ""
	for _, line := range strings.SplitAfter(s, "\n") {
		if n, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "-- "); ok && strings.HasSuffix(n, " --") {
			name = strings.TrimSuffix(n, " --")
			continue
		}
		if name != "" {
			out[name] += line
		}
	}
	return out
}

func firstDiff(a, b []string) int {
	for i := range max(len(a), len(b)) {
		if at(a, i) != at(b, i) {
			return i
		}
	}
	return -1
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(none)"
}

// compareGolden checks got against the file at path, or rewrites the file
// with -update.
func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(g), len(w)) {
			if at(g, i) != at(w, i) && !slices.Contains(w, at(g, i)) {
				t.Errorf("%s line %d:\n got %s\nwant %s", path, i+1, at(g, i), at(w, i))
			}
		}
		t.Errorf("%s differs (go test ./model/scenarios -update regenerates it, if the change is intended)", path)
	}
}
