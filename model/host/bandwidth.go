package host

import (
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// bandwidth.go: CFS bandwidth control, per period, as kernel/sched/fair.c
// does it for cgroup v2's cpu.max: a pool of quota×period runtime refilled
// by the period timer (do_sched_cfs_period_timer →
// __refill_cfs_bandwidth_runtime), drawn by the running threads
// (account_cfs_rq_runtime); when it is empty the process's run queues are
// throttled (throttle_cfs_rq) until the refill unthrottles them
// (distribute_cfs_runtime → unthrottle_cfs_rq).

// activatePeriod starts the period timer if it is not running
// (start_cfs_bandwidth). Periods are aligned on multiples of the period from
// time zero; the first period after an idle spell starts with a full pool,
// as the kernel's does (the refill happened when the timer last fired).
func (x *Host) activatePeriod() {
	if x.runtime == 0 || x.periodActive {
		return
	}
	x.periodActive = true
	p := int64(x.cfg.Period)
	next := (int64(x.e.Now())/p + 1) * p
	x.e.Schedule(sim.Time(next), x.h, kPeriod, 0, 0)
}

// armThrottle schedules the instant the pool runs out at the current rate
// of use (nrun cores), unless an earlier check is already pending: when the
// rate drops, the pending check fires early and re-arms.
func (x *Host) armThrottle() {
	if x.runtime == 0 || x.throttled || x.nrun == 0 {
		return
	}
	rem := x.runtime - x.used
	var d int64
	if rem > 0 {
		d = (rem + int64(x.nrun) - 1) / int64(x.nrun)
	}
	at := x.e.Now().Add(time.Duration(d))
	if x.throttlePending && x.throttleAt <= at {
		return
	}
	x.throttleGen++
	x.throttlePending = true
	x.throttleAt = at
	x.e.Schedule(at, x.h, kThrottle, 0, int64(x.throttleGen))
}

// throttle stops every thread of the process (throttle_cfs_rq on each CPU):
// running threads keep their cores, paused, with the rest of their slice.
func (x *Host) throttle() {
	now := x.e.Now()
	x.throttled = true
	x.periodThrottled = true
	x.stats.Throttles++
	for c := range x.cores {
		cc := &x.cores[c]
		if cc.t == NoThread {
			continue
		}
		th := &x.threads[cc.t]
		cc.pausedAt = now
		if th.state != tRunning {
			continue // held: counts as throttled from now
		}
		if th.remain <= now.Sub(th.since) {
			// Its span ends at this very instant (its core event is
			// due now): it completes, and pauses if it asks for more.
			continue
		}
		th.remain -= now.Sub(th.since)
		th.state = tPaused
		cc.sliceLeft = max(cc.sliceEnd.Sub(now), 0)
		cc.gen++ // supersede the core's pending event
		x.nrun--
	}
}

// periodEnd is the period timer (do_sched_cfs_period_timer): count the
// period, refill the pool, unthrottle, and stop the timer after a period in
// which the process used no CPU and was not throttled.
func (x *Host) periodEnd() {
	x.account()
	x.stats.Periods++
	idle := x.used == 0 && !x.periodThrottled
	if x.periodThrottled {
		x.stats.ThrottledPeriods++
	}
	x.used = 0
	x.periodThrottled = false
	if x.throttled {
		x.unthrottle()
	}
	if idle && x.nrun == 0 && x.qn == 0 {
		x.periodActive = false
		return
	}
	x.e.After(x.cfg.Period, x.h, kPeriod, 0, 0)
	x.armThrottle()
}

// unthrottle resumes every paused thread (unthrottle_cfs_rq), adding each
// core's throttled time to ThrottledTime as the kernel adds each cfs_rq's.
func (x *Host) unthrottle() {
	now := x.e.Now()
	x.throttled = false
	x.throttlePending = false
	x.throttleGen++
	for c := range x.cores {
		cc := &x.cores[c]
		if cc.t == NoThread {
			continue
		}
		x.stats.ThrottledTime += now.Sub(cc.pausedAt)
		th := &x.threads[cc.t]
		if th.state != tPaused {
			continue
		}
		th.state = tRunning
		th.since = now
		cc.sliceEnd = now.Add(cc.sliceLeft)
		x.nrun++
		x.schedCore(int32(c))
	}
}

// Stats returns the counters up to now.
func (x *Host) Stats() Stats {
	x.account()
	st := x.stats
	st.Elapsed = x.e.Now().Sub(x.from)
	if x.throttled {
		// Cores throttled now count up to now, as reading cpu.stat
		// during a throttle does not (the kernel adds at unthrottle);
		// the model includes them so a run that ends throttled is not
		// under-reported.
		for c := range x.cores {
			if x.cores[c].t != NoThread {
				st.ThrottledTime += x.e.Now().Sub(x.cores[c].pausedAt)
			}
		}
	}
	return st
}

// ResetStats starts the counters afresh (the end of a warm-up).
func (x *Host) ResetStats() {
	x.account()
	x.from = x.e.Now()
	x.stats = Stats{Cores: x.stats.Cores, Quota: x.stats.Quota}
	if x.throttled {
		for c := range x.cores {
			x.cores[c].pausedAt = x.from
		}
	}
}
