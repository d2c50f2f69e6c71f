// Package scenario is the registry of built-in scenarios and the machinery
// every front end shares: typed configs whose parameters are parsed from
// KEY=VALUE strings with typed errors, replications with one seed scheme
// ([Seed]), Student-t confidence intervals, guards, interruption and metric
// series sampled over simulated time.
//
// # Typed configs
//
// A scenario declares a config struct and is made by [New]: the struct tags
// give each parameter's key (Go's own identifier where one exists, such as
// GOMAXPROCS or Transport.MaxIdleConnsPerHost), unit, bounds, enum values
// and help; the Go types give the kinds; a defaults function gives the
// defaults. [New] derives the [Param] list once, at registration (see
// config.go), and the Build function receives the typed config, so a
// scenario never looks a parameter up by name. Everything else (the CLI's
// -set and `scenarios -v`, sweeps, plans, calibration, the page's
// controls) reads the same list.
//
// # Errors
//
// A bad parameter is a [*ParamError] matching [ErrUnknownKey], [ErrBadValue]
// or [ErrSyntax]; every one, and every error marked with [Usage], matches
// [ErrUsage], which front ends report as a usage error (exit 2).
//
// # Metric units
//
// A model's metrics are a struct whose float64 fields carry
// `metric:"name" unit:"..."` tags, read by [MetricsOf]; every metric has a
// unit, and front ends (run, sweep, plan, the charts, the page) read it
// from [Metric.Unit], never from the name. Units follow UCUM as OpenMetrics
// and OpenTelemetry use it:
//
//   - "ns" for durations, "B" for sizes, "req/s" and other "<what>/s" for
//     rates (per simulated second);
//   - "1" for a dimensionless ratio in [0, 1] (utilization, fractions),
//     shown as a percentage;
//   - a count is an annotation in braces naming what is counted: "{req}",
//     "{conn}", "{G}", "{event}"; it is dimensionless too (UCUM reads
//     "{x}" as 1) but never a fraction. A mean of counts keeps the count's
//     unit ("runq_mean" is "{G}"); a ratio of counts writes both
//     ("{event}/{req}").
//
// The empty unit is not a convention: it means a model forgot one, and
// the golden test of model/scenarios fails on it.
//
// # Running
//
// The runner ([RunOne], [RunReps]) owns the event loop, so every scenario
// gets guards, cancellation and -series sampling for free, and sampling adds
// no events (the digest does not depend on it).
package scenario
