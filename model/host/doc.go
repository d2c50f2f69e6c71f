// Package host models the CPUs a Go process may run on: a number of cores
// shared by the process's threads, and an optional cgroup v2 CPU quota
// enforced by CFS bandwidth control. It knows nothing of Go: its clients are
// threads that ask for spans of CPU ([Host.Run]) and are told when they have
// received them ([Runner.CPUDone]). model/gmp runs one thread per P (the M
// holding it); the pool scenario runs client and server work on the same
// cores; a load generator on the host (client.onhost) is one more thread.
//
// # Time-sharing the cores
//
// A thread that asks for CPU takes a free core, or waits in one FIFO run
// queue shared by all cores. A thread on a core keeps it for a slice of
// [Config.Slice]; when the slice ends and another thread waits, the core
// goes to the head of the queue and the preempted thread joins the tail
// (round-robin). A thread that finishes its span and at once asks for more
// (from inside CPUDone, as a P's M does when it goes on to the next G) keeps
// its core and the rest of its slice, as a Linux task that does not sleep
// keeps running.
//
// The default slice mirrors EEVDF's sysctl_sched_base_slice (750 µs scaled
// by 1+ilog2(min(cores, 8)), kernel/sched/fair.c update_sysctl with
// SCHED_TUNABLESCALING_LOG, Linux 6.6+): with equal-weight CPU-bound tasks
// EEVDF serves them in turn, one base slice each, which is this round-robin.
//
// Simplified, and why it is fine here: one shared run queue stands for the
// per-CPU queues and the load balancer (ideal balancing: a core never idles
// while a thread waits); there is no wake-up preemption or sleeper credit (a
// woken thread waits behind the ones already queued, unless the client uses
// [Host.RunFront]); migrations and context switches cost nothing here (the
// Go-level switch costs are model/gmp's). These change who waits how long
// when more threads than cores are runnable, not how much CPU the threads
// get in total: the host is work-conserving, so throughput and utilisation
// are exact, and latency under contention is, if anything, pessimistic for
// a thread that has just woken.
//
// # CFS bandwidth control (cpu.max)
//
// With a quota of q cores and a period P ([Config.Quota], [Config.Period]),
// the process may use q·P of CPU per period, summed over all its threads.
// Periods are aligned on multiples of P from time zero. Once the runtime of
// the period is used up, every thread of the process stops, running or not,
// until the next period starts and refills it (tg_set_cfs_bandwidth,
// throttle_cfs_rq, do_sched_cfs_period_timer in kernel/sched/fair.c). The
// period timer runs only while the process uses CPU and stops after an idle
// period, as the kernel's does. Statistics mirror cpu.stat: nr_periods,
// nr_throttled (periods in which the process was throttled) and
// throttled_usec, which the kernel sums per CPU (each throttled cfs_rq adds
// the time it spent throttled, unthrottle_cfs_rq): a core counts as
// throttled from the moment the quota ran out while it held a thread, or
// from the moment a thread was placed on it during the throttle.
//
// Simplified: the kernel hands runtime to each CPU in 5 ms slices
// (sched_cfs_bandwidth_slice_us) from the global pool, so a process may
// overrun or stop a little before the quota by up to a slice per CPU; the
// model draws from the pool exactly. cpu.max.burst is 0 (the default): no
// unused quota carries over.
//
// # Costs
//
// A Host is a [sim.Handler] with a fixed number of events: one per slice or
// span end per core, one per period while a quota is set and the process is
// busy, one per throttle. Threads and cores are values in slices; nothing is
// allocated per event.
package host
