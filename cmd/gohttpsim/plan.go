package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/gohttpsim/gohttpsim/sim/experiment"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
	"github.com/gohttpsim/gohttpsim/viz/chart"
)

func init() {
	register(&command{
		name:    "plan",
		summary: "find the smallest value of a parameter (or the cheapest configuration over several) meeting every SLO at 95% confidence (capacity planning)",
		usage:   "gohttpsim plan -slo 'METRIC<=VALUE' [-slo ...] -search KEY=LO:HI [-search KEY=SPEC ... -cost EXPR] [-set KEY=VALUE ...] [-calib FILE] [-reps R] [-seed N] [-parallel N] [-out DIR] SCENARIO",
		run:     runPlan,
	})
}

func runPlan(args []string, stdout, stderr io.Writer) error {
	c := commands["plan"]
	fs := flags(c, stderr)
	var slos, searches multiFlag
	fs.Var(&slos, "slo", "an objective METRIC<=VALUE or METRIC>=VALUE; durations convert to ns (latency_p99_ns<=50ms), sizes to bytes, 90% to 0.9 (repeatable: all must hold)")
	fs.Var(&searches, "search", "the parameter to size and its range, KEY=LO:HI (numeric; the SLO metrics must be monotone in it; if raising it hurts, e.g. a load rate, the answer is the largest passing value). Repeat it to search several keys: the first is bisected, every value of the others (KEY=LO:HI, a list 1,2,4 or LO:HI:*2) is tried, and -cost picks the cheapest")
	costExpr := fs.String("cost", "", "the cost to minimise over several -search keys: arithmetic over keys (+ - * / parentheses, numbers), e.g. 'server.replicas*GOMAXPROCS'")
	sf := addScenarioFlags(fs, 5, "replications per evaluated value (the SLO must hold at the 95% CI bound); every value runs the same replication seeds (common random numbers)")
	parallel := parallelFlag(fs)
	out := fs.String("out", "plan-out", "directory for the curve charts (PNG and SVG)")
	warmup := fs.Duration("warmup", 0, "fixed warm-up (sets the scenario's warmup parameter); default: the scenario's own")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sc, base, err := sf.scenario(fs)
	if err != nil {
		return err
	}
	if len(searches) == 0 {
		return usagef("-search KEY=LO:HI is required")
	}
	var cost *experiment.Cost
	if *costExpr != "" {
		var err error
		if cost, err = experiment.ParseCost(*costExpr); err != nil {
			return usagef("%v", err)
		}
	} else if len(searches) > 1 {
		return usagef("several -search keys need -cost EXPR to choose between their combinations (e.g. -cost 'server.replicas*GOMAXPROCS')")
	}
	if len(slos) == 0 {
		return usagef("give at least one -slo METRIC<=VALUE")
	}
	pc := &experiment.PlanConfig{Scenario: sc, Base: base, Reps: *sf.reps, Seed: *sf.seed, Parallel: *parallel, Warmup: *warmup, MaxEvents: *sf.maxEvents}
	if pc.Key, pc.Lo, pc.Hi, err = experiment.ParseSearch(searches[0]); err != nil {
		return usagef("%v", err)
	}
	for _, s := range slos {
		o, err := experiment.ParseSLO(s)
		if err != nil {
			return usagef("%v", err)
		}
		pc.SLOs = append(pc.SLOs, o)
	}
	if *warmup < 0 {
		return usagef("-warmup must not be negative")
	}
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return usagef("-out: %v", err)
		}
		probe, err := os.CreateTemp(*out, ".writable-*")
		if err != nil {
			return usagef("-out %s is not writable: %v", *out, err)
		}
		probe.Close()
		os.Remove(probe.Name())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	prefix := ""
	pc.Evaluated = func(e *experiment.Evaluation) {
		verdict := "fails"
		if e.Pass {
			verdict = "meets the SLOs"
		}
		fmt.Fprintf(stderr, "plan: %s%s=%s %s\n", prefix, pc.Key, e.Value, verdict)
	}
	if len(searches) > 1 {
		cpc := &experiment.CostPlanConfig{PlanConfig: *pc, Others: searches[1:], Cost: cost,
			Column: func(settings string) { prefix = settings + " " }}
		res, err := experiment.PlanCost(ctx, cpc)
		if err != nil {
			if ctx.Err() != nil {
				return &exitError{code: 130, msg: "gohttpsim plan: interrupted"}
			}
			return err // a usage error (scenario.ErrUsage) exits 2
		}
		return reportCostPlan(stdout, res, pc, *sf.reps, *out)
	}
	res, err := experiment.Plan(ctx, pc)
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{code: 130, msg: "gohttpsim plan: interrupted"}
		}
		return err // a usage error (scenario.ErrUsage) exits 2
	}
	if res.Found {
		fmt.Fprintf(stdout, "%s=%s\n", res.Key, res.Answer.Value)
	} else {
		fmt.Fprintf(stdout, "no value of %s in %s..%s meets every SLO; best: %s=%s\n", res.Key, pc.Lo, pc.Hi, res.Key, res.Best.Value)
	}
	if res.Largest {
		fmt.Fprintf(stdout, "(the SLO metrics worsen as %s grows: this is the largest value in range that meets them)\n", res.Key)
	}
	printEvidence(stdout, res, *sf.reps)
	if res.Found {
		if cost != nil {
			printCost(stdout, cost, pc.Base, res.Key, res.Answer)
		}
		printBottleneck(stdout, "at the answer", res.Key+"="+res.Answer.Value, res.Answer)
		if res.Neighbour != nil {
			where := "just below"
			if res.Largest {
				where = "just above"
			}
			printBottleneck(stdout, where, res.Key+"="+res.Neighbour.Value, res.Neighbour)
		}
	} else {
		// The most capacity in range: the top of it (the bottom when
		// raising the key hurts).
		top := res.Evaluated[len(res.Evaluated)-1]
		if res.Largest || top.X < res.Best.X {
			top = res.Best
		}
		printCapped(stdout, res.Key+"="+top.Value, top)
		printBottleneck(stdout, "at the best value", res.Key+"="+res.Best.Value, res.Best)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stdout, "warning: %s\n", w)
	}
	if *out != "" {
		stems, err := chart.WritePlan(*out, res)
		if err != nil {
			return fmt.Errorf("charts: %w", err)
		}
		for _, s := range stems {
			fmt.Fprintf(stdout, "chart: %s.png (and .svg)\n", filepath.Join(*out, s))
		}
	}
	if !res.Found {
		return &exitError{code: 1}
	}
	return nil
}

