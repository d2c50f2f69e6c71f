package scenarios_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gohttpsim/gohttpsim/model/lb"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// A key means one thing everywhere: a key several scenarios declare has the
// same kind, unit, help, bounds and values in all of them.
func TestSharedKeysMeanOneThing(t *testing.T) {
	type decl struct {
		scen string
		p    scenario.Param
	}
	byKey := map[string][]decl{}
	var keys []string
	for _, s := range scenario.All() {
		for _, p := range s.Params {
			if _, ok := byKey[p.Key]; !ok {
				keys = append(keys, p.Key)
			}
			byKey[p.Key] = append(byKey[p.Key], decl{s.Name, p})
		}
	}
	shared := 0
	for _, k := range keys {
		ds := byKey[k]
		if len(ds) > 1 {
			shared++
		}
		a := ds[0]
		for _, b := range ds[1:] {
			if a.p.Kind != b.p.Kind || a.p.Unit != b.p.Unit || a.p.Help != b.p.Help || a.p.Min != b.p.Min || a.p.Max != b.p.Max ||
				!slices.Equal(a.p.Enum, b.p.Enum) {
				t.Errorf("key %s differs between %s and %s:\n  %s %q %q [%g, %g] %v\n  %s %q %q [%g, %g] %v", k, a.scen, b.scen,
					a.p.Kind, a.p.Unit, a.p.Help, a.p.Min, a.p.Max, a.p.Enum, b.p.Kind, b.p.Unit, b.p.Help, b.p.Min, b.p.Max, b.p.Enum)
			}
		}
	}
	if shared < 10 {
		t.Errorf("only %d keys are shared between scenarios; the check has nothing to compare", shared)
	}
}

// The balancer's policies in the lb.policy tag are model/lb's.
func TestPolicyEnumIsLBs(t *testing.T) {
	for _, p := range scenario.Lookup("throughput").Params {
		if p.Key == "lb.policy" && !slices.Equal(p.Enum, lb.Policies) {
			t.Errorf("lb.policy enum %v, model/lb has %v", p.Enum, lb.Policies)
		}
	}
}

// stringLookup matches a parameter read by key (p.Int("GOMAXPROCS"),
// s.p.Dist("handler.cpu"), vals.Bytes(...)): scenario code reads its typed
// config instead, so a typo is a compile error, not a run-time panic.
var stringLookup = regexp.MustCompile(`\.(Int|Float|Duration|Bool|String|Bytes|Dist)\("[^"]+"\)`)

func TestNoStringParameterLookups(t *testing.T) {
	var files []string
	for _, dir := range []string{".", "../../viz/scene"} {
		m, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d files to check", len(files))
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if stringLookup.MatchString(line) {
				t.Errorf("%s:%d: parameter looked up by key: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// Metrics declare their units in tags (a count names what it counts): front ends
// read them from the metric, not from the name.
func TestMetricUnits(t *testing.T) {
	want := map[string]string{"completed": "{req}", "throughput_rps": "req/s", "latency_p99_ns": "ns", "heap_peak_bytes": "B", "cpu_utilization": "1"}
	for _, name := range []string{"throughput", "mmc"} {
		sc := scenario.Lookup(name)
		r, err := scenario.RunOne(sc, goldenValues(t, sc), 1, scenario.Options{})
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, m := range r.Metrics {
			if u, ok := want[m.Name]; ok {
				found++
				if m.Unit != u {
					t.Errorf("%s: metric %s has unit %q, want %q", name, m.Name, m.Unit, u)
				}
			}
		}
		if found < 3 {
			t.Errorf("%s: only %d of the checked metrics found", name, found)
		}
	}
}
