package host

import (
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// ThreadID names a thread of the host: a dense index, never reused.
type ThreadID int32

// NoThread is the ThreadID sentinel for "no thread" (a free core).
const NoThread ThreadID = -1

// Runner is told when one of its threads has received the CPU it asked for.
// Implement it on a long-lived model object (the scheduler, a scenario).
type Runner interface {
	// CPUDone reports that the thread registered with entity has received
	// all the CPU of its last Run, whose tag was tag. The thread still
	// holds its core during the call: a Run for it from inside CPUDone
	// continues on that core with the rest of its slice; otherwise the core
	// goes to the next waiting thread when CPUDone returns.
	CPUDone(entity int32, tag int64)
}

// Config configures a [Host].
type Config struct {
	// Cores is the number of CPUs the process may run on (its affinity
	// mask, as taskset or a cpuset sets it); at least 1.
	Cores int
	// Quota is the cgroup v2 cpu.max quota in cores (quota/period, for
	// example 1.5 for "150000 100000"); 0 means none ("max").
	Quota float64
	// Period is the cpu.max period (default 100 ms, the kernel's
	// default_cfs_period).
	Period time.Duration
	// Slice is the time a thread runs before a waiting thread gets its
	// core (default: EEVDF's base slice for Cores; see [BaseSlice]).
	Slice time.Duration
}

// Errors of [New].
var (
	ErrCores  = fmt.Errorf("host: cores must be at least 1")
	ErrQuota  = fmt.Errorf("host: quota must be 0 (none) or at least 0.001 cores")
	ErrPeriod = fmt.Errorf("host: period must be between 1ms and 1s (cpu.max limits)")
)

// DefaultPeriod is the kernel's default CFS bandwidth period
// (default_cfs_period(), 100 ms).
const DefaultPeriod = 100 * time.Millisecond

// BaseSlice returns the scheduler slice for a host of n CPUs: EEVDF's
// sysctl_sched_base_slice, 0.75 ms × (1 + ilog2(min(n, 8))) (update_sysctl
// and get_update_sysctl_factor with SCHED_TUNABLESCALING_LOG,
// kernel/sched/fair.c, Linux 6.6+). The kernel scales by the machine's
// online CPUs; the model by the cores the process may use.
func BaseSlice(n int) time.Duration {
	f := 1
	for m := min(n, 8); m > 1; m >>= 1 {
		f++
	}
	return time.Duration(f) * 750 * time.Microsecond
}

// tState is a thread's state.
type tState uint8

const (
	tIdle    tState = iota // no demand, no core
	tQueued                // demand, waiting for a core
	tRunning               // on a core, receiving CPU
	tPaused                // on a core, throttled
	tHeld                  // on a core, no demand (inside CPUDone or after Preempt)
)

type thread struct {
	r      Runner
	entity int32
	core   int32
	state  tState
	remain time.Duration // CPU still owed for the current Run
	since  sim.Time      // when it last started receiving CPU
	tag    int64
}

type core struct {
	t         ThreadID
	gen       uint32
	sliceEnd  sim.Time      // while running
	sliceLeft time.Duration // while paused
	pausedAt  sim.Time
}

// Event kinds.
const (
	kCore     sim.Kind = iota // entity core, arg gen: the core's thread ended its span or slice
	kThrottle                 // arg gen: the quota may be used up now
	kPeriod                   // a CFS period ends
)

// Stats are the host's counters since the start (or the last [Host.ResetStats]).
type Stats struct {
	Cores int
	Quota float64
	// Busy is the CPU time the threads received, summed over cores.
	Busy time.Duration
	// Elapsed is the time the counters cover.
	Elapsed time.Duration
	// Periods and ThrottledPeriods mirror cpu.stat nr_periods and
	// nr_throttled; ThrottledTime mirrors throttled_usec (summed per core).
	Periods, ThrottledPeriods uint64
	ThrottledTime             time.Duration
	// Throttles counts the times the quota ran out.
	Throttles uint64
	// WaitTime is the time threads spent runnable without a core (in the
	// run queue), summed over threads; Waits counts the waits.
	WaitTime time.Duration
	Waits    uint64
}

// Add adds o's figures to st: the hosts of several replicas as one (cores,
// quota and counters summed; Elapsed is the longer of the two).
func (st *Stats) Add(o Stats) {
	st.Cores += o.Cores
	st.Quota += o.Quota
	st.Busy += o.Busy
	st.Elapsed = max(st.Elapsed, o.Elapsed)
	st.Periods += o.Periods
	st.ThrottledPeriods += o.ThrottledPeriods
	st.ThrottledTime += o.ThrottledTime
	st.Throttles += o.Throttles
	st.WaitTime += o.WaitTime
	st.Waits += o.Waits
}

// Utilization returns Busy / (Cores × Elapsed), in [0, 1].
func (st Stats) Utilization() float64 {
	if st.Elapsed <= 0 || st.Cores == 0 {
		return 0
	}
	return float64(st.Busy) / (float64(st.Cores) * float64(st.Elapsed))
}

// QuotaUtilization returns Busy / (Quota × Elapsed), or 0 without a quota.
func (st Stats) QuotaUtilization() float64 {
	if st.Elapsed <= 0 || st.Quota == 0 {
		return 0
	}
	return float64(st.Busy) / (st.Quota * float64(st.Elapsed))
}

// ThrottledFraction returns ThrottledPeriods / Periods (cpu.stat's
// nr_throttled / nr_periods), or 0 before the first period.
func (st Stats) ThrottledFraction() float64 {
	if st.Periods == 0 {
		return 0
	}
	return float64(st.ThrottledPeriods) / float64(st.Periods)
}

// Host is the CPUs of one process. It is a [sim.Handler] registered once on
// its engine. Not safe for concurrent use.
type Host struct {
	e     *sim.Engine
	h     sim.HandlerID
	cfg   Config
	slice time.Duration

	threads []thread
	cores   []core
	free    []int32    // free cores, a stack (lowest index on top)
	q       []ThreadID // run queue ring, len = capacity
	qhd, qn int
	qsince  []sim.Time // per thread: when it joined the queue

	nrun int      // cores whose thread is receiving CPU
	last sim.Time // accounting done up to here

	// CFS bandwidth
	runtime         int64 // quota × period, ns per period
	used            int64 // ns used in the current period
	throttled       bool
	periodActive    bool
	periodThrottled bool
	throttleGen     uint64
	throttlePending bool
	throttleAt      sim.Time

	from  sim.Time // statistics start
	stats Stats
}

// New returns a host on e. It returns an error naming the field for a bad
// configuration.
func New(e *sim.Engine, cfg Config) (*Host, error) {
	if cfg.Cores < 1 || cfg.Cores > 1<<16 {
		return nil, ErrCores
	}
	if cfg.Quota < 0 || (cfg.Quota > 0 && cfg.Quota < 0.001) {
		return nil, ErrQuota
	}
	if cfg.Period == 0 {
		cfg.Period = DefaultPeriod
	}
	// cpu.max: the period must lie in [1ms, 1s] (max_cfs_quota_period,
	// min_cfs_quota_period in kernel/sched/core.c).
	if cfg.Period < time.Millisecond || cfg.Period > time.Second {
		return nil, ErrPeriod
	}
	if cfg.Slice <= 0 {
		cfg.Slice = BaseSlice(cfg.Cores)
	}
	x := &Host{e: e, cfg: cfg, slice: cfg.Slice}
	x.h = e.Register(x)
	x.cores = make([]core, cfg.Cores)
	for i := range x.cores {
		x.cores[i].t = NoThread
	}
	for i := cfg.Cores - 1; i >= 0; i-- {
		x.free = append(x.free, int32(i))
	}
	if cfg.Quota > 0 {
		x.runtime = int64(cfg.Quota * float64(cfg.Period))
	}
	x.stats.Cores = cfg.Cores
	x.stats.Quota = cfg.Quota
	return x, nil
}

// Config returns the effective configuration.
func (x *Host) Config() Config { return x.cfg }

// NewThread registers a thread whose completions go to r with entity. Call
// it while building the model (it may allocate).
func (x *Host) NewThread(r Runner, entity int32) ThreadID {
	x.threads = append(x.threads, thread{r: r, entity: entity, core: -1})
	x.qsince = append(x.qsince, 0)
	n := len(x.threads)
	if n > len(x.q) {
		// Grow the ring (only while building; threads are never removed).
		q := make([]ThreadID, 2*n)
		for i := 0; i < x.qn; i++ {
			q[i] = x.q[(x.qhd+i)%len(x.q)]
		}
		x.q, x.qhd = q, 0
	}
	return ThreadID(n - 1)
}

// Run asks for d of CPU on thread t, with tag returned in CPUDone. The
// thread must not already have a span in progress. A thread holding its
// core (inside CPUDone, or after Preempt) continues on it; otherwise it
// takes a free core or joins the tail of the run queue.
func (x *Host) Run(t ThreadID, d time.Duration, tag int64) { x.run(t, d, tag, false) }

// RunFront is Run for a thread that must go first among the waiting ones:
// it joins the head of the run queue (the pool scenario's goready onto
// runnext).
func (x *Host) RunFront(t ThreadID, d time.Duration, tag int64) { x.run(t, d, tag, true) }

func (x *Host) run(t ThreadID, d time.Duration, tag int64, front bool) {
	th := &x.threads[t]
	th.remain, th.tag = max(d, 0), tag
	switch th.state {
	case tHeld:
		c := th.core
		if x.throttled {
			th.state = tPaused
			x.cores[c].sliceLeft = max(x.cores[c].sliceEnd.Sub(x.e.Now()), 0)
			return
		}
		x.account()
		th.state = tRunning
		th.since = x.e.Now()
		x.nrun++
		x.schedCore(c)
		x.armThrottle()
	case tIdle:
		if len(x.free) > 0 {
			c := x.free[len(x.free)-1]
			x.free = x.free[:len(x.free)-1]
			x.start(c, t)
			return
		}
		x.enqueue(t, front)
	default:
		panic(fmt.Sprintf("host: Run on thread %d with a span in progress", t))
	}
}

// Preempt cuts thread t's span short and returns the CPU it has not yet
// received. The thread keeps its core (held): the caller must Run it again
// or [Host.Release] it before the current event ends. A queued thread
// leaves the queue. It returns 0 for an idle thread.
func (x *Host) Preempt(t ThreadID) time.Duration {
	th := &x.threads[t]
	switch th.state {
	case tRunning:
		x.account()
		th.remain -= x.e.Now().Sub(th.since)
		x.nrun--
		x.cores[th.core].gen++
		th.state = tHeld
		x.armThrottle()
	case tPaused:
		th.state = tHeld
		// The core stays throttled; sliceEnd is restored from sliceLeft.
		c := &x.cores[th.core]
		c.sliceEnd = x.e.Now().Add(c.sliceLeft)
	case tQueued:
		x.dequeue(t)
		th.state = tIdle
	default:
		return 0
	}
	r := th.remain
	th.remain = 0
	return max(r, 0)
}

// Release gives up thread t's core if it holds one without a span (after
// Preempt, or inside CPUDone); the core goes to the next waiting thread.
func (x *Host) Release(t ThreadID) {
	th := &x.threads[t]
	if th.state != tHeld {
		return
	}
	c := th.core
	th.state, th.core = tIdle, -1
	x.freeCore(c)
}

// freeCore frees core c after its thread left it and gives it to the next
// waiting thread. A core freed during a throttle stops counting as
// throttled.
func (x *Host) freeCore(c int32) {
	if x.throttled {
		x.stats.ThrottledTime += x.e.Now().Sub(x.cores[c].pausedAt)
	}
	x.dispatch(c)
}

// Threads returns the number of registered threads.
func (x *Host) Threads() int { return len(x.threads) }

// Waiting returns the number of threads waiting for a core.
func (x *Host) Waiting() int { return x.qn }

// Throttled reports whether the process is throttled now.
func (x *Host) Throttled() bool { return x.throttled }

// start puts thread t on free core c.
func (x *Host) start(c int32, t ThreadID) {
	th := &x.threads[t]
	cc := &x.cores[c]
	cc.t = t
	th.core = c
	now := x.e.Now()
	if x.throttled {
		th.state = tPaused
		cc.sliceLeft = x.slice
		cc.pausedAt = now
		return
	}
	x.account()
	th.state = tRunning
	th.since = now
	cc.sliceEnd = now.Add(x.slice)
	x.nrun++
	x.schedCore(c)
	x.activatePeriod()
	x.armThrottle()
}

// schedCore schedules core c's next event: the end of its thread's span or
// of its slice, whichever comes first.
func (x *Host) schedCore(c int32) {
	cc := &x.cores[c]
	th := &x.threads[cc.t]
	d := min(th.remain, cc.sliceEnd.Sub(x.e.Now()))
	cc.gen++
	x.e.After(max(d, 0), x.h, kCore, c, int64(cc.gen))
}

// dispatch gives free core c to the thread at the head of the queue, or
// marks it free.
func (x *Host) dispatch(c int32) {
	x.cores[c].t = NoThread
	if x.qn == 0 {
		x.free = append(x.free, c)
		return
	}
	t := x.q[x.qhd]
	x.qhd = (x.qhd + 1) % len(x.q)
	x.qn--
	x.stats.WaitTime += x.e.Now().Sub(x.qsince[t])
	x.start(c, t)
}

func (x *Host) enqueue(t ThreadID, front bool) {
	x.threads[t].state = tQueued
	x.qsince[t] = x.e.Now()
	x.stats.Waits++
	n := len(x.q)
	if front {
		x.qhd = (x.qhd - 1 + n) % n
		x.q[x.qhd] = t
	} else {
		x.q[(x.qhd+x.qn)%n] = t
	}
	x.qn++
}

func (x *Host) dequeue(t ThreadID) {
	n := len(x.q)
	for i := 0; i < x.qn; i++ {
		if x.q[(x.qhd+i)%n] != t {
			continue
		}
		for j := i; j < x.qn-1; j++ {
			x.q[(x.qhd+j)%n] = x.q[(x.qhd+j+1)%n]
		}
		x.qn--
		x.stats.WaitTime += x.e.Now().Sub(x.qsince[t])
		return
	}
}

// account brings Busy and the period's usage up to now.
func (x *Host) account() {
	now := x.e.Now()
	if dt := int64(now - x.last); dt > 0 {
		u := int64(x.nrun) * dt
		x.stats.Busy += time.Duration(u)
		x.used += u
		x.last = now
	}
}

// Handle implements sim.Handler.
func (x *Host) Handle(ev sim.Event) {
	switch ev.Kind {
	case kCore:
		c := ev.Entity
		if uint32(ev.Arg) != x.cores[c].gen {
			return // superseded (preempted, throttled)
		}
		x.coreEvent(c)
	case kThrottle:
		if uint64(ev.Arg) != x.throttleGen {
			return
		}
		x.throttlePending = false
		x.account()
		if x.runtime > 0 && x.used >= x.runtime {
			x.throttle()
			return
		}
		x.armThrottle()
	case kPeriod:
		x.periodEnd()
	}
}

// coreEvent ends core c's span or slice.
func (x *Host) coreEvent(c int32) {
	x.account()
	cc := &x.cores[c]
	t := cc.t
	th := &x.threads[t]
	now := x.e.Now()
	th.remain -= now.Sub(th.since)
	th.since = now
	if th.remain <= 0 {
		th.remain = 0
		x.nrun--
		th.state = tHeld
		x.armThrottle()
		th.r.CPUDone(th.entity, th.tag)
		th = &x.threads[t]
		if th.state == tHeld {
			th.state, th.core = tIdle, -1
			x.freeCore(c)
		}
		return
	}
	// The slice ended with CPU still owed.
	cc.sliceEnd = now.Add(x.slice)
	if x.qn == 0 {
		x.schedCore(c) // nobody waits: a new slice
		return
	}
	x.nrun--
	th.core = -1
	x.enqueue(t, false)
	x.dispatch(c)
	x.armThrottle()
}
