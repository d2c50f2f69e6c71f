package main

import (
	"flag"
	"strings"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// scenarioFlags are the flags run, sweep and plan share: the scenario's
// parameters (-set, -calib), the seed, the replications and the event
// guard, declared once so that they mean the same in every command.
type scenarioFlags struct {
	sets      multiFlag
	calib     *string
	seed      *uint64
	reps      *int
	maxEvents *uint64
}

// addScenarioFlags declares the shared flags on fs; reps is the command's
// default replication count and repsHelp says what a replication is there.
func addScenarioFlags(fs *flag.FlagSet, reps int, repsHelp string) *scenarioFlags {
	f := &scenarioFlags{}
	fs.Var(&f.sets, "set", "set a parameter, KEY=VALUE (repeatable)")
	f.calib = calibFlag(fs)
	f.seed = fs.Uint64("seed", 1, "seed: replication r of design point p uses scenario.Seed(seed, p, r); run is point 0, so run -seed S is point 0 of sweep -seed S")
	f.reps = fs.Int("reps", reps, repsHelp)
	f.maxEvents = fs.Uint64("max-events", 0, "stop each replication after N events (0: the default guard)")
	return f
}

// parallelFlag declares -parallel, for sweep and plan.
func parallelFlag(fs *flag.FlagSet) *int {
	return fs.Int("parallel", 0, "replications run at once (0: GOMAXPROCS)")
}

// scenario returns the scenario named by the one argument left in fs and
// its parameters (defaults, then the calibration file, then -set). Every
// error is a usage error.
func (f *scenarioFlags) scenario(fs *flag.FlagSet) (*scenario.Scenario, *scenario.Values, error) {
	if fs.NArg() != 1 {
		return nil, nil, usagef("want exactly one SCENARIO (valid: %s)", strings.Join(scenario.Names(), ", "))
	}
	if *f.reps < 1 {
		return nil, nil, usagef("-reps must be at least 1")
	}
	sc, err := scenario.Find(fs.Arg(0))
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	vals, err := parseWithCalib(sc.Params, *f.calib, f.sets)
	if err != nil {
		return nil, nil, err
	}
	return sc, vals, nil
}
