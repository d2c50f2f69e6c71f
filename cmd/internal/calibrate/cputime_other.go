//go:build !unix

package calibrate

import "time"

var t0 = time.Now()

// processCPU falls back to wall time where getrusage is missing: at
// GOMAXPROCS=1 with the one P saturated by the load, wall time is close to
// the CPU time of that P (syscall time on other threads is missed).
func processCPU() time.Duration { return time.Since(t0) }

const cpuIsWall = true
