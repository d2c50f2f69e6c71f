package gmp

import (
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// PView is a value snapshot of one P for visualisers.
type PView struct {
	ID        PID
	Status    PStatus
	Curg      GID // the G on the P (running, or in a syscall), or NoG
	Runnext   GID // NoG if empty
	RunqLen   int // Gs in the local ring, runnext excluded
	Schedtick uint32
	Spinning  bool          // its M is spinning (looking for work)
	Busy      time.Duration // total time with a G on it
}

// MView counts the Ms (threads) by what they do.
type MView struct {
	Total    int // Ms created (newm)
	Spinning int // nmspinning
	Syscall  int // in a blocking syscall
	Idle     int // parked in stopm
}

// P returns a snapshot of P id. O(1), no allocation.
func (s *Sched) P(id PID) PView {
	pp := s.allp[id]
	busy := pp.busy
	if pp.curg != NoG {
		busy += s.e.Now().Sub(pp.busySince)
	}
	return PView{ID: id, Status: pp.status, Curg: pp.curg, Runnext: pp.runnext, RunqLen: int(pp.runqtail - pp.runqhead),
		Schedtick: pp.schedtick, Spinning: pp.spinning, Busy: busy}
}

// NumP returns GOMAXPROCS.
func (s *Sched) NumP() int { return len(s.allp) }

// RunqAppend appends P id's local run queue in run order (head first,
// runnext excluded) to dst and returns it; no allocation if dst has room.
func (s *Sched) RunqAppend(id PID, dst []GID) []GID {
	pp := s.allp[id]
	for i := pp.runqhead; i != pp.runqtail; i++ {
		dst = append(dst, pp.runq[i%runqSize])
	}
	return dst
}

// GlobalRunqAppend appends the global run queue in order to dst.
func (s *Sched) GlobalRunqAppend(dst []GID) []GID {
	for gp := s.runq.head; gp != NoG; gp = s.gs.At(int(gp)).schedlink {
		dst = append(dst, gp)
	}
	return dst
}

// GlobalRunqLen returns the length of the global run queue.
func (s *Sched) GlobalRunqLen() int { return s.runq.size }

// Ms returns the M counters.
func (s *Sched) Ms() MView {
	return MView{Total: s.nm, Spinning: s.nmspinning, Syscall: s.nmsyscall, Idle: s.nmidle}
}

// NumG returns the size of the G table (live and dead Gs); GIDs are in
// [0, NumG).
func (s *Sched) NumG() int { return s.gs.Len() }

// GState returns gp's state and, when waiting, why.
func (s *Sched) GState(gp GID) (GState, WaitReason) {
	return s.gs.At(int(gp)).state, s.gs.At(int(gp)).reason
}

// NetWaiting returns how many Gs are parked on the netpoller.
func (s *Sched) NetWaiting() int { return s.nnetwait }

// Stats is a snapshot of the scheduler's metrics.
type Stats struct {
	Goroutines       int // live Gs (runtime.NumGoroutine)
	GoroutinesPeak   int
	Created          uint64 // go statements (newproc)
	Reused           uint64 // of which reused a dead G (gfget)
	Steals           uint64 // successful runqsteal calls
	StolenGs         uint64 // Gs moved by steals
	Handoffs         uint64 // handoffp calls from retake
	Preemptions      uint64 // sysmon preemptions (forcePreemptNS)
	Netpolls         uint64 // netpoll calls that returned Gs
	SpinningTime     time.Duration
	StackBytes       int64 // simulated stack memory of live Gs
	StackBytesPeak   int64
	RunqMean         float64 // time-weighted mean of runnable Gs queued (local+global)
	RunqPeak         int
	SchedLatencyMean time.Duration // runnable → running
	SchedLatencyP50  time.Duration
	SchedLatencyP99  time.Duration
	SchedLatencyMax  time.Duration
}

// Stats returns the metrics so far.
func (s *Sched) Stats() Stats {
	now := s.e.Now()
	spin := s.spinning
	for _, pp := range s.allp {
		if pp.spinning {
			spin += now.Sub(pp.spinSince)
		}
	}
	return Stats{
		Goroutines: s.ngo, GoroutinesPeak: s.ngoPeak, Created: s.created, Reused: s.reused,
		Steals: s.steals, StolenGs: s.stolen, Handoffs: s.handoffs, Preemptions: s.preemptions,
		Netpolls: s.netpolls, SpinningTime: spin, StackBytes: s.stackBytes, StackBytesPeak: s.stackPeak,
		RunqMean: s.runqTW.Mean(now), RunqPeak: s.runqPeak,
		SchedLatencyMean: time.Duration(s.latency.Mean()),
		SchedLatencyP50:  time.Duration(s.latency.Quantile(0.5)),
		SchedLatencyP99:  time.Duration(s.latency.Quantile(0.99)),
		SchedLatencyMax:  time.Duration(s.latency.Max()),
	}
}

// TraceEvent records one execute: G started running on P at Time.
type TraceEvent struct {
	Time sim.Time
	P    PID
	G    GID
}

// SetTrace installs f to be called on every execute (nil removes it). For
// golden traces and visualisers; it must not call back into s.
func (s *Sched) SetTrace(f func(TraceEvent)) { s.trace = f }

// GBytes reports the memory of the G table (allgs) as allocated: the
// scheduler's whole per-G cost, since its queues (run queues, netpoll
// list, timer lists, free list) are intrusive through g.schedlink.
func (s *Sched) GBytes() int64 { return s.gs.Bytes() }
