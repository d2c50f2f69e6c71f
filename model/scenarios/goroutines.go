package scenarios

import (
	"fmt"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/model/gmpload"
	"github.com/gohttpsim/gohttpsim/model/scenario"
	"github.com/gohttpsim/gohttpsim/sim"
)

// goroutines is the goroutine-per-connection picture of the reference's
// first section, on the scheduler model: clients open connections (Poisson),
// net/http's accept loop starts one goroutine per connection, and each
// serves its client's keep-alive requests, parked on the netpoller between
// them. See model/gmpload for what is simplified.
func init() {
	scenario.Register(&scenario.Scenario{
		Name:    "goroutines",
		Summary: "goroutine-per-connection on the GMP scheduler: most goroutines wait on the netpoller, a few run",
		Params: []scenario.Param{
			{Key: "GOMAXPROCS", Kind: scenario.Int, Default: "4", Help: "number of Ps", Min: 1, Max: 1024},
			{Key: "load.rate", Kind: scenario.Float, Default: "1000", Help: "new connections per second (Poisson)", Min: 0, Max: 1e7},
			{Key: "handler.cpu", Kind: scenario.Dist, Default: "exp(7us)", Help: "CPU per request: read, parse, route, handle"},
			{Key: "conn.requests", Kind: scenario.Int, Default: "10", Help: "keep-alive requests per connection before the client closes", Min: 1, Max: 1e9},
			{Key: "client.think", Kind: scenario.Dist, Default: "exp(100ms)", Help: "client delay between a response and its next request or close"},
			{Key: "conn.write", Kind: scenario.Duration, Default: "3us", Help: "write(2) of a response, a syscall", Min: 0, Max: 1e10},
			{Key: "conn.stack", Kind: scenario.Bytes, Default: "8KiB", Help: "stack a conn.serve goroutine grows to (measured: 8 KiB)", Min: 2048, Max: 1 << 30},
			{Key: "accept.cpu", Kind: scenario.Duration, Default: "2us", Help: "accept loop CPU per connection (accept4, newConn)", Min: 0, Max: 1e10},
			scenario.DurationParam("10s"),
		},
		Build: buildGoroutines,
	})
}

func buildGoroutines(e *sim.Engine, p *scenario.Values, env *scenario.Env) (scenario.Model, error) {
	sc := gmp.DefaultConfig()
	sc.GOMAXPROCS = p.Int("GOMAXPROCS")
	cfg := gmpload.Config{
		Sched:      sc,
		Rate:       p.Float("load.rate"),
		Requests:   p.Int("conn.requests"),
		HandlerCPU: p.Dist("handler.cpu"),
		Think:      p.Dist("client.think"),
		AcceptCPU:  p.Duration("accept.cpu"),
		Write:      p.Duration("conn.write"),
		Stack:      int(p.Bytes("conn.stack")),
		Duration:   p.Duration("duration"),
	}
	l, err := gmpload.New(e, cfg)
	if err != nil {
		return nil, err
	}
	if env != nil && env.Trace != nil {
		// One line per execute: a G starts running on a P.
		w := env.Trace
		l.Sched().SetTrace(func(ev gmp.TraceEvent) {
			fmt.Fprintf(w, "{\"t\":%d,\"p\":%d,\"g\":%d}\n", ev.Time, ev.P, ev.G)
		})
	}
	return &goroutinesModel{l: l, end: sim.Time(p.Duration("duration")), row: make([]float64, 0, 8)}, nil
}

type goroutinesModel struct {
	l   *gmpload.Load
	end sim.Time
	row []float64
}

func (m *goroutinesModel) End() sim.Time { return m.end }

func (m *goroutinesModel) Metrics() []scenario.Metric {
	st := m.l.Stats()
	s := st.Sched
	ms := []scenario.Metric{
		{Name: "goroutines_peak", Value: float64(s.GoroutinesPeak)},
		{Name: "goroutines_end", Value: float64(s.Goroutines)},
		{Name: "conns_open_mean", Value: st.OpenMean},
		{Name: "conns_accepted", Value: float64(st.Accepted)},
		{Name: "completed", Value: float64(st.Completed)},
		{Name: "throughput_rps", Value: st.ThroughputRPS},
		{Name: "latency_mean_ns", Value: float64(st.LatencyMean)},
		{Name: "latency_p50_ns", Value: float64(st.LatencyP50)},
		{Name: "latency_p99_ns", Value: float64(st.LatencyP99)},
		{Name: "runq_mean", Value: s.RunqMean},
		{Name: "runq_peak", Value: float64(s.RunqPeak)},
		{Name: "sched_latency_mean_ns", Value: float64(s.SchedLatencyMean)},
		{Name: "sched_latency_p99_ns", Value: float64(s.SchedLatencyP99)},
		{Name: "steals", Value: float64(s.Steals)},
		{Name: "handoffs", Value: float64(s.Handoffs)},
		{Name: "preemptions", Value: float64(s.Preemptions)},
		{Name: "netpolls", Value: float64(s.Netpolls)},
		{Name: "spinning_ns", Value: float64(s.SpinningTime)},
		{Name: "stack_bytes_peak", Value: float64(s.StackBytesPeak)},
		{Name: "p_util_mean", Value: st.UtilMean},
		{Name: "p_util_min", Value: st.UtilMin},
		{Name: "p_util_max", Value: st.UtilMax},
	}
	for i := range m.l.Sched().NumP() {
		if i == 8 {
			break // per-P columns for the first 8 Ps only; min/mean/max cover the rest
		}
		ms = append(ms, scenario.Metric{Name: fmt.Sprintf("p%d_util", i), Value: float64(m.l.Sched().P(gmp.PID(i)).Busy) / float64(max(1, m.l.Sched().Now()))})
	}
	return ms
}

func (m *goroutinesModel) Probes() []string {
	return []string{"goroutines", "running", "runnable", "netpoll_waiting", "conns_open", "stack_bytes"}
}

func (m *goroutinesModel) Probe(row []float64) {
	c := m.l.Counts()
	row[0] = float64(c.Goroutines)
	row[1] = float64(c.Running)
	row[2] = float64(c.Runnable)
	row[3] = float64(c.NetWait)
	row[4] = float64(c.Open)
	row[5] = float64(m.l.Sched().Stats().StackBytes)
}
