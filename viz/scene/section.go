package scene

import (
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// ControlKind is how the page presents a parameter.
type ControlKind string

const (
	Slider ControlKind = "slider" // numeric, Min..Max by Step (Log: logarithmic)
	Toggle ControlKind = "toggle" // "true"/"false"
	Select ControlKind = "select" // one of Options
	TextIn ControlKind = "text"   // free text, validated by the section
)

// Control is one user-adjustable parameter of a section. Key is the Go (or
// scenario) identifier it sets, e.g. GOMAXPROCS or
// Transport.MaxIdleConnsPerHost.
type Control struct {
	Key     string      `json:"key"`
	Label   string      `json:"label"`
	Kind    ControlKind `json:"kind"`
	Default string      `json:"default"`
	Min     float64     `json:"min,omitempty"`
	Max     float64     `json:"max,omitempty"`
	Step    float64     `json:"step,omitempty"`
	Options []string    `json:"options,omitempty"`
}

// A Section is one of the page's six live canvases: a real model on its own
// engine, rebuilt by Build from a seed and parameter values.
//
// Build must validate its values and return a clear error (never panic) on
// bad input; after an error the section keeps its previous run. Draw only
// reads. Not safe for concurrent use.
type Section interface {
	// ID is the section's stable name in URL fragments ("goroutines", ...).
	ID() string
	// Slice is the simulated time one tick advances at speed 1.
	Slice() time.Duration
	// Controls lists the parameters in display order.
	Controls() []Control
	// Build starts a fresh run from seed with vals (key -> raw value; keys
	// absent take the control's default).
	Build(seed uint64, vals map[string]string) error
	// Engine returns the current run's engine.
	Engine() *sim.Engine
	// Action performs a named user action ("spawn", "route", ...) with an
	// argument; unknown actions are an error.
	Action(name, arg string) error
	// Click handles a click at canvas coordinates of the last Draw,
	// reporting whether it hit something.
	Click(x, y float32) bool
	// Draw appends the picture of the current state for a w×h canvas.
	Draw(l *List, w, h float32)
	// State returns a JSON-marshalable snapshot for tests and the page.
	State() map[string]any
}

// ticker is embedded by sections to advance their engine deterministically:
// the target time grows by a fixed slice per tick and the engine runs
// towards it with a fixed event budget per tick, so a heavy load makes the
// simulation fall behind (and catch up) the same way on every machine.
type ticker struct {
	target sim.Time
	lag    bool
}

// budget bounds the events one tick may process (~20–50 ms of wasm CPU):
// the page stays responsive whatever the parameters.
const budget = 150_000

func (t *ticker) reset() { t.target, t.lag = 0, false }

func (t *ticker) advance(e *sim.Engine, d time.Duration) {
	t.target = t.target.Add(d)
	t.lag = !e.RunUntilN(t.target, budget)
}
