package validate

import (
	"errors"
	"fmt"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
	_ "github.com/gohttpsim/gohttpsim/model/scenarios" // registers the built-in scenarios
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// simSeed is the base seed of every simulated side; replication rep uses
// scenario.Seed(simSeed, 0, rep), as `gohttpsim run -seed 1 -reps R` does.
const simSeed = 1

// runScenario runs replication rep of the built-in scenario name with the
// parameters sets (KEY=VALUE) after applying cal, and returns the named
// metrics. A scenario that is not registered, or that lacks one of the keys
// or metrics, means its model has not landed in the form this case needs:
// ErrModelNotAvailable.
func runScenario(name string, sets []string, metrics []string, rep int, cal *calibrate.Calibration) ([]float64, error) {
	sc := scenario.Lookup(name)
	if sc == nil {
		return nil, fmt.Errorf("%w (no %q scenario)", ErrModelNotAvailable, name)
	}
	vals, err := calibrate.ParseWith(sc.Params, cal, sets)
	if pe := (*scenario.ParamError)(nil); errors.As(err, &pe) && errors.Is(err, scenario.ErrUnknownKey) {
		return nil, fmt.Errorf("%w (scenario %q has no key %s)", ErrModelNotAvailable, name, pe.Key)
	}
	if err != nil {
		return nil, err
	}
	r, err := scenario.RunOne(sc, vals, scenario.Seed(simSeed, 0, rep), scenario.Options{})
	if err != nil {
		return nil, err
	}
	if r.Truncated {
		return nil, fmt.Errorf("scenario %s stopped early (a guard fired after %d events)", name, r.Events)
	}
	out := make([]float64, len(metrics))
	for i, m := range metrics {
		v, ok := r.Metric(m)
		if !ok {
			return nil, fmt.Errorf("%w (scenario %q has no metric %s)", ErrModelNotAvailable, name, m)
		}
		out[i] = v
	}
	return out, nil
}
