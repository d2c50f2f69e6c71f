package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

func cli(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = runMain(args, &o, &e)
	return code, o.String(), e.String()
}

func TestExitCodes(t *testing.T) {
	cases := []struct {
		args    []string
		code    int
		errWant string
	}{
		{nil, 2, "usage: gohttpsim COMMAND"},
		{[]string{"nosuch"}, 2, `unknown command "nosuch"`},
		{[]string{"run"}, 2, "want exactly one SCENARIO"},
		{[]string{"run", "nosuch"}, 2, `unknown scenario "nosuch" (valid:`},
		{[]string{"run", "-set", "bogus=1", "mmc"}, 2, `unknown key "bogus" (valid keys: servers,`},
		{[]string{"run", "-set", "duration=soon", "mmc"}, 2, "bad value \"soon\" for key duration: want a Go duration"},
		{[]string{"run", "-reps", "0", "mmc"}, 2, "-reps must be at least 1"},
		{[]string{"run", "-nope", "mmc"}, 2, "flag provided but not defined: -nope"},
		{[]string{"bench", "-pending", "0"}, 2, "must be positive"},
		{[]string{"help", "nosuch"}, 2, "unknown command"},
	}
	for _, c := range cases {
		code, _, stderr := cli(c.args...)
		if code != c.code || !strings.Contains(stderr, c.errWant) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d containing %q", c.args, code, stderr, c.code, c.errWant)
		}
	}
}

func TestHelpForEveryCommand(t *testing.T) {
	for _, name := range commandNames() {
		code, out, _ := cli("help", name)
		if code != 0 || !strings.Contains(out, "usage: gohttpsim "+name) {
			t.Errorf("help %s: exit %d, %q", name, code, out)
		}
		code, out, _ = cli(name, "-h")
		if code != 0 || !strings.Contains(out, "usage: gohttpsim "+name) {
			t.Errorf("%s -h: exit %d, %q", name, code, out)
		}
	}
}

// The run -json contract: these keys, durations in Go syntax, ci95 with R>1.
func TestRunJSONContract(t *testing.T) {
	code, out, stderr := cli("run", "-json", "-seed", "3", "-reps", "3", "-set", "duration=2s", "-set", "warmup=0s", "mmc")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, k := range []string{"scenario", "seed", "reps", "params", "sim_time_ns", "events", "wall_ns", "digest", "truncated", "metrics", "ci95", "units"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing key %q in %s", k, out)
		}
	}
	params := m["params"].(map[string]any)
	if params["service.mean"] != "1ms" || params["servers"] != 4.0 {
		t.Errorf("params not in Go syntax / defaults missing: %v", params)
	}
	if d := m["digest"].(string); len(d) != 16 {
		t.Errorf("digest %q is not 16 hex digits", d)
	}
	ci := m["ci95"].(map[string]any)["wait_mean_ns"].([]any)
	mean := m["metrics"].(map[string]any)["wait_mean_ns"].(float64)
	if ci[0].(float64) > mean || ci[1].(float64) < mean {
		t.Errorf("ci95 %v does not contain the mean %v", ci, mean)
	}
	units := m["units"].(map[string]any)
	if units["wait_mean_ns"] != "ns" || units["completed"] != "{req}" || units["utilization"] != "1" {
		t.Errorf("units %v: want each metric's declared unit", units)
	}
	// Same seed, same output apart from wall time.
	_, out2, _ := cli("run", "-json", "-seed", "3", "-reps", "3", "-set", "duration=2s", "-set", "warmup=0s", "mmc")
	var m2 map[string]any
	json.Unmarshal([]byte(out2), &m2)
	if m["digest"] != m2["digest"] || !mapsEqual(m["metrics"], m2["metrics"]) {
		t.Error("same seed gave different results")
	}
}

func mapsEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestSeriesFile(t *testing.T) {
	f := t.TempDir() + "/s.csv"
	code, _, stderr := cli("run", "-series", f, "-every", "500ms", "-set", "duration=2s", "-set", "warmup=0s", "mmc")
	if code != 0 {
		t.Fatal(stderr)
	}
	b, _ := exec.Command("cat", f).Output()
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "time_ns,queue,in_system,completed" || len(lines) != 6 {
		t.Fatalf("series:\n%s", b)
	}
}
