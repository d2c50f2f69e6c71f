package scenarios

import (
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// quota is the classic Kubernetes case: a Go server in a container with a
// CPU limit of 2 cores (cgroup v2 cpu.max "200000 100000") on an 8-core
// node, with GOMAXPROCS=8 (set explicitly, or Go before 1.25, which only
// looked at the node's CPUs). Most of the time it uses a fraction of its
// quota. Then the collector starts a cycle: a dedicated mark worker on 2 of
// the 8 Ps and idle-priority mark workers on every P with nothing else to
// do (findRunnable's idle-time marking), so the process burns up to 8 cores
// and uses its 200 ms of quota in about 25 ms; CFS throttles every thread
// for the rest of the 100 ms period, and the requests that arrive meanwhile
// wait: cpu.stat's nr_throttled goes up once per GC cycle and p99 shows the
// stall. Go 1.25+'s default (GOMAXPROCS=0 here: min(cores, max(2,
// ceil(quota))) = 2) cannot use more than 2 cores, so it is never
// throttled; GOMAXPROCS=1 neither, at the cost of marking on one P.
//
// With quota.compare (on by default) the same arrivals (the same seeded
// streams, so common random numbers) also go to two more servers on the
// same engine, one with Go's default GOMAXPROCS and one with GOMAXPROCS=1,
// reported as default_* and gomaxprocs1_* beside the configured server's
// metrics; a variant equal to the configured GOMAXPROCS is left out.
func init() {
	scenario.Register(scenario.New("quota",
		"GOMAXPROCS above a cgroup CPU quota: GC mark workers on every P use up the quota, CFS throttles, p99 stalls; beside Go's default and GOMAXPROCS=1",
		defaultQuotaConfig, buildQuota))
}

// QuotaConfig is the HTTP stack on a host with a CPU quota, and whether to
// run the comparison servers.
type QuotaConfig struct {
	Compare bool `key:"quota.compare" help:"also serve the same arrivals with Go's default GOMAXPROCS (0) and with GOMAXPROCS=1, reported as default_* and gomaxprocs1_*"`
	Stack   HTTPConfig
}

func defaultQuotaConfig() QuotaConfig {
	c := QuotaConfig{Compare: true, Stack: DefaultHTTPConfig()}
	s := &c.Stack
	s.Runtime.GOMAXPROCS = 8
	s.Runtime.LiveHeap = 256 << 20 // a cache: each cycle marks 256 MiB, ~256 ms of CPU at ScanRate
	s.Host = HostConfig{Cores: 8, Quota: 2, Period: 100 * time.Millisecond}
	s.Handler.Kind = "json"
	s.Handler.Alloc = dist.Const{V: 2048}
	s.Load.Rate = 30000 // ~0.3 cores of request CPU: well under the quota on average
	s.Transport.MaxConnsPerHost = 1024
	s.Duration = 10 * time.Second
	return c
}

// quotaVariant is one comparison server.
type quotaVariant struct {
	prefix string
	m      *httpModel
}

// quotaModel is the configured server plus the comparison servers.
type quotaModel struct {
	*httpModel
	variants []quotaVariant
}

func buildQuota(e *sim.Engine, c *QuotaConfig, _ *scenario.Env) (scenario.Model, error) {
	main, err := buildHTTP(e, &c.Stack)
	if err != nil {
		return nil, err
	}
	q := &quotaModel{httpModel: main}
	if !c.Compare {
		return q, nil
	}
	for _, v := range []struct {
		prefix string
		procs  int
	}{{"default_", 0}, {"gomaxprocs1_", 1}} {
		if v.procs == c.Stack.Runtime.GOMAXPROCS {
			continue
		}
		vc := c.Stack
		vc.Runtime.GOMAXPROCS = v.procs
		m, err := buildHTTP(e, &vc)
		if err != nil {
			return nil, err
		}
		q.variants = append(q.variants, quotaVariant{prefix: v.prefix, m: m})
	}
	return q, nil
}

// quotaCompared are the metrics reported for each comparison server. None
// ends in _utilization or _fraction, so the planner's bottleneck report
// reads only the configured server's.
var quotaCompared = []string{"gomaxprocs", "throughput_rps", "latency_p50_ns", "latency_p99_ns", "cpu_throttled_periods", "cpu_throttled_ns", "gc_cycles"}

// Metrics implements scenario.Model: the configured server's metrics, then
// each comparison server's main figures under its prefix.
func (q *quotaModel) Metrics() []scenario.Metric {
	out := q.httpModel.Metrics()
	for _, v := range q.variants {
		ms := v.m.Metrics()
		for _, name := range quotaCompared {
			for _, mt := range ms {
				if mt.Name == name {
					out = append(out, scenario.Metric{Name: v.prefix + name, Value: mt.Value, Unit: mt.Unit})
				}
			}
		}
	}
	return out
}
