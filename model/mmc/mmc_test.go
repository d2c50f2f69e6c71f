package mmc_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/mmc"
	_ "github.com/gohttpsim/gohttpsim/model/scenarios"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

func TestErlangCClosedForm(t *testing.T) {
	// Known values: c=1 is M/M/1 (P(wait)=ρ, Wq=ρ/(μ-λ)); c=2, a=1: C=1/3.
	p, w := mmc.ErlangC(1, 900, 1000)
	if math.Abs(p-0.9) > 1e-12 || math.Abs(w-0.009) > 1e-12 {
		t.Fatalf("M/M/1: %v %v", p, w)
	}
	p, _ = mmc.ErlangC(2, 1, 1)
	if math.Abs(p-1.0/3) > 1e-12 {
		t.Fatalf("c=2 a=1: %v", p)
	}
}

// The simulated mean wait agrees with Erlang C within the replications' 95%
// confidence interval for loads up to ρ = 0.95, and Little's law holds.
func TestMMCAgainstErlangC(t *testing.T) {
	sc := scenario.Lookup("mmc")
	points := []struct {
		c   int
		rho float64
		dur time.Duration
	}{
		{1, 0.5, 100 * time.Second},
		{2, 0.8, 100 * time.Second},
		{4, 0.9, 100 * time.Second},
		{16, 0.7, 30 * time.Second},
		{1, 0.95, 400 * time.Second},
		{8, 0.95, 100 * time.Second},
	}
	if testing.Short() {
		points = points[:3]
	}
	const mean = time.Millisecond
	for _, pt := range points {
		t.Run(fmt.Sprintf("c=%d/rho=%.2f", pt.c, pt.rho), func(t *testing.T) {
			mu := 1e9 / float64(mean)
			lambda := pt.rho * float64(pt.c) * mu
			vals, err := scenario.Parse(sc.Params, []string{
				fmt.Sprintf("servers=%d", pt.c), fmt.Sprintf("load.rate=%g", lambda),
				"service.mean=1ms", "duration=" + pt.dur.String(), "warmup=5s",
			})
			if err != nil {
				t.Fatal(err)
			}
			res, err := scenario.RunReps(sc, vals, 11, 12, scenario.Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, wq := mmc.ErlangC(pt.c, lambda, mu)
			wqNs := wq * 1e9
			s := summary(res, "wait_mean_ns")
			if wqNs < s.Lo || wqNs > s.Hi {
				t.Errorf("Erlang C Wq = %.0f ns outside the 95%% CI [%.0f, %.0f] (mean %.0f)", wqNs, s.Lo, s.Hi, s.Mean)
			}
			u := summary(res, "utilization")
			if math.Abs(u.Mean-pt.rho) > 0.02 {
				t.Errorf("utilization %.3f, want %.3f", u.Mean, pt.rho)
			}
			// Little's law per replication: L = λW.
			for _, r := range res.Reps {
				L, _ := r.Metric("in_system_mean")
				X, _ := r.Metric("throughput_rps")
				W, _ := r.Metric("latency_mean_ns")
				if rel := math.Abs(L-X*W/1e9) / L; rel > 0.02 {
					t.Errorf("Little's law: L=%.3f, λW=%.3f (rel %.3f)", L, X*W/1e9, rel)
				}
			}
		})
	}
}

func summary(res *scenario.Result, name string) scenario.NamedSummary {
	for _, s := range res.Summaries {
		if s.Name == name {
			return s
		}
	}
	panic("no metric " + name)
}
