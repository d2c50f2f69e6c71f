package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestSweepGuards(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "file")
	os.WriteFile(file, nil, 0o644)
	out := filepath.Join(tmp, "out")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-vary", "servers=8:1"}, "empty range"},
		{[]string{"-vary", "servers=1,2", "-vary", "servers=3"}, "-vary servers given twice"},
		{[]string{"-vary", "bogus=1,2"}, `unknown key "bogus" (valid keys: servers, load.rate,`},
		{[]string{"-set", "bogus=1"}, `unknown key "bogus"`},
		{[]string{"-vary", "servers=1:1000", "-vary", "load.rate=1:101:1"}, "101000 points, more than 100000: narrow it or pass -force"},
		{[]string{"-vary", "servers=1,2", "-out", filepath.Join(file, "x")}, "output directory"},
		{[]string{"-shard", "3/3"}, "want 0 <= I < N"},
		{[]string{"-shard", "auto"}, "JOB_COMPLETION_INDEX is not set"},
		{[]string{"-warmup", "soon"}, "want a positive Go duration"},
		{[]string{"-reps", "0"}, "-reps must be at least 1"},
	}
	for _, c := range cases {
		args := append([]string{"sweep", "-out", out}, c.args...)
		code, _, stderr := cli(append(args, "mmc")...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 containing %q", c.args, code, stderr, c.want)
		}
		if _, err := os.Stat(filepath.Join(out, "results.jsonl")); err == nil {
			t.Fatalf("%v: work started before the guard", c.args)
		}
	}
}

// TestSweepUnknownMetric: the name is checked after the first replication;
// the error is a usage error and leaves the directory reusable.
func TestSweepUnknownMetric(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"sweep", "-vary", "servers=2,3", "-set", "duration=1s", "-set", "warmup=0s", "-out", out}
	code, _, stderr := cli(append(args, "-metrics", "wait_mean_ns,nope", "mmc")...)
	if code != 2 || !strings.Contains(stderr, `unknown metric "nope" (metrics of mmc: completed,`) {
		t.Fatalf("exit %d %q", code, stderr)
	}
	if code, stdout, stderr := cli(append(args, "-metrics", "wait_mean_ns", "mmc")...); code != 0 || !strings.HasPrefix(stdout, "servers,wait_mean_ns_mean,") {
		t.Fatalf("rerun: exit %d %q %q", code, stdout, stderr)
	}
}

