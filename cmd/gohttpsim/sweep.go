package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/sim/experiment"
	"github.com/gohttpsim/gohttpsim/viz/chart"
)

func init() {
	register(&command{
		name:    "sweep",
		summary: "run a scenario over a grid of parameters with replications; write CSV, JSONL, charts and index.html",
		usage:   "gohttpsim sweep [-vary KEY=SPEC ...] [-set KEY=VALUE ...] [-calib FILE] [-reps R] [-seed N] [-parallel N] [-out DIR] [-resume] [-shard I/N|auto] [-metrics m1,m2] [-warmup D] [-slo METRIC<=VALUE ...] [-force] SCENARIO",
		run:     runSweep,
	})
}

func runSweep(args []string, stdout, stderr io.Writer) error {
	c := commands["sweep"]
	fs := flags(c, stderr)
	var varies multiFlag
	fs.Var(&varies, "vary", "vary a parameter, KEY=SPEC: a list 1,2,4,8, a range 1:64:1 or a geometric range 1:64:*2 (durations in Go syntax: 1ms:10ms:1ms) (repeatable; the grid is the product)")
	var slos multiFlag
	fs.Var(&slos, "slo", "mark an objective METRIC<=VALUE or METRIC>=VALUE on that metric's charts, as for plan (latency_p99_ns<=50ms; repeatable)")
	sf := addScenarioFlags(fs, 3, "replications per point (95% CIs need at least 2)")
	parallel := parallelFlag(fs)
	out := fs.String("out", "sweep-out", "output directory; \"{shard}\" in it is replaced by the shard index")
	resume := fs.Bool("resume", false, "continue the sweep in -out, skipping finished points")
	shard := fs.String("shard", "", "run only shard I of N (0-based, points i with i%N == I), or \"auto\": I from $JOB_COMPLETION_INDEX, N from -shards or $JOB_COMPLETIONS")
	shards := fs.Int("shards", 0, "shard count for -shard auto (default $JOB_COMPLETIONS)")
	metrics := fs.String("metrics", "", "keep only these metrics, comma-separated (default: all the scenario reports)")
	warmup := fs.String("warmup", "", "warm-up: a duration sets the scenario's warmup parameter and truncates probe series there; default: MSER-5 per replication")
	force := fs.Bool("force", false, "allow grids of more than 100000 points")
	every := fs.Duration("every", 0, "probe sampling interval for warm-up detection (default: duration/500)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sc, base, err := sf.scenario(fs)
	if err != nil {
		return err
	}
	cfg := &experiment.Config{Scenario: sc, Base: base, Reps: *sf.reps, Seed: *sf.seed, Parallel: *parallel,
		Resume: *resume, Force: *force, Every: *every, MaxEvents: *sf.maxEvents}
	for _, v := range varies {
		ax, err := experiment.ParseAxis(base, v)
		if err != nil {
			return usagef("%v", err)
		}
		cfg.Grid.Axes = append(cfg.Grid.Axes, ax)
	}
	if *metrics != "" {
		for _, m := range strings.Split(*metrics, ",") {
			if m = strings.TrimSpace(m); m != "" {
				cfg.Metrics = append(cfg.Metrics, m)
			}
		}
	}
	var objectives []experiment.SLO
	for _, s := range slos {
		o, err := experiment.ParseSLO(s)
		if err != nil {
			return usagef("%v", err)
		}
		objectives = append(objectives, o)
		if len(cfg.Metrics) > 0 && !slices.Contains(cfg.Metrics, o.Metric) {
			cfg.Metrics = append(cfg.Metrics, o.Metric) // keep it to chart it
		}
	}
	if *warmup != "" {
		d, err := time.ParseDuration(*warmup)
		if err != nil || d <= 0 {
			return usagef("-warmup %q: want a positive Go duration such as 5s", *warmup)
		}
		cfg.Warmup = d
	}
	if cfg.Shard, cfg.Shards, err = parseShard(*shard, *shards, os.Getenv); err != nil {
		return usagef("%v", err)
	}
	cfg.Dir = strings.ReplaceAll(*out, "{shard}", strconv.Itoa(cfg.Shard))
	if err := cfg.Check(); err != nil {
		if errors.Is(err, experiment.ErrExists) {
			return err
		}
		return usagef("%v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg.Progress = newProgress(stderr, "points")
	res, err := experiment.Run(ctx, cfg)
	if errors.Is(err, experiment.ErrUnknownMetric) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "gohttpsim sweep: %s\n", w)
	}
	if len(res.Points) > 0 {
		names := experiment.MetricNames(res.Points)
		for _, o := range objectives {
			if !slices.Contains(names, o.Metric) {
				return usagef("-slo %s: %v %q (metrics of %s: %s)", o.Text, experiment.ErrUnknownMetric, o.Metric, sc.Name, strings.Join(names, ", "))
			}
		}
	}
	if err := chart.WriteSweep(cfg.Dir, res, *parallel, objectives...); err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	if err := copyFile(stdout, filepath.Join(cfg.Dir, experiment.CSVFile)); err != nil {
		return err
	}
	if res.Interrupted {
		return &exitError{code: 130, msg: fmt.Sprintf("gohttpsim sweep: interrupted after %d points; the finished ones are in %s: run again with -resume to finish", len(res.Points), cfg.Dir)}
	}
	fmt.Fprintf(stderr, "gohttpsim sweep: wrote %s (results.csv, results.jsonl, charts, index.html)\n", cfg.Dir)
	return nil
}

// parseShard reads -shard "I/N" or "auto" (with -shards or $JOB_COMPLETIONS).
func parseShard(s string, n int, getenv func(string) string) (shard, shards int, err error) {
	switch {
	case s == "":
		if n != 0 {
			return 0, 0, fmt.Errorf("-shards goes with -shard auto")
		}
		return 0, 1, nil
	case s == "auto":
		idx := getenv("JOB_COMPLETION_INDEX")
		if idx == "" {
			return 0, 0, fmt.Errorf("-shard auto: $JOB_COMPLETION_INDEX is not set (it is set in the pods of a Kubernetes Indexed Job)")
		}
		shard, err = strconv.Atoi(idx)
		if err != nil {
			return 0, 0, fmt.Errorf("-shard auto: bad $JOB_COMPLETION_INDEX %q", idx)
		}
		shards = n
		if shards == 0 {
			c := getenv("JOB_COMPLETIONS")
			if c == "" {
				return 0, 0, fmt.Errorf("-shard auto: give the shard count with -shards N or $JOB_COMPLETIONS")
			}
			if shards, err = strconv.Atoi(c); err != nil {
				return 0, 0, fmt.Errorf("-shard auto: bad $JOB_COMPLETIONS %q", c)
			}
		}
	default:
		a, b, ok := strings.Cut(s, "/")
		var e1, e2 error
		shard, e1 = strconv.Atoi(a)
		shards, e2 = strconv.Atoi(b)
		if !ok || e1 != nil || e2 != nil {
			return 0, 0, fmt.Errorf("-shard %q: want I/N (0-based, e.g. 0/4) or auto", s)
		}
	}
	if shards < 1 || shard < 0 || shard >= shards {
		return 0, 0, fmt.Errorf("-shard %d/%d: want 0 <= I < N", shard, shards)
	}
	return shard, shards, nil
}

func copyFile(w io.Writer, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, bytes.NewReader(b))
	return err
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// newProgress returns a progress callback: a redrawn bar with ETA on a
// terminal, otherwise a plain line at most every 2 s (and at the end). The
// ETA extrapolates the rate of this run, not of points loaded by -resume.
func newProgress(w io.Writer, what string) func(done, total int) {
	tty := isTerminal(w)
	start := time.Now()
	first := -1
	var last time.Time
	return func(done, total int) {
		if first < 0 {
			first = done
		}
		now := time.Now()
		el := now.Sub(start)
		eta := "?"
		if done > first {
			eta = (time.Duration(float64(el) / float64(done-first) * float64(total-done))).Round(time.Second).String()
		}
		pct := 100.0
		if total > 0 {
			pct = 100 * float64(done) / float64(total)
		}
		if tty {
			const width = 30
			fill := int(pct / 100 * width)
			bar := strings.Repeat("=", fill) + strings.Repeat(" ", width-fill)
			fmt.Fprintf(w, "\r[%s] %d/%d %s %3.0f%%  elapsed %v  ETA %s ", bar, done, total, what, pct, el.Round(time.Second), eta)
			if done == total {
				fmt.Fprintln(w)
			}
			return
		}
		if done == total || now.Sub(last) >= 2*time.Second {
			last = now
			fmt.Fprintf(w, "progress: %d/%d %s (%.0f%%), elapsed %v, ETA %s\n", done, total, what, pct, el.Round(time.Millisecond), eta)
		}
	}
}
