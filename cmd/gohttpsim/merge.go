package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/gohttpsim/gohttpsim/sim/experiment"
	"github.com/gohttpsim/gohttpsim/viz/chart"
)

func init() {
	register(&command{
		name:    "merge",
		summary: "join the output directories of sweep shards into the files a single run would have written",
		usage:   "gohttpsim merge DIR... -out DIR",
		run:     runMerge,
	})
}

func runMerge(args []string, stdout, stderr io.Writer) error {
	c := commands["merge"]
	fs := flags(c, stderr)
	out := fs.String("out", "", "output directory (must not hold a sweep)")
	// Flags may come before, between or after the input directories.
	var dirs []string
	rest := args
	for {
		if err := parseFlags(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		dirs = append(dirs, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(dirs) == 0 {
		return usagef("want at least one input DIR")
	}
	if *out == "" {
		return usagef("-out DIR is required")
	}
	res, err := experiment.Merge(dirs, *out)
	if err != nil {
		return err // a usage error (scenario.ErrUsage) exits 2
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "gohttpsim merge: %s\n", w)
	}
	if err := chart.WriteSweep(*out, res, 0); err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	fmt.Fprintf(stderr, "gohttpsim merge: %d points from %d directories into %s\n", len(res.Points), len(dirs), *out)
	return copyFile(stdout, filepath.Join(*out, experiment.CSVFile))
}
