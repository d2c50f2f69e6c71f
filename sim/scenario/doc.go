// Package scenario is the registry of built-in scenarios and the machinery
// every front end shares: typed parameters parsed from KEY=VALUE strings with
// clear errors, replications with derived seeds, Student-t confidence
// intervals, guards, interruption and metric series sampled over simulated
// time.
//
// A scenario is a [Scenario] value: a name, its parameters with defaults
// (named after Go's own identifiers where one exists, such as GOMAXPROCS or
// Transport.MaxIdleConnsPerHost), and a Build function that constructs the
// model on a fresh [sim.Engine]. The runner owns the event loop, so every
// scenario gets guards, cancellation and -series sampling for free, and
// sampling adds no events (the digest does not depend on it).
package scenario
