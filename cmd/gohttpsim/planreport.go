package main

// planreport.go prints what plan found: the bottlenecks near saturation at
// a configuration, named as the models name them, and the report of a plan
// over several keys with a cost.

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gohttpsim/gohttpsim/sim/experiment"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
	"github.com/gohttpsim/gohttpsim/viz/chart"
)

// resourceNames names the resources of the HTTP stack's metrics (prefixes
// of the convention in sim/experiment) for people; shared ones serve every
// replica, so adding replicas does not add their capacity.
var resourceNames = map[string]struct {
	label  string
	shared bool
}{
	"":              {"servers", false},
	"cpu":           {"Ps (GOMAXPROCS)", false},
	"gc_cpu":        {"GC", false},
	"host_cpu":      {"host cores (host.cores)", false},
	"cpu_quota":     {"CPU quota (host.cpu.quota)", false},
	"cpu_throttled": {"quota throttling (CFS periods throttled)", false},
	"db_pool":       {"database/sql pool (DB.MaxOpenConns per replica)", false},
	"db":            {"the shared database (db.workers, db.max_connections)", true},
	"backend_pool":  {"Transport pool to the backend", false},
	"backend":       {"the shared backend (backend.workers)", true},
	"accept_queue":  {"accept queue (somaxconn)", false},
	"fds":           {"file descriptors (ulimit.n)", false},
}

func resourceLabel(r experiment.Resource) (string, bool) {
	if n, ok := resourceNames[r.Name]; ok {
		return n.label, n.shared
	}
	return r.Class, false
}

// resources returns the point's resources. Quota throttling
// (cpu_throttled_fraction, from model/host) counts as near saturation from
// the first throttled period: each one stops every thread of the process
// until the period ends, which is what shows up in p99.
func resources(e *experiment.Evaluation) []experiment.Resource {
	rs := experiment.Bottlenecks(e.Point)
	for i := range rs {
		if rs[i].Name != "cpu_throttled" {
			continue
		}
		if s, ok := e.Point.Summary("cpu_throttled_periods"); ok {
			rs[i].Refused = s.Mean
			rs[i].Near = rs[i].Near || s.Mean > 0
		}
	}
	return rs
}

// figure is a resource's figures: busy fraction, wait, refusals.
func figure(r experiment.Resource) string {
	var parts []string
	switch {
	case math.IsNaN(r.Utilization):
	case strings.HasSuffix(r.UtilMetric, "throttled_fraction"):
		parts = append(parts, fmt.Sprintf("throttled in %.0f%% of periods (%s)", 100*r.Utilization, r.UtilMetric))
	default:
		parts = append(parts, fmt.Sprintf("%.0f%% busy (%s)", 100*r.Utilization, r.UtilMetric))
	}
	if !math.IsNaN(r.Wait) {
		parts = append(parts, fmt.Sprintf("wait %s (%s)", round3(time.Duration(r.Wait)), r.WaitMetric))
	}
	if !math.IsNaN(r.Refused) {
		what := "refused (" + r.Name + "_refused)"
		if r.Name == "cpu_throttled" {
			what = "periods throttled (cpu_throttled_periods)"
		}
		parts = append(parts, fmt.Sprintf("%.0f %s", r.Refused, what))
	}
	return strings.Join(parts, ", ")
}

// round3 rounds d to three significant digits.
func round3(d time.Duration) time.Duration {
	m := time.Duration(1)
	for x := d; x >= 1000; x /= 10 {
		m *= 10
	}
	return d.Round(m)
}

// printBottleneck names the busiest resource at e and lists every
// resource, marking those near saturation.
func printBottleneck(w io.Writer, where, setting string, e *experiment.Evaluation) {
	rs := resources(e)
	fmt.Fprintf(w, "\nbottleneck %s (%s): ", where, setting)
	if len(rs) == 0 {
		fmt.Fprintln(w, "the scenario reports no utilization or wait metrics")
		return
	}
	top := rs[0]
	label, _ := resourceLabel(top)
	fmt.Fprintf(w, "%s%s\n", label, saturation(rs))
	for _, r := range rs {
		label, _ := resourceLabel(r)
		mark := "  "
		if r.Near {
			mark = "! "
		}
		fmt.Fprintf(w, "  %s%s: %s\n", mark, label, figure(r))
	}
}

// saturation describes the top resource's load, or says none is near
// saturation.
func saturation(rs []experiment.Resource) string {
	near := 0
	for _, r := range rs {
		if r.Near {
			near++
		}
	}
	switch u := rs[0].Utilization; {
	case strings.HasSuffix(rs[0].UtilMetric, "throttled_fraction") && u > 0:
		return fmt.Sprintf(", throttled in %.0f%% of periods (%d near saturation, marked !)", 100*u, near)
	case near == 0 && !math.IsNaN(u):
		return fmt.Sprintf(", %.0f%% busy: no resource is near saturation", 100*u)
	case near == 0:
		return ": no resource is near saturation"
	case u >= 0.9:
		return fmt.Sprintf(", saturated at %.0f%% (%d near saturation, marked !)", 100*u, near)
	case u >= experiment.NearUtilization:
		return fmt.Sprintf(", busy at %.0f%% (%d near saturation, marked !)", 100*u, near)
	}
	return fmt.Sprintf(" (%d near saturation, marked !)", near)
}

