package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// The simulator's own garbage collector (not the modelled one): run and
// sched hold a soft memory limit (debug.SetMemoryLimit) so the heap of a
// large run stays near its live size instead of GOGC=100's twice. A fixed
// limit below the live heap, though, makes the GC run back to back (ten
// million connections hold ~3.5 GB live: a 900 MB limit spent more CPU
// sweeping than simulating). So the limit follows the live heap: after
// every GC cycle it is raised to live × (1 + 1/gcHeadroomDiv), never below
// the floor. Small runs see the floor, as before; a large one gets
// GOGC=12.5-like headroom. GOGC or GOMEMLIMIT in the environment turn the
// policy off. It only decides when the simulator collects garbage: no
// result depends on it (the determinism tests compare digests).
const gcHeadroomDiv = 8

// softMemoryLimit installs the policy with the given floor in bytes.
func softMemoryLimit(floor int64) {
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("GOGC") != "" {
		return
	}
	debug.SetMemoryLimit(floor)
	armGCHook(func() {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		if s[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		live := int64(s[0].Value.Uint64())
		debug.SetMemoryLimit(max(floor, live+live/gcHeadroomDiv))
	})
}

// gcSentinel is garbage whose finalizer runs once per GC cycle; it holds
// a pointer so the tiny allocator (whose objects may never be finalized)
// does not take it.
type gcSentinel struct {
	p *int
	_ [16]byte
}

// armGCHook calls f after the next GC cycle and re-arms itself.
func armGCHook(f func()) {
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		f()
		armGCHook(f)
	})
}
