// Package dist holds the probability distributions that scenario parameters
// are written in ("250us", "exp(1ms)", "lognormal(2ms,1ms)", ...): each is a
// value with Sample, Mean and a String that parses back with [ParseDist].
// Every Sample draws from a caller-supplied *rand.Rand (a sim stream), never
// from a global generator.
package dist
