package scenarios

// downstreams.go: the metrics of the services every replica shares, the
// database (model/sql) and the backend (model/backend), and of the
// per-replica pools in front of them. Names follow sql.DBStats and the
// bottleneck convention of sim/experiment: <resource>_utilization in
// [0, 1], <resource>_wait_…_ns, <resource>_refused.

import (
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
	out = append(out,
		// The pools (sql.DBStats, summed over replicas; peaks are the
		// largest replica's).
		scenario.Metric{Name: "db_pool_wait_count", Value: float64(waitCount)},
		scenario.Metric{Name: "db_pool_wait_ns", Value: per(waitNs, queries+int64(ss.Cancelled))},
		scenario.Metric{Name: "db_pool_wait_mean_ns", Value: per(waitNs, waitCount)},
		scenario.Metric{Name: "db_pool_in_use_peak", Value: float64(inUsePeak)},
		scenario.Metric{Name: "db_pool_open", Value: float64(open)},
		scenario.Metric{Name: "db_pool_opened", Value: float64(opened)},
		scenario.Metric{Name: "db_pool_max_idle_closed", Value: float64(maxIdleClosed)},
		scenario.Metric{Name: "db_pool_max_lifetime_closed", Value: float64(lifeClosed)},
		scenario.Metric{Name: "db_pool_max_idle_time_closed", Value: float64(idleTimeClosed)},
		scenario.Metric{Name: "db_cancelled", Value: float64(cancelled)},
		// The database.
		scenario.Metric{Name: "db_queries", Value: float64(ss.Queries)},
		scenario.Metric{Name: "db_wait_queue_ns", Value: per(float64(ss.QueueWait), int64(ss.Queries))},
		scenario.Metric{Name: "db_queue_peak", Value: float64(ss.QueuedPeak)},
		scenario.Metric{Name: "db_conns_peak", Value: float64(ss.ConnsPeak)},
		scenario.Metric{Name: "db_refused", Value: float64(ss.Refused)},
	)
	if nUtil > 0 {
		out = append(out, scenario.Metric{Name: "db_pool_utilization", Value: util / float64(nUtil)})
	}
	if u := m.db.Utilization(); u >= 0 {
		out = append(out, scenario.Metric{Name: "db_utilization", Value: u})
	}
	return out
}

func (m *httpModel) backendMetrics(out []scenario.Metric) []scenario.Metric {
	if m.be == nil {
		return out
	}
	st := m.be.Stats()
	ps := m.be.Pool().Stats()
	out = append(out,
		scenario.Metric{Name: "backend_calls", Value: float64(st.Calls)},
		scenario.Metric{Name: "backend_refused", Value: float64(st.Failed)},
		scenario.Metric{Name: "backend_wait_queue_ns", Value: per(float64(st.QueueWait), int64(st.Completed))},
		scenario.Metric{Name: "backend_queue_peak", Value: float64(st.QueuedPeak)},
		// The replicas' Transports (model/transport).
		scenario.Metric{Name: "backend_dials", Value: float64(ps.Dials)},
		scenario.Metric{Name: "backend_reused", Value: float64(ps.Reused)},
		scenario.Metric{Name: "backend_closed_idle_full", Value: float64(ps.ClosedIdleFull())},
		scenario.Metric{Name: "backend_time_wait_peak", Value: float64(st.TimeWaitPeak)},
		scenario.Metric{Name: "backend_pool_wait_ns", Value: ps.PoolWait.Mean()},
		scenario.Metric{Name: "backend_pool_wait_p99_ns", Value: ps.PoolWait.Quantile(0.99)},
	)
	if u := m.be.Utilization(); u >= 0 {
		out = append(out, scenario.Metric{Name: "backend_utilization", Value: u})
	}
	return out
}