// printEvidence prints one row per evaluated value: each SLO metric's mean
// and 95% CI, and the verdict.
func printEvidence(w io.Writer, res *experiment.PlanResult, reps int) {
	var what []string
	for _, o := range res.SLOs {
		what = append(what, o.Text)
	}
	fmt.Fprintf(w, "\nevidence (%s, judged on the 95%% CI bound, %d replications per value):\n", strings.Join(what, ", "), reps)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := res.Key
	for _, o := range res.SLOs {
		head += "\t" + o.Metric + " mean [95% CI]"
	}
	fmt.Fprintln(tw, head+"\tverdict\t")
	for _, e := range res.Evaluated {
		row := e.Value
		for i, o := range res.SLOs {
			s, _ := e.Point.Summary(o.Metric)
			mark := "ok"
			if !e.Met[i] {
				mark = "MISS"
			}
			row += fmt.Sprintf("\t%s [%s, %s] %s", fmtMetric(scenario.NamedSummary{Name: o.Metric}, s.Mean), fmtMetric(scenario.NamedSummary{Name: o.Metric}, s.Lo), fmtMetric(scenario.NamedSummary{Name: o.Metric}, s.Hi), mark)
		}
		verdict := "fails"
		if e.Pass {
			verdict = "meets"
		}
		if e.Note != "" {
			verdict += " (" + e.Note + ")"
		}
		if res.Found && e == res.Answer {
			verdict += "  <- answer"
		}
		fmt.Fprintln(tw, row+"\t"+verdict+"\t")
	}
	tw.Flush()
}
