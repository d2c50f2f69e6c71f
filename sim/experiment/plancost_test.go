package experiment

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/mmc"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// TestPlanCostMatchesErlangC buys an M/M/c queue's capacity two ways:
// servers of mean 1 ms at price 1 each, or of mean 2 ms at price 1/2
// (cost = servers*1e6/service.mean, service.mean in ns). Erlang C gives the
// fewest servers meeting the wait SLO in each column, hence the cheapest;
// the planner must find it, and skip a column that cannot win.
func TestPlanCostMatchesErlangC(t *testing.T) {
	const rate = 5000.0
	target := 150 * time.Microsecond
	need := func(mean time.Duration) int {
		for c := 1; ; c++ {
			if float64(c) <= rate*mean.Seconds() {
				continue
			}
			if _, w := mmc.ErlangC(c, rate, 1/mean.Seconds()); w <= target.Seconds() {
				return c
			}
		}
	}
	c1, c2 := need(time.Millisecond), need(2*time.Millisecond)
	cost1, cost2 := float64(c1), float64(c2)/2
	if cost1 == cost2 {
		t.Fatalf("test setup: equal costs %v", cost1)
	}
	sc, base := mmcBase(t, "load.rate=5000", "duration=10s", "warmup=1s")
	slo, _ := ParseSLO("wait_mean_ns<=" + target.String())
	cost, err := ParseCost("servers*1e6/service.mean")
	if err != nil {
		t.Fatal(err)
	}
	res, err := PlanCost(context.Background(), &CostPlanConfig{
		PlanConfig: PlanConfig{Scenario: sc, Base: base, Key: "servers", Lo: "1", Hi: "40", SLOs: []SLO{slo}, Reps: 4, Seed: 1, Parallel: 2},
		// 8 ms servers (price 1/8) have the lowest bound, so they run
		// first, and fail: a = 40 Erlangs needs more than 40 servers.
		// 100 µs servers (price 10) cannot beat the answer: skipped.
		Others: []string{"service.mean=1ms,2ms,8ms,100us"},
		Cost:   cost,
	})
	if err != nil {
		t.Fatal(err)
	}
	want, wantC := "service.mean=1ms", c1
	if cost2 < cost1 {
		want, wantC = "service.mean=2ms", c2
	}
	if !res.Found() || res.Best.Label() != want || res.Answer().Value != itoa(wantC) {
		for _, c := range res.Columns {
			t.Logf("%s skipped=%v cost=%v result=%+v", c.Label(), c.Skipped, c.Cost, c.Result)
		}
		t.Fatalf("best %v, want %s servers=%d (Erlang C: %d at 1ms, cost %v; %d at 2ms, cost %v)", res.Best, want, wantC, c1, cost1, c2, cost2)
	}
	if c := res.Columns[2]; c.Result == nil || c.Result.Found {
		t.Fatalf("the 8 ms column should run first (cheapest bound) and fail: %+v", c)
	}
	if c := res.Columns[3]; !c.Skipped || c.Result != nil {
		t.Fatalf("the 100 µs column (bound %v) should be skipped: %+v", c.MinCost, c)
	}
	if math.IsNaN(res.Best.Cost) || res.Best.Cost != math.Min(cost1, cost2) {
		t.Fatalf("best cost %v, want %v", res.Best.Cost, math.Min(cost1, cost2))
	}
}

func TestPlanCostErrors(t *testing.T) {
	sc, base := mmcBase(t)
	slo, _ := ParseSLO("wait_mean_ns<=1ms")
	cost := func(s string) *Cost {
		c, err := ParseCost(s)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		others []string
		cost   *Cost
		want   string
	}{
		{[]string{"service.mean=1ms,2ms"}, nil, "needs -cost"},
		{[]string{"service.mean=1ms,2ms"}, cost("servers*nope"), `unknown key "nope"`},
		{[]string{"bogus=1:2"}, cost("servers"), `unknown key "bogus"`},
		{[]string{"servers=1:2"}, cost("servers"), "given twice"},
	} {
		_, err := PlanCost(context.Background(), &CostPlanConfig{
			PlanConfig: PlanConfig{Scenario: sc, Base: base, Key: "servers", Lo: "1", Hi: "4", SLOs: []SLO{slo}, Reps: 2, Seed: 1},
			Others:     tc.others, Cost: tc.cost,
		})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %v: error %v, want %q", tc.others, tc.cost, err, tc.want)
		}
	}
}

// A key set to 0 is costed at the value the model reports for it (a metric
// named as the key in lower case with '_' for '.'), when one is given.
func TestCostValuesAutomatic(t *testing.T) {
	_, base := mmcBase(t, "warmup=0s", "servers=3")
	c, _ := ParseCost("servers*warmup")
	p := &Point{Summaries: []scenario.NamedSummary{{Name: "warmup", Summary: stats.Summary{Mean: 4}}}}
	if v, err := c.Eval(CostValues(base, nil)); err != nil || v != 0 {
		t.Errorf("without a point: %v %v, want 0", v, err)
	}
	if v, err := c.Eval(CostValues(base, p)); err != nil || v != 12 {
		t.Errorf("with the reported value: %v %v, want 12", v, err)
	}
}
