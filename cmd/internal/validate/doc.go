// Package validate checks the simulator against real Go on this machine.
//
// Each [Case] runs a small real experiment in-process on 127.0.0.1 (a real
// net/http server, the real http.Transport, the real runtime scheduler) a
// fixed K times, and the same situation in the simulator R times, and
// compares one or more numeric metrics, each by its stated [Rule]: [Exact]
// for deterministic metrics, [Mode] for discrete metrics whose real value
// varies for a stated reason (the model must give the majority real value),
// and [Equiv], an equivalence test (stats.TOST at α = 0.05) within a
// practical margin, for noisy ones, where a spread too wide for the margin
// is "inconclusive", never agreement. A case whose real data a constant was
// fitted to names it in [Case.Fitted]; its rows are left out of the
// [Headline], which counts only rows judged on independent data.
//
// # Cases
//
//   - pool/*: the `pool` scenario's workload (50 clients x 20 back-to-back
//     GETs) through a real http.Transport with three settings; dials
//     counted in DialContext, reuse through httptrace.GotConnInfo.Reused.
//   - sched/*: small programs at GOMAXPROCS=1 run in this process and on
//     model/gmp directly (first goroutine to run, inversions, last).
//   - goprog/*: whole programs (testdata/progs) built with the go command
//     and run in a fresh process at GOMAXPROCS=1, and on model/goprog.
//   - h2c/*: the frames a real net/http server (UnencryptedHTTP2) sends
//     for one GET, read with x/net/http2's Framer, against model/http2's
//     frame trace.
//   - slowloris/ReadHeaderTimeout: when a trickled header is cut, against
//     the `timeouts` scenario.
//   - throughput/GOMAXPROCS-2-over-1: hello-world req/s at 2 Ps over 1,
//     against the `throughput` scenario.
//   - mux/random-corpus: net/http.ServeMux against model/mux on random
//     patterns and requests.
//   - cpubound/*: a server child at GOMAXPROCS=1 pinned to CPU 0 with a
//     busy loop of exponential length per request, Poisson load at 20%, 50%
//     and 75% busy from a client child pinned to CPU 1 (cmd/internal/child):
//     p50 and p99 latency against the `throughput` scenario.
//   - gc/*: a server child allocating 64 KiB per request at GOGC 50, 100
//     and 200: GC cycles per second and GC CPU share from its own
//     runtime/metrics, against the `throughput` scenario's model/gc.
//   - dbpool/*: a server whose handler queries a real database/sql pool
//     (SetMaxOpenConns(2)) over an in-process driver whose query waits
//     5 ms, Poisson load below and above the knee: served rate, p50, p99
//     and driver opens against the `throughput` scenario's db handler.
//   - downstream/*: a handler calling a real downstream server through a
//     real http.Transport at MaxIdleConnsPerHost 2 and 100: dials the
//     downstream accepted, p50 and p99 against handler step http(D).
//
// # Bounds
//
// Every real experiment uses loopback only, a bounded number of requests and
// a per-case wall-clock deadline; everything it starts (listeners, servers,
// client connections, goroutines) is stopped before the case returns, which
// a goleak test checks. The whole default run takes well under two minutes
// on a 2-core VM.
//
// # Missing models
//
// A case whose simulated side needs a model that is not in this build
// returns [ErrModelNotAvailable]; its rows report "skipped: model not
// available" and never count as agreement.
package validate