// printCapped says what caps the top of a range where nothing passed: a
// shared resource saturated there (busy 90% or more, or refusing), since
// more of the searched key does not add its capacity; else the resources
// near saturation.
func printCapped(w io.Writer, setting string, e *experiment.Evaluation) {
	var shared, other []string
	for _, r := range resources(e) {
		if !r.Near {
			continue
		}
		label, sh := resourceLabel(r)
		line := label + ": " + figure(r)
		if sh && (r.Utilization >= 0.9 || r.Refused > 0) {
			shared = append(shared, line)
		} else {
			other = append(other, line)
		}
	}
	switch {
	case len(shared) > 0:
		fmt.Fprintf(w, "capped by a shared resource at %s: %s\n", setting, strings.Join(shared, "; "))
		fmt.Fprintf(w, "(every replica uses it: more replicas add no capacity there; raise its own limits or lower the load)\n")
	case len(other) > 0:
		fmt.Fprintf(w, "at %s, near saturation: %s\n", setting, strings.Join(other, "; "))
	}
}

// printCost prints the cost of the configuration base with the answer's
// key=value (automatic keys at the values e reports; see
// experiment.CostValues).
func printCost(w io.Writer, cost *experiment.Cost, base *scenario.Values, key string, e *experiment.Evaluation) {
	at, err := base.With(key, e.Value)
	if err != nil {
		return
	}
	if v, err := cost.Eval(experiment.CostValues(at, e.Point)); err == nil {
		fmt.Fprintf(w, "cost %s = %.4g\n", cost.Text(), v)
	}
}

// reportCostPlan prints a plan over several keys: the cheapest passing
// configuration, one evidence row per combination of the other keys, the
// bottlenecks there, and the frontier chart. It exits 1 if nothing passes.
func reportCostPlan(w io.Writer, res *experiment.CostPlanResult, pc *experiment.PlanConfig, reps int, out string) error {
	if res.Found() {
		a := res.Answer()
		fmt.Fprintf(w, "%s=%s %s\n", res.Key, a.Value, res.Best.Label())
		fmt.Fprintf(w, "cost %s = %.4g, the least of every configuration meeting the SLOs\n", res.Cost.Text(), res.Best.Cost)
	} else {
		fmt.Fprintf(w, "no configuration in range meets every SLO (%s in %s..%s)\n", res.Key, pc.Lo, pc.Hi)
	}
	var what []string
	for _, o := range res.SLOs {
		what = append(what, o.Text)
	}
	fmt.Fprintf(w, "\nevidence (%s, judged on the 95%% CI bound, %d replications per value; %s bisected in each row):\n", strings.Join(what, ", "), reps, res.Key)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "settings\t" + res.Key
	for _, o := range res.SLOs {
		head += "\t" + o.Metric + " mean [95% CI]"
	}
	fmt.Fprintln(tw, head+"\tcost\tverdict\t")
	for _, col := range res.Columns {
		row := col.Label()
		switch {
		case col.Skipped:
			row += "\t-" + strings.Repeat("\t", len(res.SLOs)) + fmt.Sprintf("\t≥ %.4g\tskipped: cannot be cheaper\t", col.MinCost)
			fmt.Fprintln(tw, row)
			continue
		case col.Result.Found && !col.Result.Largest:
			e := col.Result.Answer
			row += "\t" + e.Value + slosRow(res.SLOs, e) + fmt.Sprintf("\t%.4g", col.Cost)
			verdict := "meets"
			if col == res.Best {
				verdict += "  <- cheapest"
			}
			row += "\t" + verdict + "\t"
		default:
			e := col.Result.Best
			if e == nil {
				e = col.Result.Answer
			}
			row += "\tnone ≤ " + pc.Hi + slosRow(res.SLOs, e) + "\t-\tfails (best " + res.Key + "=" + e.Value + ")\t"
		}
		fmt.Fprintln(tw, row)
	}
	tw.Flush()
	if res.Found() {
		printBottleneck(w, "at the answer", res.Key+"="+res.Answer().Value+" "+res.Best.Label(), res.Answer())
		if n := res.Best.Result.Neighbour; n != nil {
			printBottleneck(w, "just below", res.Key+"="+n.Value+" "+res.Best.Label(), n)
		}
	} else if c := res.Closest; c != nil {
		ev := c.Result.Evaluated
		top := ev[len(ev)-1]
		printCapped(w, res.Key+"="+top.Value+" "+c.Label(), top)
		printBottleneck(w, "at the closest", res.Key+"="+c.Result.Best.Value+" "+c.Label(), c.Result.Best)
	}
	for _, warn := range res.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	if out != "" {
		stems, err := chart.WriteCostPlan(out, res)
		if err != nil {
			return fmt.Errorf("charts: %w", err)
		}
		for _, s := range stems {
			fmt.Fprintf(w, "chart: %s.png (and .svg)\n", filepath.Join(out, s))
		}
	}
	if !res.Found() {
		return &exitError{code: 1}
	}
	return nil
}

func slosRow(slos []experiment.SLO, e *experiment.Evaluation) string {
	row := ""
	for i, o := range slos {
		s, _ := e.Point.Summary(o.Metric)
		mark := "ok"
		if !e.Met[i] {
			mark = "MISS"
		}
		row += fmt.Sprintf("\t%s [%s, %s] %s", fmtMetric(scenario.NamedSummary{Name: o.Metric}, s.Mean), fmtMetric(scenario.NamedSummary{Name: o.Metric}, s.Lo), fmtMetric(scenario.NamedSummary{Name: o.Metric}, s.Hi), mark)
	}
	return row
}
