package gmp

import "time"

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
func (s *Sched) P(id PID) PView { panic("TODO") }

// NumP returns GOMAXPROCS.
func (s *Sched) NumP() int { panic("TODO") }

// RunqAppend appends P id's local run queue in run order (head first,
// runnext excluded) to dst and returns it; no allocation if dst has room.
func (s *Sched) RunqAppend(id PID, dst []GID) []GID { panic("TODO") }

// GlobalRunqAppend appends the global run queue in order to dst.
func (s *Sched) GlobalRunqAppend(dst []GID) []GID { panic("TODO") }

// GlobalRunqLen returns the length of the global run queue.
func (s *Sched) GlobalRunqLen() int { panic("TODO") }

// Ms returns the M counters.
func (s *Sched) Ms() MView { panic("TODO") }

// NumG returns the size of the G table (live and dead Gs); GIDs are in
// [0, NumG).
func (s *Sched) NumG() int { panic("TODO") }

// GState returns gp's state and, when waiting, why.
func (s *Sched) GState(gp GID) (GState, WaitReason) { panic("TODO") }

// NetWaiting returns how many Gs are parked on the netpoller.
func (s *Sched) NetWaiting() int { panic("TODO") }

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
func (s *Sched) Stats() Stats { panic("TODO") }
