package scenario

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/gohttpsim/gohttpsim/sim"
)

// Scenario is a built-in, named simulation.
type Scenario struct {
	Name    string
	Summary string // one line: what it shows
	Params  []Param
	// Build constructs the model on e (a fresh engine seeded for this
	// replication) from p. The runner then runs e until Model.End.
	Build func(e *sim.Engine, p *Values, env *Env) (Model, error)

	config func(v *Values) (any, error) // set by New
}

// Env carries optional outputs a model may write to.
type Env struct {
	// Trace, when non-nil, receives a model-specific trace (for example one
	// JSON line per HTTP/2 frame). Only replication 0 gets one.
	Trace io.Writer
}

// Model is a scenario's model built on an engine.
type Model interface {
	// End returns the simulated time at which the run ends.
	End() sim.Time
	// Metrics returns the results after the run, in a stable order. It is
	// called once, after the engine stopped (possibly early: truncated).
	Metrics() []Metric
}

// Prober is implemented by models that can be sampled over time for
// `run -series`: Probes names the columns, ProbeUnits gives their units
// (in the same order, as for [Metric.Unit]), Probe fills one row. Sampling
// reads state only and schedules nothing, so it does not change the digest.
type Prober interface {
	Probes() []string
	ProbeUnits() []string
	Probe(row []float64)
}

// Metric is one named result. Unit is its unit, never empty (see "Metric
// units" in the package doc): "ns", "B", "req/s", "1" for a fraction,
// "{req}" for a count of requests; models declare it with a tag on their
// metrics struct ([MetricsOf]).
type Metric struct {
	Name  string
	Value float64
	Unit  string
}

var registry []*Scenario

// Register adds s to the registry; names must be unique. Call it from init.
func Register(s *Scenario) {
	if Lookup(s.Name) != nil {
		panic("scenario: duplicate " + s.Name)
	}
	registry = append(registry, s)
	slices.SortFunc(registry, func(a, b *Scenario) int { return strings.Compare(a.Name, b.Name) })
}

// All returns the registered scenarios sorted by name.
func All() []*Scenario { return registry }

// Lookup returns the scenario called name, or nil.
func Lookup(name string) *Scenario {
	for _, s := range registry {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Names returns the registered names.
func Names() []string {
	out := make([]string, len(registry))
	for i, s := range registry {
		out[i] = s.Name
	}
	return out
}

// Find is Lookup with an error naming the valid scenarios.
func Find(name string) (*Scenario, error) {
	if s := Lookup(name); s != nil {
		return s, nil
	}
	return nil, fmt.Errorf("unknown scenario %q (valid: %s)", name, strings.Join(Names(), ", "))
}
