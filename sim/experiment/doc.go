// Package experiment runs a scenario over a grid of parameter values with
// independent replications, and searches one parameter for the smallest value
// that meets a set of service-level objectives. It is batch orchestration on
// top of [scenario]: it knows no model and never draws charts (viz/chart
// does, from the [Result] this package returns).
//
// # Grid and seeds
//
// A [Grid] is the product of one [Axis] per varied key, each parsed from a
// SPEC by [ParseAxis]: a list "1,2,4,8", a range "1:64:1" or a geometric
// range "1:64:*2" (durations in Go syntax, "1ms:10ms:1ms"). Points are
// numbered in row-major order, the last key varying fastest. Replication r of
// point i runs with seed scenario.Seed(seed, i, r), the derivation `run`
// uses too (so point 0 is `run -seed S -reps R`), and a result depends only
// on (seed, point, replication): not on -parallel, on sharding, or on the
// order in which points finish.
//
// # Durability
//
// Every finished point is appended to results.jsonl (one line per
// replication) with a single write followed by fsync. A crash loses at most
// the points in flight; [Config.Resume] reloads the journal, drops a torn
// last line and runs only the missing points. When the sweep ends the
// journal is rewritten in point order and results.csv is written from it, so
// the files do not depend on finish order and [Merge] of shards yields the
// same bytes as a single run.
//
// # Warm-up
//
// A model's metrics are computed by the model itself; a sweep cannot
// truncate them after the fact. What it can do, and does:
//
//   - With [Config.Warmup] > 0 the scenario's own "warmup" parameter (if it
//     declares one) is set, so the model resets its statistics at that time,
//     and the probe series are truncated there.
//   - Otherwise, if the model is a [scenario.Prober], each replication's
//     probe series is sampled and truncated by MSER-5 (White 1997; see
//     [MSER5]). The truncation point is reported as the metric
//     "warmup_mser5_ns", and the truncated mean of each probe column as
//     "steady_<probe>". A truncation point beyond half the run means the run
//     is too short to reach steady state; [Result.Warnings] says so.
//   - A scenario without probes gets no automatic truncation, and the
//     manifest and stderr say so.
//
// # Bottlenecks
//
// [Bottlenecks] reads a convention from metric names and units, so any
// scenario can take part without an interface: a metric
// "<resource>_utilization" (or plain "utilization") of unit "1" is the busy
// fraction of that resource, "<resource>_wait_<stat>…" of unit "ns" is the
// time spent waiting for it, and
// "<resource>_refused" counts work it turned away at a limit (names
// starting with "failed_" are request outcomes, not resources). [Saturated]
// picks the resources near saturation: busy at least 80%, refusing, or
// making requests wait at least 10% of latency_mean_ns. Resource
// prefixes map to the classes the planner names: cpu → Ps (the share of
// time the Ps run Gs: cpu_utilization), host_cpu → host cores (the CPUs the
// process may use, host_cpu_utilization), cpu_quota → CPU quota (use of the
// cgroup quota), cpu_throttled → quota throttling (the fraction of CFS
// periods in which the process was throttled, cpu_throttled_fraction),
// other cpu_… and sched → CPU, conn/conns → connections, pool → pool wait,
// db → DB, gc → GC. A metric "completed" (or
// "<x>_completed") whose mean is 0 marks a point where nothing finished; the
// planner never counts such a point as meeting an SLO, since its latency
// metrics are then empty rather than small.
//
// # Planning
//
// [Plan] finds the smallest value of one key meeting every [SLO] at 95%
// confidence, by bisection (see its doc for the assumptions).
package experiment
