package main

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/gohttpsim/gohttpsim/sim/simbench"
)

func init() {
	register(&command{
		name:    "bench",
		summary: "benchmark the kernel on the hold model against a textbook container/heap baseline",
		usage:   "gohttpsim bench [-json] [-pending N] [-events N]",
		run: func(args []string, stdout, stderr io.Writer) error {
			fs := flags(commands["bench"], stderr)
			asJSON := fs.Bool("json", false, "print one JSON object")
			pending := fs.Int("pending", 1_000_000, "pending events held in the queue")
			events := fs.Uint64("events", 10_000_000, "events to process")
			procs := fs.Int("procs", 1, "GOMAXPROCS while measuring (1: the kernel on one core, as a simulation runs)")
			if err := parseFlags(fs, args); err != nil {
				return err
			}
			if fs.NArg() > 0 {
				return usagef("unexpected argument %q", fs.Arg(0))
			}
			if *pending < 1 || *events < 1 || *procs < 1 {
				return usagef("-pending, -events and -procs must be positive")
			}
			// A simulation is single-threaded; measure it on one core so
			// that the GC's background workers do not share its core's
			// time slices with it, and the baseline likewise.
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(*procs))
			fmt.Fprintf(stderr, "kernel: %d pending, %d events...\n", *pending, *events)
			k := simbench.Hold(*pending, *events, time.Millisecond, 1)
			// The baseline is slower: give it fewer events, at least 1M.
			be := max(min(*events, 1_000_000), *events/4)
			fmt.Fprintf(stderr, "baseline: %d pending, %d events...\n", *pending, be)
			b := simbench.HoldBaseline(*pending, be, time.Millisecond, 1)
			out := struct {
				simbench.HoldResult
				BaselineEventsPerSec float64 `json:"baseline_events_per_sec"`
				Speedup              float64 `json:"speedup"`
			}{k, b.EventsPerSec, k.EventsPerSec / b.EventsPerSec}
			if *asJSON {
				return json.NewEncoder(stdout).Encode(out)
			}
			fmt.Fprintf(stdout, "pending %d  events %d\nkernel    %.2fM events/s  %.3f allocs/event\nbaseline  %.2fM events/s (container/heap, one allocated event+closure per schedule)\nspeedup   %.2fx\n",
				k.Pending, k.Events, k.EventsPerSec/1e6, k.AllocsPerEvent, b.EventsPerSec/1e6, out.Speedup)
			return nil
		},
	})
}
