// Package burn provides Burn, a CPU busy loop for programs that run both
// under the real Go runtime and in gohttpsim's program runner (where Burn(d)
// is exactly d of simulated CPU).
package burn

import "time"

// Burn spins on the CPU for d of wall time without blocking or yielding
// (it can still be preempted asynchronously after 10 ms, like any loop).
func Burn(d time.Duration) {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
	}
}
