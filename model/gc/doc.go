// Package gc models Go's garbage collector pacing on top of the scheduler
// model: the heap goal from GOGC and GOMEMLIMIT, the trigger, background
// mark workers taking 25% of GOMAXPROCS, mark assists charged to allocating
// goroutines, and cycle counting. It mirrors the pacer in
// runtime/mgcpacer.go (gcControllerState.commit, heapGoal, trigger,
// assistWorkPerByte) of go1.26, at the level of whole cycles.
//
// # Simplifications
//
// Mark work is a byte count (scannable live heap + stacks + globals)
// scanned at Config.ScanRate bytes per second per worker, plus the
// stop-the-world phases' CPU (Config.CycleCPU), both measured from the
// runtime's own accounting; the trigger mirrors gcControllerState.trigger
// with the runway from endCycle's cons/mark estimate; dedicated workers are goroutines of the
// scheduler model that compute for their share of it, without the priority
// findRunnable gives real GC workers (so under full load they get less than
// their 25%, and the mark phase runs longer, which assists then make up).
// Stop-the-world pauses are counted (Config.STW per phase, two per cycle)
// but do not stop the Ps of the scheduler model. The live heap at mark
// time is what the model says is reachable ([LiveFunc]); sweeping is free
// (the runtime accounts it as user CPU, not GC CPU).
//
// With Config.Controller the workers follow gcController's plan
// ([WorkerPlan]: dedicated plus a fractional worker) and otherwise idle Ps
// mark at idle priority ([GC.IdleWork], a gmp.IdleWorker); the HTTP stack
// turns it on with the host model, where that CPU counts against a quota.
package gc
