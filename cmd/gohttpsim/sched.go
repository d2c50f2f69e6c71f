package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gohttpsim/gohttpsim/model/goprog"
	"github.com/gohttpsim/gohttpsim/sim"
)

func init() {
	register(&command{
		name:    "sched",
		summary: "run a small Go program on the scheduler model and print its output",
		usage:   "gohttpsim sched [-GOMAXPROCS N] [-json] [-seed N] [-trace FILE] [-max-events N] PROG.go",
		run:     runSched,
	})
}

// schedMemLimit is the soft memory limit of `gohttpsim sched`.
const schedMemLimit = 400 << 20

func runSched(args []string, stdout, stderr io.Writer) error {
	c := commands["sched"]
	fs := flags(c, stderr)
	procs := fs.Int("GOMAXPROCS", 1, "number of Ps")
	asJSON := fs.Bool("json", false, "print one JSON object instead of the program's output")
	seed := fs.Uint64("seed", 1, "random seed (steal order, select)")
	traceFile := fs.String("trace", "", "write one line per execute (time P G) to FILE")
	maxEvents := fs.Uint64("max-events", 0, "stop after N events (0: no limit)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("want exactly one PROG.go")
	}
	if *procs < 1 || *procs > 1024 {
		return usagef("-GOMAXPROCS %d out of range [1, 1024]", *procs)
	}
	// A soft limit following the live heap (gcpolicy.go): a million
	// goroutines fit in ~300 MB RSS, ten million in under 3 GB.
	softMemoryLimit(schedMemLimit)
	path := fs.Arg(0)
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	prog, err := goprog.Compile(path, src)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	opt := goprog.Options{GOMAXPROCS: *procs, Seed: *seed, MaxEvents: *maxEvents}
	if *traceFile != "" {
		f, err := os.Create(*traceFile)
		if err != nil {
			return err
		}
		defer f.Close()
		opt.Trace = f
	}
	res := goprog.Run(prog, opt)
	st := res.Stats
	if *asJSON {
		lines := strings.Split(strings.TrimSuffix(res.Stdout, "\n"), "\n")
		if res.Stdout == "" {
			lines = []string{}
		}
		busy := make([]int64, len(res.PerP))
		ticks := make([]uint32, len(res.PerP))
		for i, p := range res.PerP {
			busy[i] = int64(p.Busy)
			ticks[i] = p.Schedtick
		}
		out := map[string]any{
			"output":          lines,
			"stderr":          res.Stderr,
			"exit_code":       res.ExitCode,
			"deadlock":        res.Deadlock,
			"truncated":       res.Truncated,
			"sim_time_ns":     int64(res.SimTime),
			"goroutines_peak": st.GoroutinesPeak,
			"events":          res.Events,
			"digest":          sim.DigestString(res.Digest),
			"metrics": map[string]any{
				"goroutines_created":   st.Created,
				"steals":               st.Steals,
				"stolen_gs":            st.StolenGs,
				"handoffs":             st.Handoffs,
				"preemptions":          st.Preemptions,
				"spinning_ns":          int64(st.SpinningTime),
				"stack_bytes_peak":     st.StackBytesPeak,
				"runq_mean":            st.RunqMean,
				"runq_peak":            st.RunqPeak,
				"sched_latency_p50_ns": int64(st.SchedLatencyP50),
				"sched_latency_p99_ns": int64(st.SchedLatencyP99),
				"p_busy_ns":            busy,
				"p_schedtick":          ticks,
			},
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		io.WriteString(stdout, res.Stdout)
		io.WriteString(stderr, res.Stderr)
		fmt.Fprintf(stderr, "sched: simulated %v, goroutines peak %d, steals %d, handoffs %d, preemptions %d, events %d\n",
			res.SimTime, st.GoroutinesPeak, st.Steals, st.Handoffs, st.Preemptions, res.Events)
	}
	if res.Truncated {
		return &exitError{code: 1, msg: "sched: stopped by -max-events"}
	}
	if res.ExitCode != 0 {
		return &exitError{code: res.ExitCode}
	}
	return nil
}
