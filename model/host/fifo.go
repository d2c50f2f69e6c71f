package host

import "github.com/gohttpsim/gohttpsim/sim/container"

// FIFO is the host's simplest CPU policy: n cores serving whole jobs first
// come, first served, without time slices or a quota. A job is an opaque
// int64 of the caller's; the caller times it (schedules its end) and calls
// Done when it ends. A job submitted with front goes to the head of the
// queue, as a goroutine readied by another goes to runnext (goready).
//
// It is the pool scenario's shared client/server cores (moved here from
// model/scenarios so that the CPU models live in one package). Simplified
// against [Host]: jobs are short (tens of µs, far below a scheduler slice),
// so running each to completion changes nothing a slice would, and the
// ordering effect that matters for a connection pool (who puts a conn back
// before whom) is kept at a fraction of the cost; pool's fitted constants
// (client.cpu, conn.cpu) were fitted on this policy.
type FIFO struct {
	busy, n int
	q       container.Queue[int64]
}

// NewFIFO returns n idle cores.
func NewFIFO(n int) FIFO { return FIFO{n: n} }

// Submit offers job x. It reports whether a core was free: then x runs now
// and the caller starts it; otherwise x waits, at the head of the queue with
// front.
func (f *FIFO) Submit(x int64, front bool) bool {
	if f.busy < f.n {
		f.busy++
		return true
	}
	if front {
		f.q.PushFront(x)
	} else {
		f.q.Push(x)
	}
	return false
}

// Done ends a job. If another waits, it takes the freed core at once: Done
// returns it and true, and the caller starts it.
func (f *FIFO) Done() (int64, bool) {
	if f.q.Len() > 0 {
		return f.q.Pop(), true
	}
	f.busy--
	return 0, false
}

// Busy returns the cores running a job.
func (f *FIFO) Busy() int { return f.busy }

// Waiting returns the jobs waiting for a core.
func (f *FIFO) Waiting() int { return f.q.Len() }
