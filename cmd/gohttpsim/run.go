package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	_ "github.com/gohttpsim/gohttpsim/model/scenarios"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

func init() {
	register(&command{
		name:    "run",
		summary: "run a built-in scenario and print its metrics",
		usage:   "gohttpsim run [-json] [-seed N] [-reps R] [-set KEY=VALUE ...] [-calib FILE] [-max-events N] [-series FILE.csv [-every D]] [-trace FILE] SCENARIO",
		run:     runRun,
	})
}

func runRun(args []string, stdout, stderr io.Writer) error {
	c := commands["run"]
	fs := flags(c, stderr)
	asJSON := fs.Bool("json", false, "print one JSON object")
	sf := addScenarioFlags(fs, 1, "independent replications (R > 1 adds 95% confidence intervals)")
	series := fs.String("series", "", "write metrics sampled over simulated time to this CSV file")
	every := fs.Duration("every", 100*time.Millisecond, "sampling interval for -series (simulated time)")
	trace := fs.String("trace", "", "write the model's trace (e.g. HTTP/2 frames as JSON lines) to this file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sc, vals, err := sf.scenario(fs)
	if err != nil {
		return err
	}
	if *every <= 0 {
		return usagef("-every must be a positive duration")
	}
	opt := scenario.Options{MaxEvents: *sf.maxEvents}
	if *series != "" {
		opt.Every = *every
	}
	var traceFile *os.File
	if *trace != "" {
		traceFile, err = os.Create(*trace)
		if err != nil {
			return err
		}
		defer traceFile.Close()
		opt.Env.Trace = traceFile
	}
	setSoftMemoryLimit()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opt.Ctx = ctx
	res, err := scenario.RunReps(sc, vals, *sf.seed, *sf.reps, opt)
	if err != nil {
		return err
	}
	if *series != "" {
		if err := writeSeries(*series, res.Reps[0]); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "gohttpsim run: interrupted; reporting the %d replication(s) run so far\n", len(res.Reps))
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(resultJSON(res))
	}
	printResult(stdout, res)
	return nil
}

// runJSON is the `run -json` contract.
type runJSON struct {
	Scenario  string           `json:"scenario"`
	Seed      uint64           `json:"seed"`
	Reps      int              `json:"reps"`
	Params    *scenario.Values `json:"params"`
	SimTimeNs int64            `json:"sim_time_ns"`
	Events    uint64           `json:"events"`
	WallNs    int64            `json:"wall_ns"`
	Digest    string           `json:"digest"`
	Truncated bool             `json:"truncated"`
	Metrics   orderedNums      `json:"metrics"`
	CI95      orderedPairs     `json:"ci95,omitempty"`
	Units     orderedStrings   `json:"units"` // each metric's unit (sim/scenario's "Metric units")
}

func resultJSON(res *scenario.Result) runJSON {
	out := runJSON{Scenario: res.Scenario, Seed: res.Seed, Reps: len(res.Reps), Params: res.Params,
		Digest: sim.DigestString(res.Digest())}
	for _, r := range res.Reps {
		out.SimTimeNs = max(out.SimTimeNs, int64(r.SimTime))
		out.Events += r.Events
		out.WallNs += r.Wall.Nanoseconds()
		out.Truncated = out.Truncated || r.Truncated
	}
	for _, s := range res.Summaries {
		out.Metrics = append(out.Metrics, named{s.Name, s.Mean})
		out.Units = append(out.Units, [2]string{s.Name, s.Unit})
		if len(res.Reps) > 1 {
			out.CI95 = append(out.CI95, namedPair{s.Name, [2]float64{s.Lo, s.Hi}})
		}
	}
	return out
}

type named struct {
	k string
	v float64
}
type orderedNums []named

// MarshalJSON writes an object in order; non-finite values become null.
func (o orderedNums) MarshalJSON() ([]byte, error) {
	return scenario.OrderedObject(len(o), func(i int) (string, string) { return o[i].k, scenario.JSONNum(o[i].v) }), nil
}

type orderedStrings [][2]string

// MarshalJSON writes an object of strings in order.
func (o orderedStrings) MarshalJSON() ([]byte, error) {
	return scenario.OrderedObject(len(o), func(i int) (string, string) {
		v, _ := json.Marshal(o[i][1])
		return o[i][0], string(v)
	}), nil
}

type namedPair struct {
	k string
	v [2]float64
}
type orderedPairs []namedPair

func (o orderedPairs) MarshalJSON() ([]byte, error) {
	return scenario.OrderedObject(len(o), func(i int) (string, string) {
		return o[i].k, "[" + scenario.JSONNum(o[i].v[0]) + "," + scenario.JSONNum(o[i].v[1]) + "]"
	}), nil
}

func printResult(w io.Writer, res *scenario.Result) {
	j := resultJSON(res)
	fmt.Fprintf(w, "scenario %s  seed %d  reps %d  digest %s\n", j.Scenario, j.Seed, j.Reps, j.Digest)
	trunc := ""
	if j.Truncated {
		trunc = "  TRUNCATED (a guard or an interrupt stopped the run early)"
	}
	fmt.Fprintf(w, "simulated %v  events %d  wall %v%s\n", time.Duration(j.SimTimeNs), j.Events, time.Duration(j.WallNs).Round(time.Millisecond), trunc)
	fmt.Fprintf(w, "params:")
	for _, p := range res.Params.Defs() {
		fmt.Fprintf(w, " %s=%s", p.Key, res.Params.Raw(p.Key))
	}
	fmt.Fprintln(w)
	for _, s := range res.Summaries {
		line := fmt.Sprintf("  %-28s %s", s.Name, fmtMetric(s, s.Mean))
		if len(res.Reps) > 1 {
			line += fmt.Sprintf("   95%% CI [%s, %s]", fmtMetric(s, s.Lo), fmtMetric(s, s.Hi))
		}
		fmt.Fprintln(w, line)
	}
}

// fmtMetric prints a metric by its declared unit (sim/scenario's "Metric
// units"): ns as durations, B in KiB, MiB or GiB, others as numbers.
func fmtMetric(m scenario.NamedSummary, v float64) string {
	switch m.Unit {
	case "ns":
		return time.Duration(v).Round(time.Duration(max(1, int64(v/1e4)))).String()
	case "B":
		switch {
		case v >= 1<<30:
			return fmt.Sprintf("%.2f GiB", v/(1<<30))
		case v >= 1<<20:
			return fmt.Sprintf("%.1f MiB", v/(1<<20))
		case v >= 1<<10:
			return fmt.Sprintf("%.1f KiB", v/(1<<10))
		}
		return fmt.Sprintf("%.0f B", v)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

func writeSeries(path string, r *scenario.Rep) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if len(r.SeriesCols) == 0 {
		f.Close()
		return fmt.Errorf("scenario %q has no time series", path)
	}
	fmt.Fprintln(f, strings.Join(r.SeriesCols, ","))
	for _, row := range r.Series {
		parts := make([]string, len(row))
		for i, v := range row {
			parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		fmt.Fprintln(f, strings.Join(parts, ","))
	}
	return f.Close()
}

// setSoftMemoryLimit keeps the simulator's own heap near its live size
// (gcpolicy.go): a floor of 900 MB, so a mid-size run such as million at
// its default million clients (~0.5 GB live) stays under 1 GB.
func setSoftMemoryLimit() { softMemoryLimit(900 << 20) }
