package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

func init() {
	register(&command{
		name:    "calibrate",
		summary: "measure this machine's costs with real Go benchmarks and write a calibration file for -calib",
		usage:   "gohttpsim calibrate [-out FILE] [-requests N]",
		run:     runCalibrate,
	})
}

func runCalibrate(args []string, stdout, stderr io.Writer) error {
	c := commands["calibrate"]
	fs := flags(c, stderr)
	out := fs.String("out", "", "write the calibration file here (default: stdout)")
	requests := fs.Int("requests", 20000, "requests per HTTP measurement (loopback)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *requests < 100 || *requests > 10_000_000 {
		return usagef("-requests must be between 100 and 10000000")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cal, err := calibrate.Measure(ctx, calibrate.MeasureOptions{Requests: *requests, Progress: stderr})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := cal.Write(&buf); err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "calibrate: wrote %s\n", *out)
	return nil
}

// calibFlag declares -calib on fs, for run, sweep, plan and validate.
func calibFlag(fs *flag.FlagSet) *string {
	return fs.String("calib", "", "calibration file from 'gohttpsim calibrate': its measured costs replace the scenario's defaults (an explicit -set still wins)")
}

// parseWithCalib parses a scenario's parameters as scenario.Parse does,
// with the calibration file at path (if any) applied between the defaults
// and the -set values. Every error is a usage error.
func parseWithCalib(defs []scenario.Param, path string, sets []string) (*scenario.Values, error) {
	var cal *calibrate.Calibration
	if path != "" {
		var err error
		if cal, err = calibrate.Load(path); err != nil {
			return nil, usagef("%v", err)
		}
	}
	vals, err := calibrate.ParseWith(defs, cal, sets)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return vals, nil
}