// TestSweepShardsMerge runs a sweep whole and as three shards (one through
// -shard auto), merges them and checks the CSV is byte-identical.
func TestSweepShardsMerge(t *testing.T) {
	tmp := t.TempDir()
	common := []string{"sweep", "-vary", "servers=2:8:*2", "-vary", "service.mean=250us,500us", "-set", "duration=2s", "-set", "warmup=200ms", "-reps", "2"}
	whole := filepath.Join(tmp, "whole")
	code, stdout, stderr := cli(append(common, "-out", whole, "mmc")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	csv, _ := os.ReadFile(filepath.Join(whole, "results.csv"))
	if stdout != string(csv) || !strings.HasPrefix(stdout, "servers,service.mean,completed_mean,") {
		t.Fatalf("stdout is not results.csv:\n%s", stdout)
	}
	for _, f := range []string{"results.jsonl", "index.html", "wait_mean_ns.png", "wait_mean_ns.svg", "wait_mean_ns_heat.png", "sweep.json"} {
		if _, err := os.Stat(filepath.Join(whole, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	if !strings.Contains(stderr, "progress: 6/6 points (100%)") {
		t.Errorf("no plain progress line on a non-terminal: %q", stderr)
	}
	shards := filepath.Join(tmp, "shard-{shard}")
	for _, s := range []string{"0/3", "2/3"} {
		if code, _, stderr := cli(append(common, "-shard", s, "-parallel", "1", "-out", shards, "mmc")...); code != 0 {
			t.Fatalf("shard %s: %s", s, stderr)
		}
	}
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	t.Setenv("JOB_COMPLETIONS", "3")
	if code, _, stderr := cli(append(common, "-shard", "auto", "-out", shards, "mmc")...); code != 0 {
		t.Fatalf("shard auto: %s", stderr)
	}
	merged := filepath.Join(tmp, "merged")
	code, stdout, stderr = cli("merge", filepath.Join(tmp, "shard-2"), filepath.Join(tmp, "shard-0"), "-out", merged, filepath.Join(tmp, "shard-1"))
	if code != 0 {
		t.Fatalf("merge: %s", stderr)
	}
	got, _ := os.ReadFile(filepath.Join(merged, "results.csv"))
	if !bytes.Equal(got, csv) || stdout != string(csv) {
		t.Fatalf("merged CSV differs:\n%s\nwant\n%s", got, csv)
	}
	// A missing shard is reported, not silently accepted.
	_, _, stderr = cli("merge", filepath.Join(tmp, "shard-0"), "-out", filepath.Join(tmp, "partial"))
	if !strings.Contains(stderr, "4 of 6 points are missing") {
		t.Errorf("partial merge: %q", stderr)
	}
	// Reusing an output directory needs -resume, which then has nothing to do.
	if code, _, stderr := cli(append(common, "-out", whole, "mmc")...); code != 1 || !strings.Contains(stderr, "pass -resume") {
		t.Errorf("rerun into %s: exit %d %q", whole, code, stderr)
	}
	if code, stdout, _ := cli(append(common, "-out", whole, "-resume", "mmc")...); code != 0 || stdout != string(csv) {
		t.Errorf("resume of a finished sweep: exit %d", code)
	}
	if code, _, stderr := cli("merge", "-out", merged); code != 2 || !strings.Contains(stderr, "want at least one input DIR") {
		t.Errorf("merge without inputs: %d %q", code, stderr)
	}
}

func TestPlanCLI(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := cli("plan", "-search", "servers=1:64", "-slo", "wait_mean_ns<=1ms", "-set", "duration=20s", "-set", "warmup=2s", "-out", out, "mmc")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	// Erlang C for λ=3200/s, 1 ms service: Wq(3) = 2.1 ms, Wq(4) = 0.75 ms.
	if lines[0] != "servers=4" {
		t.Fatalf("first line %q, want servers=4\n%s", lines[0], stdout)
	}
	for _, want := range []string{"evidence (wait_mean_ns<=1ms", "<- answer", "bottleneck at the answer (servers=4): servers", "bottleneck just below (servers=3): servers, saturated"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "plan_wait_mean_ns.png")); err != nil {
		t.Error(err)
	}
	code, stdout, _ = cli("plan", "-search", "servers=1:3", "-slo", "wait_mean_ns<=1ms", "-set", "duration=5s", "-set", "warmup=1s", "-out", "", "mmc")
	if code != 1 || !strings.HasPrefix(stdout, "no value of servers in 1..3 meets every SLO; best: servers=3") {
		t.Fatalf("none in range: exit %d\n%s", code, stdout)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-search", "servers=1:4", "mmc"}, "at least one -slo"},
		{[]string{"-slo", "wait_mean_ns<=1ms", "mmc"}, "-search KEY=LO:HI is required"},
		{[]string{"-slo", "wait_mean_ns<=soon", "-search", "servers=1:4", "mmc"}, "bad value \"soon\""},
		{[]string{"-slo", "wait_mean_ns<=1ms", "-search", "nope=1:4", "mmc"}, `unknown key "nope"`},
		{[]string{"-slo", "nope<=1ms", "-search", "servers=1:2", "-set", "duration=1s", "-set", "warmup=0s", "mmc"}, `unknown metric "nope"`},
	} {
		code, _, stderr := cli(append([]string{"plan", "-out", ""}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d %q; want 2 with %q", c.args, code, stderr, c.want)
		}
	}
}

// One seed scheme: `run -seed S` is point 0, replication 0 of a one-point
// `sweep -seed S` (same digest), and `run -reps R` runs that point's R
// replications (same means).
func TestRunIsSweepPointZero(t *testing.T) {
	sets := []string{"-set", "duration=2s", "-set", "warmup=1ns"}
	code, stdout, stderr := cli(append(append([]string{"run", "-json", "-seed", "7"}, sets...), "mmc")...)
	if code != 0 {
		t.Fatalf("run: exit %d %s", code, stderr)
	}
	var run struct {
		Digest  string             `json:"digest"`
		Metrics map[string]float64 `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(stdout), &run); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := cli(append(append([]string{"sweep", "-seed", "7", "-out", out, "-warmup", "1ns"}, sets...), "mmc")...); code != 0 {
		t.Fatalf("sweep: exit %d %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Point, Rep int
		Digest     string `json:"digest"`
	}
	if err := json.Unmarshal(bytes.SplitN(b, []byte("\n"), 2)[0], &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Point != 0 || rec.Rep != 0 || rec.Digest != run.Digest {
		t.Errorf("run -seed 7 digest %s, sweep -seed 7 point %d rep %d digest %s", run.Digest, rec.Point, rec.Rep, rec.Digest)
	}
	// Three replications: the same runs, so the same mean.
	code, stdout, _ = cli(append(append([]string{"run", "-json", "-seed", "7", "-reps", "3"}, sets...), "mmc")...)
	if code != 0 || json.Unmarshal([]byte(stdout), &run) != nil {
		t.Fatalf("run -reps 3: exit %d", code)
	}
	out3 := filepath.Join(t.TempDir(), "out3")
	code, csv, _ := cli(append(append([]string{"sweep", "-seed", "7", "-reps", "3", "-out", out3, "-metrics", "completed", "-warmup", "1ns"}, sets...), "mmc")...)
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if code != 0 || len(lines) != 2 {
		t.Fatalf("sweep -reps 3: exit %d %q", code, csv)
	}
	mean, _ := strconv.ParseFloat(strings.Split(lines[1], ",")[0], 64)
	if mean != run.Metrics["completed"] {
		t.Errorf("run -reps 3 completed %v, sweep point 0 mean %v (%s)", run.Metrics["completed"], mean, lines[1])
	}
}

// -slo marks the objective on its metric's chart; a bad one is a usage
// error naming the valid metrics.
func TestSweepSLO(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"sweep", "-vary", "servers=2,3", "-set", "duration=1s", "-set", "warmup=0s", "-reps", "2", "-out", out}
	if code, _, stderr := cli(append(args, "-slo", "wait_mean_ns<<1ms", "mmc")...); code != 2 || !strings.Contains(stderr, "bad value") {
		t.Fatalf("bad -slo: exit %d %q", code, stderr)
	}
	if code, _, stderr := cli(append(args, "-slo", "nope<=1ms", "mmc")...); code != 2 || !strings.Contains(stderr, `unknown metric "nope" (metrics of mmc: completed,`) {
		t.Fatalf("unknown -slo metric: exit %d %q", code, stderr)
	}
	if code, _, stderr := cli(append(args, "-resume", "-slo", "wait_mean_ns<=1ms", "mmc")...); code != 0 {
		t.Fatalf("exit %d %q", code, stderr)
	}
	svg, err := os.ReadFile(filepath.Join(out, "wait_mean_ns.svg"))
	if err != nil || !strings.Contains(string(svg), ">SLO wait_mean ≤ 1 ms<") {
		t.Fatalf("wait_mean_ns.svg lacks the SLO (%v)", err)
	}
}
