// Package gmp models the Go scheduler — Gs (goroutines), Ms (threads) and Ps
// (processors) — as a deterministic discrete-event model on [sim.Engine].
//
// It mirrors runtime/proc.go of go1.26: per-P 256-slot run queues with a
// runnext slot, a global run queue checked every 61 schedticks, the
// findRunnable search order, work stealing in four randomised passes,
// spinning Ms and the wakep throttle, handoffp and sysmon's retake for
// blocking syscalls, 10 ms preemption, the netpoller with injectglist
// placement, per-P timers, G reuse (gfput/gfget) and simulated stack growth.
// What each function mirrors and what it omits is said next to it.
//
// # Driving Gs
//
// A G is an index ([GID]), not a goroutine and not a heap object. It runs a
// [Behavior]: a long-lived model object whose Step method is called each
// time the G gets the CPU and returns the next [Action] (a value): compute
// for a span, yield, park until [Sched.Ready], park on the netpoller until
// [Sched.NetReady], sleep, make a blocking syscall, spawn a G, or exit. Each
// G carries one int64 user word ([Sched.Arg], [Sched.SetArg]) so a million
// Gs need no per-G objects in the caller either: the word indexes the
// caller's own slice.
//
// Synchronisation objects (channels, mutexes, wait groups, connections)
// belong to the models that use them; they park Gs with [Park] and wake them
// with [Sched.Ready], which has goready's semantics (the woken G goes to the
// waker's runnext and wakep is called).
//
// # Views
//
// [Sched.P], [Sched.GlobalRunqLen], [Sched.GlobalRunqAppend] (into the
// caller's slice), [Sched.GState] and [Sched.Stats] are cheap read-only
// accessors for visualisers; nothing in them allocates.
//
// # Host
//
// By default each P owns a core. With [Config.Host] (model/host) each P's M
// is a host thread: its CPU segments (compute, context switches, goroutine
// creation, steals, exitsyscall, idle work) end when the thread has
// received that much CPU, so Ms wait for a core when there are fewer cores
// than running Ps, and all stop while a cgroup quota is throttled. Wake-up
// latency and blocking syscalls use no CPU. Without a host nothing changes,
// digest for digest.
//
// # Idle work
//
// [Sched.SetIdleWorker] installs work a P does when findRunnable finds no
// G, before it gives up the P: model/gc's idle-priority mark workers.
//
// # Costs
//
// Scheduler overheads (context switch, goroutine creation, steal, syscall
// entry and exit, netpoll) are [Config] parameters with defaults calibrated
// on this machine; see CALIBRATION.md and calibrate_test.go.
package gmp
