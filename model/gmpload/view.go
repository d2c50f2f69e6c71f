package gmpload

import (
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
)

// ConnView is a value snapshot of one connection.
type ConnView struct {
	G      gmp.GID // its goroutine, NoG before it first ran
	State  ConnState
	Served int // responses written
}

// NumConnSlots returns the size of the connection table; Conn accepts
// indexes in [0, NumConnSlots). Closed slots are reused.
func (l *Load) NumConnSlots() int { return len(l.conns) }

// Conn returns a snapshot of connection slot i. O(1), no allocation.
func (l *Load) Conn(i int) ConnView {
	c := &l.conns[i]
	return ConnView{G: c.g, State: c.state, Served: int(c.served)}
}

// Counts is a cheap snapshot of what the goroutines are doing now, for a
// live view or a -series probe. O(GOMAXPROCS), no allocation.
type Counts struct {
	Goroutines int // live Gs: the accept loop plus one per connection
	Running    int // Ps with a G on them (running or in a syscall)
	Runnable   int // Gs in run queues (local, runnext, global)
	NetWait    int // Gs parked on the netpoller (incl. the accept loop)
	Open       int // open connections
	Backlog    int // connections waiting in the listen queue
}

// Counts returns the current counts.
func (l *Load) Counts() Counts {
	s := l.s
	c := Counts{Goroutines: s.Stats().Goroutines, NetWait: s.NetWaiting(), Open: l.open,
		Backlog: len(l.backlog) - l.backlogHead, Runnable: s.GlobalRunqLen()}
	for i := range s.NumP() {
		p := s.P(gmp.PID(i))
		c.Runnable += p.RunqLen
		if p.Runnext != gmp.NoG {
			c.Runnable++
		}
		if p.Curg != gmp.NoG {
			c.Running++
		}
	}
	return c
}

// Stats summarises the run so far.
type Stats struct {
	Accepted      uint64 // connections accepted
	Completed     uint64 // responses written
	OpenPeak      int
	OpenMean      float64       // time-weighted open connections
	LatencyMean   time.Duration // request arrival → response written
	LatencyP50    time.Duration
	LatencyP99    time.Duration
	Sched         gmp.Stats
	UtilMean      float64 // busy fraction of the Ps, mean over Ps
	UtilMin       float64
	UtilMax       float64
	ThroughputRPS float64 // Completed per simulated second
}

// Stats returns the statistics so far.
func (l *Load) Stats() Stats {
	now := l.e.Now()
	st := Stats{Accepted: l.accepted, Completed: l.completed, OpenPeak: l.openPeak, OpenMean: l.openTW.Mean(now),
		LatencyMean: time.Duration(l.latency.Mean()), LatencyP50: time.Duration(l.latency.Quantile(0.5)),
		LatencyP99: time.Duration(l.latency.Quantile(0.99)), Sched: l.s.Stats()}
	if now > 0 {
		st.ThroughputRPS = float64(l.completed) / (float64(now) / 1e9)
		st.UtilMin = 1
		for i := range l.s.NumP() {
			u := float64(l.s.P(gmp.PID(i)).Busy) / float64(now)
			st.UtilMean += u / float64(l.s.NumP())
			st.UtilMin = min(st.UtilMin, u)
			st.UtilMax = max(st.UtilMax, u)
		}
	}
	return st
}
