package scenarios

// downstreams.go: the metrics of the services every replica shares, the
// database (model/sql) and the backend (model/backend), and of the
// per-replica pools in front of them. Names follow sql.DBStats and the
// bottleneck convention of sim/experiment: <resource>_utilization in
// [0, 1], <resource>_wait_…_ns, <resource>_refused.

import (
	"math"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

func (m *httpModel) downstreamMetrics(out []scenario.Metric) []scenario.Metric {
	return m.backendMetrics(m.dbMetrics(out))
}

func per(x float64, n int64) float64 {
	if n == 0 {
		return 0
	}
	return x / float64(n)
}

func (m *httpModel) dbMetrics(out []scenario.Metric) []scenario.Metric {
	if m.db == nil {
		return out
	}
	var waitCount, opened, fails, cancelled, maxIdleClosed, lifeClosed, idleTimeClosed, queries int64
	var waitNs float64
	inUsePeak, open := 0, 0
	util, nUtil := 0.0, 0
	for _, p := range m.dbs {
		st := p.Stats()
		waitCount += st.WaitCount
		waitNs += float64(st.WaitDuration)
		opened += int64(st.Opened)
		fails += int64(st.ConnectFails)
		cancelled += int64(st.Cancelled)
		maxIdleClosed += st.MaxIdleClosed
		lifeClosed += st.MaxLifetimeClosed
		idleTimeClosed += st.MaxIdleTimeClosed
		queries += int64(st.Queries)
		inUsePeak = max(inUsePeak, st.InUsePeak)
		open += st.OpenConnections
		if u := p.Utilization(); u >= 0 {
			util += u
			nUtil++
		}
	}
	ss := m.db.Stats()
	poolUtil, dbUtil := math.NaN(), math.NaN()
	if nUtil > 0 {
		poolUtil = util / float64(nUtil)
	}
	if u := m.db.Utilization(); u >= 0 {
		dbUtil = u
	}
	return append(out, scenario.MetricsOf(dbMetrics{
		WaitCount: float64(waitCount), Wait: per(waitNs, queries+int64(ss.Cancelled)), WaitMean: per(waitNs, waitCount),
		InUsePeak: float64(inUsePeak), Open: float64(open), Opened: float64(opened),
		MaxIdleClosed: float64(maxIdleClosed), MaxLifetimeClosed: float64(lifeClosed), MaxIdleTimeClosed: float64(idleTimeClosed),
		Cancelled: float64(cancelled),
		Queries:   float64(ss.Queries), QueueWait: per(float64(ss.QueueWait), int64(ss.Queries)),
		QueuePeak: float64(ss.QueuedPeak), ConnsPeak: float64(ss.ConnsPeak), Refused: float64(ss.Refused),
		PoolUtilization: poolUtil, Utilization: dbUtil,
	})...)
}

func (m *httpModel) backendMetrics(out []scenario.Metric) []scenario.Metric {
	if m.be == nil {
		return out
	}
	st := m.be.Stats()
	ps := m.be.Pool().Stats()
	util := math.NaN()
	if u := m.be.Utilization(); u >= 0 {
		util = u
	}
	return append(out, scenario.MetricsOf(backendMetrics{
		Calls: float64(st.Calls), Refused: float64(st.Failed),
		QueueWait: per(float64(st.QueueWait), int64(st.Completed)), QueuePeak: float64(st.QueuedPeak),
		Dials: float64(ps.Dials), Reused: float64(ps.Reused), ClosedIdleFull: float64(ps.ClosedIdleFull()),
		TimeWaitPeak: float64(st.TimeWaitPeak), PoolWait: ps.PoolWait.Mean(), PoolWaitP99: ps.PoolWait.Quantile(0.99),
		Utilization: util,
	})...)
}

// dbMetrics are the pools' figures (sql.DBStats, summed over replicas;
// peaks are the largest replica's), then the database's.
type dbMetrics struct {
	WaitCount         float64 `metric:"db_pool_wait_count" unit:"{query}"`
	Wait              float64 `metric:"db_pool_wait_ns" unit:"ns"`
	WaitMean          float64 `metric:"db_pool_wait_mean_ns" unit:"ns"`
	InUsePeak         float64 `metric:"db_pool_in_use_peak" unit:"{conn}"`
	Open              float64 `metric:"db_pool_open" unit:"{conn}"`
	Opened            float64 `metric:"db_pool_opened" unit:"{conn}"`
	MaxIdleClosed     float64 `metric:"db_pool_max_idle_closed" unit:"{conn}"`
	MaxLifetimeClosed float64 `metric:"db_pool_max_lifetime_closed" unit:"{conn}"`
	MaxIdleTimeClosed float64 `metric:"db_pool_max_idle_time_closed" unit:"{conn}"`
	Cancelled         float64 `metric:"db_cancelled" unit:"{query}"`

	Queries   float64 `metric:"db_queries" unit:"{query}"`
	QueueWait float64 `metric:"db_wait_queue_ns" unit:"ns"`
	QueuePeak float64 `metric:"db_queue_peak" unit:"{query}"`
	ConnsPeak float64 `metric:"db_conns_peak" unit:"{conn}"`
	Refused   float64 `metric:"db_refused" unit:"{conn}"`
	// NaN (left out) when not measured.
	PoolUtilization float64 `metric:"db_pool_utilization,optional" unit:"1"`
	Utilization     float64 `metric:"db_utilization,optional" unit:"1"`
}

// backendMetrics are the backend's figures, then the replicas'
// Transports' (model/transport).
type backendMetrics struct {
	Calls     float64 `metric:"backend_calls" unit:"{call}"`
	Refused   float64 `metric:"backend_refused" unit:"{call}"`
	QueueWait float64 `metric:"backend_wait_queue_ns" unit:"ns"`
	QueuePeak float64 `metric:"backend_queue_peak" unit:"{call}"`

	Dials          float64 `metric:"backend_dials" unit:"{conn}"`
	Reused         float64 `metric:"backend_reused" unit:"{conn}"`
	ClosedIdleFull float64 `metric:"backend_closed_idle_full" unit:"{conn}"`
	TimeWaitPeak   float64 `metric:"backend_time_wait_peak" unit:"{conn}"`
	PoolWait       float64 `metric:"backend_pool_wait_ns" unit:"ns"`
	PoolWaitP99    float64 `metric:"backend_pool_wait_p99_ns" unit:"ns"`
	Utilization    float64 `metric:"backend_utilization,optional" unit:"1"` // NaN: not measured
}
