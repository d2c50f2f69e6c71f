package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
	"github.com/gohttpsim/gohttpsim/cmd/internal/validate"
)

func init() {
	register(&command{
		name:    "validate",
		summary: "run real experiments on 127.0.0.1 and the simulator side by side; exit 0 when all agree",
		usage:   "gohttpsim validate [-json] [-only NAME] [-runs K] [-reps R] [-calib FILE] [-list]",
		run:     runValidate,
	})
}

func runValidate(args []string, stdout, stderr io.Writer) error {
	c := commands["validate"]
	fs := flags(c, stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per (case, metric) row")
	only := fs.String("only", "", "run only the case NAME, or every case under NAME/ (e.g. pool)")
	runs := fs.Int("runs", 3, "real runs per case (K): the real band is min / median / max over them")
	reps := fs.Int("reps", 5, "simulated replications per case (R): mean and 95% CI")
	calibPath := calibFlag(fs)
	list := fs.Bool("list", false, "list the cases and exit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *runs < 1 || *runs > 100 {
		return usagef("-runs must be between 1 and 100")
	}
	if *reps < 1 || *reps > 1000 {
		return usagef("-reps must be between 1 and 1000")
	}
	cases := validate.All()
	if *list {
		for _, cs := range cases {
			fmt.Fprintf(stdout, "%-32s %s\n", cs.Name, cs.Doc)
		}
		return nil
	}
	sel := validate.Select(cases, *only)
	if len(sel) == 0 {
		return usagef("no case named %q (valid: %s)", *only, strings.Join(validate.Names(cases), ", "))
	}
	var cal *calibrate.Calibration
	if *calibPath != "" {
		var err error
		if cal, err = calibrate.Load(*calibPath); err != nil {
			return usagef("%v", err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	rows, err := validate.Run(ctx, sel, validate.Options{Runs: *runs, Reps: *reps, Calib: cal, Progress: stderr})
	if err != nil && ctx.Err() == nil {
		return err
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "gohttpsim validate: interrupted; reporting the %d row(s) done so far\n", len(rows))
	}
	fmt.Fprintf(stderr, "gohttpsim validate: %d case(s) in %v\n", len(sel), time.Since(start).Round(time.Millisecond))
	if *asJSON {
		err = validate.WriteJSON(stdout, rows)
	} else {
		err = validate.WriteTable(stdout, rows)
	}
	if err != nil {
		return err
	}
	if !validate.AllAgree(rows) || ctx.Err() != nil {
		return &exitError{code: 1}
	}
	return nil
}
