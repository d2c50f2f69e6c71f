// Package child runs the real-Go halves of experiments that need a process
// of their own: a server pinned to one CPU with GOMAXPROCS=1 and an
// open-loop load generator pinned to the other, so that neither competes
// for the other's core (measured-here.md: pin them apart on 2 cores).
//
// The child is this very executable, started with GOHTTPSIM_CHILD set:
// [Main], called first thing by the gohttpsim command and by the TestMain
// of packages that start children, runs the requested role and exits. No
// toolchain and no checkout of the source are needed.
//
// Roles:
//
//   - server: a net/http server on 127.0.0.1:0 that prints its address,
//     then serves until its stdin closes, and prints one JSON line of the
//     runtime's own accounting (runtime/metrics: GC cycles, GC and total
//     CPU, stop-the-world pauses, live heap) before it exits. Its handler
//     busy-loops for the ns the request names and allocates the bytes it
//     names (keeping a ring of the last allocations live).
//   - client: Poisson arrivals at a rate, each request naming an
//     exponential service time and an allocation, sent on one of a fixed
//     set of keep-alive connections; latency is timed from when a request
//     is written, not from its scheduled arrival (the sleep that paces
//     arrivals wakes late). It prints one JSON line.
package child
