package host

import "math"

// DefaultGOMAXPROCS returns the GOMAXPROCS the Go runtime picks when it is
// not set, for a process that may run on cores CPUs under a cgroup CPU
// limit of quota cores (0: no limit). Mirrors runtime.defaultGOMAXPROCS and
// runtime.adjustCgroupGOMAXPROCS (src/runtime/cgroup_linux.go, go1.26):
// procs starts as the CPU count from sched_getaffinity (getCPUCount,
// os_linux.go), then a limit is rounded up (ceil) and raised to at least 2,
// and procs is lowered to it if it is smaller:
//
//	min(cores, max(2, ceil(quota)))
//
// so a quota below 2 cores still gets GOMAXPROCS=2 on a host of 2 or more
// CPUs, and a single-CPU affinity mask gives 1 whatever the quota. The
// runtime re-reads the limit about once a second (sysmon's
// updateMaxProcsG); a model's limit does not change during a run.
func DefaultGOMAXPROCS(cores int, quota float64) int {
	procs := max(cores, 1)
	if quota > 0 {
		limit := math.Ceil(quota)
		limit = max(limit, 2)
		if int(limit) < procs {
			procs = int(limit)
		}
	}
	return procs
}
