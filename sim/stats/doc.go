// Package stats holds the statistics models record into: a constant-memory
// [Histogram] with bounded relative error, a [TimeWeighted] mean over
// simulated time, and [Summarize] for replication means with Student-t
// confidence intervals (gonum/stat/distuv), and [TOST], an equivalence test
// of two means within a stated margin.
package stats
