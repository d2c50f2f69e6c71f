package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The DB-bound plan: every replica shares one database of 16
// workers at 2 ms per query (8,000 queries/s). At 20,000 req/s no replica
// count meets the SLO; plan exits 1 and names the database. At 6,000 req/s
// on one P per replica it answers: two replicas carry the CPU (the SLO is
// 30 ms there: the p99 of 1 s runs, ~10 ms, scatters up to 20 ms).
func TestPlanSharedDatabase(t *testing.T) {
	args := func(rate, slo string) []string {
		return []string{"plan", "-search", "server.replicas=1:32", "-slo", "latency_p99_ns<=" + slo, "-set", "handler.kind=sequence",
			"-set", "handler.sequence=cpu(200us)+db(exp(2ms))+cpu(50us)", "-set", "DB.MaxOpenConns=25", "-set", "load.rate=" + rate,
			"-set", "GOMAXPROCS=1", "-set", "duration=1s", "-reps", "3", "-out", "", "throughput"}
	}
	code, stdout, stderr := cli(args("20000", "20ms")...)
	if code != 1 {
		t.Fatalf("20000 req/s: exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"no value of server.replicas in 1..32 meets every SLO",
		"capped by a shared resource at server.replicas=32: the shared database (db.workers, db.max_connections): 100% busy"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("20000 req/s: output lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, stderr = cli(args("6000", "30ms")...)
	if code != 0 || !strings.HasPrefix(stdout, "server.replicas=2\n") {
		t.Fatalf("6000 req/s: exit %d, want server.replicas=2\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stdout, "capped by") {
		t.Errorf("6000 req/s: nothing should be capped:\n%s", stdout)
	}
}

// Two keys and a cost on the M/M/c scenario: 1 ms servers at price 1 or
// 2 ms servers at price 1/2 (see TestPlanCostMatchesErlangC for the
// closed form); the plan prints the cheapest, the evidence per column and
// the frontier charts.
func TestPlanCostCLI(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := cli("plan", "-search", "servers=1:12", "-search", "service.mean=1ms,2ms,8ms", "-cost", "servers*1e6/service.mean",
		"-slo", "wait_mean_ns<=150us", "-set", "load.rate=2000", "-set", "duration=5s", "-set", "warmup=500ms", "-reps", "3", "-out", out, "mmc")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	for _, want := range []string{"servers=7 service.mean=2ms\n", "cost servers*1e6/service.mean = 3.5", "<- cheapest", "service.mean=8ms  none ≤ 12"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"plan_frontier.png", "plan_cost.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-search", "servers=1:4", "-search", "service.mean=1ms,2ms", "mmc"}, "need -cost EXPR"},
		{[]string{"-search", "servers=1:4", "-search", "service.mean=1ms,2ms", "-cost", "servers*(", "mmc"}, "column 10: expression ends early"},
		{[]string{"-search", "servers=1:4", "-search", "service.mean=1ms,2ms", "-cost", "servers*cores", "mmc"}, `unknown key "cores"`},
		{[]string{"-search", "servers=1:4", "-search", "nope=1:2", "-cost", "servers", "mmc"}, `unknown key "nope"`},
	} {
		code, _, stderr := cli(append([]string{"plan", "-out", "", "-slo", "wait_mean_ns<=1ms"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d %q; want 2 with %q", c.args, code, stderr, c.want)
		}
	}
}
