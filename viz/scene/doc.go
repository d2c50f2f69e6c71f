// Package scene is the drawing logic of the browser reference, with no
// ebiten import: it owns the six sections' simulations (each a real model on
// a sim.Engine), advances them a fixed slice of simulated time per tick, and
// turns their read-only views into a display list of rectangles, lines and
// text that a painter (viz/ebitenview in the browser) renders as is.
//
// # Determinism
//
// A section's state is a pure function of its seed, its parameters and the
// number of ticks it has run: ticks, not wall time, advance the engine, so
// the same URL fragment (section, parameters, seed, speed) replayed for the
// same number of ticks gives the same engine digest. Wall-clock pacing stays
// in the painter, which calls [App.Tick] at ebiten's fixed 60 ticks/s.
//
// # Views
//
// Sections read models only through their exported snapshot methods
// (gmp.Sched.P, gmpload.Load.Counts, mux.Mux.Tree, scenario.Prober, ...);
// nothing here mutates a model except through its public inputs (a click
// injecting connections, a parameter change rebuilding the run).
package scene
