package scenarios

import (
	"fmt"
	"io"
	"slices"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// goroutines is the goroutine-per-connection picture of the reference's
// first section, on the HTTP stack (buildHTTP: model/workload → model/tcp
// → model/httpserver on model/gmp, with the collector): clients open
// connections as sessions (Poisson, load.rate per second), each sending
// conn.requests keep-alive requests separated by client.think and then
// closing; net/http's accept loop (Server.Serve) starts one goroutine per
// connection (go c.serve), which parks on the netpoller between requests.
// Most goroutines wait in IO wait; a few run.
//
// The scenario's keys map onto the stack's (goroutinesMap): load.rate is
// session.rate (the open loop is off), conn.requests is session.requests,
// client.think is load.think, conn.stack is server.stack, accept.cpu is
// server.accept.cpu, and conn.write is net/http's own per-request CPU
// (server.cpu) beside the handler's handler.cpu. Simplified: the response
// write is CPU, not a syscall, because model/httpserver takes socket writes
// as never blocking; a request's CPU (handler.cpu + conn.write, exp(7µs) +
// 3µs by default, ~10 µs as measured-here.md's hello-world) is the same as
// when this scenario ran on model/gmpload, which still drives the browser's
// first section. The other keys of the stack (net.rtt, tls, GOGC, the
// Server timeouts, handler.kind, ...) are exposed under their own names;
// the open- and closed-loop workload keys are not.
func init() {
	scenario.Register(&scenario.Scenario{
		Name:    "goroutines",
		Summary: "goroutine-per-connection on the HTTP stack and GMP scheduler: most goroutines wait on the netpoller, a few run",
		Params:  goroutinesParams(),
		Build:   buildGoroutines,
	})
}

// goroutinesOwn are the scenario's own keys, in the order they were
// documented. Each key of goroutinesMap is one of them.
var goroutinesOwn = []scenario.Param{
	{Key: "GOMAXPROCS", Kind: scenario.Int, Default: "4", Help: "number of Ps per server replica", Min: 1, Max: 1024},
	{Key: "load.rate", Kind: scenario.Float, Default: "1000", Help: "new connections (client sessions) per second (Poisson)", Min: 0, Max: 1e7},
	{Key: "handler.cpu", Kind: scenario.Dist, Default: "exp(7us)", Help: "CPU per request: read, parse, route, handle"},
	{Key: "conn.requests", Kind: scenario.Int, Default: "10", Help: "keep-alive requests per connection before the client closes", Min: 1, Max: 1e9},
	{Key: "client.think", Kind: scenario.Dist, Default: "exp(100ms)", Help: "client delay between a response and its next request"},
	{Key: "conn.write", Kind: scenario.Duration, Default: "3us", Help: "write(2) of a response (CPU: net/http's server.cpu)", Min: 0, Max: 1e10},
	{Key: "conn.stack", Kind: scenario.Bytes, Default: "8KiB", Help: "stack a conn.serve goroutine grows to (measured: 8 KiB)", Min: 2048, Max: 1 << 30},
	{Key: "accept.cpu", Kind: scenario.Duration, Default: "2us", Help: "accept loop CPU per connection (accept4, newConn)", Min: 1, Max: 1e10},
	scenario.DurationParam("10s"),
}

// goroutinesMap maps the stack's keys to the scenario's key whose value
// they take ("" means the fixed value in goroutinesFixed).
var goroutinesMap = map[string]string{
	"session.rate":      "load.rate",
	"session.requests":  "conn.requests",
	"load.think":        "client.think",
	"server.cpu":        "conn.write",
	"server.stack":      "conn.stack",
	"server.accept.cpu": "accept.cpu",
}

// goroutinesFixed are stack keys set to a fixed value and not exposed: the
// open loop is off (load.rate of the stack is the open-loop request rate,
// here the name of the session rate).
var goroutinesFixed = []string{"load.rate=0"}

// goroutinesHidden are stack keys of the other workload modes (open and
// closed loop), not exposed.
var goroutinesHidden = []string{"load.constant", "load.steps", "load.clients", "load.ramp", "Transport.MaxConnsPerHost"}

// goroutinesParams returns the scenario's keys followed by the stack's keys
// that neither it nor goroutinesMap covers.
func goroutinesParams() []scenario.Param {
	ps := slices.Clone(goroutinesOwn)
	for _, p := range httpParams(nil) {
		if _, mapped := goroutinesMap[p.Key]; mapped || p.Key == "load.rate" || slices.Contains(goroutinesHidden, p.Key) ||
			slices.ContainsFunc(goroutinesOwn, func(q scenario.Param) bool { return q.Key == p.Key }) {
			continue
		}
		ps = append(ps, p)
	}
	return ps
}

// stackValues translates the scenario's values to the HTTP stack's.
func stackValues(p *scenario.Values) (*scenario.Values, error) {
	hv, err := scenario.Parse(httpParams(nil), goroutinesFixed)
	if err != nil {
		return nil, err
	}
	for _, d := range hv.Defs() {
		from := d.Key
		if k, ok := goroutinesMap[d.Key]; ok {
			from = k
		} else if d.Key == "load.rate" || !p.Has(d.Key) {
			continue
		}
		if err := hv.Set(d.Key, p.Raw(from)); err != nil {
			return nil, fmt.Errorf("goroutines: %s (from %s): %w", d.Key, from, err)
		}
	}
	return hv, nil
}

func buildGoroutines(e *sim.Engine, p *scenario.Values, env *scenario.Env) (scenario.Model, error) {
	hv, err := stackValues(p)
	if err != nil {
		return nil, err
	}
	h, err := buildHTTP(e, hv)
	if err != nil {
		return nil, err
	}
	m := &goroutinesModel{httpModel: h}
	h.extra = m.schedMetrics
	if env != nil && env.Trace != nil {
		// One line per execute: a G starts running on a P (of server s
		// when there are several).
		for i, srv := range h.srvs {
			srv.Sched().SetTrace(traceLine(env.Trace, i, len(h.srvs) > 1))
		}
	}
	return m, nil
}

func traceLine(w io.Writer, srv int, multi bool) func(gmp.TraceEvent) {
	if multi {
		return func(ev gmp.TraceEvent) {
			fmt.Fprintf(w, "{\"t\":%d,\"s\":%d,\"p\":%d,\"g\":%d}\n", ev.Time, srv, ev.P, ev.G)
		}
	}
	return func(ev gmp.TraceEvent) {
		fmt.Fprintf(w, "{\"t\":%d,\"p\":%d,\"g\":%d}\n", ev.Time, ev.P, ev.G)
	}
}

// goroutinesModel is the HTTP stack with the scheduler's metrics and
// probes. Metrics: the stack's (completed, latency, goroutines_peak,
// errors, ...) then the scheduler's; with server.replicas > 1, counts are
// summed over the replicas, runq_mean is summed (runnable Gs over all
// servers), and the scheduling-latency figures are the worst replica's.
type goroutinesModel struct {
	*httpModel
}

func (m *goroutinesModel) schedMetrics(h *httpModel) []scenario.Metric {
	var (
		s                     gmp.Stats
		conns, connsPeak      int
		accepted              uint64
		utilSum, utilN        float64
		utilMin, utilMax      = 1.0, 0.0
		now                   = max(1, h.e.Now())
		perP                  []scenario.Metric
		runqMean, spin        float64
		latMean, latP99, latX int64
	)
	for i, srv := range h.srvs {
		sc := srv.Sched()
		st := sc.Stats()
		s.Goroutines += st.Goroutines
		s.Steals += st.Steals
		s.Handoffs += st.Handoffs
		s.Preemptions += st.Preemptions
		s.Netpolls += st.Netpolls
		s.StackBytesPeak += st.StackBytesPeak
		s.RunqPeak += st.RunqPeak
		s.Created += st.Created
		runqMean += st.RunqMean
		spin += float64(st.SpinningTime)
		latMean = max(latMean, int64(st.SchedLatencyMean))
		latP99 = max(latP99, int64(st.SchedLatencyP99))
		latX = max(latX, int64(st.SchedLatencyMax))
		ss := srv.Stats()
		conns += ss.Conns
		connsPeak += ss.ConnsPeak
		accepted += ss.Accepted
		for j := range sc.NumP() {
			u := float64(sc.P(gmp.PID(j)).Busy) / float64(now)
			utilSum += u
			utilN++
			utilMin, utilMax = min(utilMin, u), max(utilMax, u)
			if i == 0 && j < 8 {
				// per-P columns for the first replica's first 8 Ps;
				// min/mean/max cover the rest.
				perP = append(perP, scenario.Metric{Name: fmt.Sprintf("p%d_util", j), Value: u})
			}
		}
	}
	return append([]scenario.Metric{
		{Name: "goroutines_end", Value: float64(s.Goroutines)},
		{Name: "goroutines_created", Value: float64(s.Created)},
		{Name: "conns_accepted", Value: float64(accepted)},
		{Name: "conns_open_end", Value: float64(conns)},
		{Name: "conns_peak", Value: float64(connsPeak)},
		{Name: "runq_mean", Value: runqMean},
		{Name: "runq_peak", Value: float64(s.RunqPeak)},
		{Name: "sched_latency_mean_ns", Value: float64(latMean)},
		{Name: "sched_latency_p99_ns", Value: float64(latP99)},
		{Name: "sched_latency_max_ns", Value: float64(latX)},
		{Name: "steals", Value: float64(s.Steals)},
		{Name: "handoffs", Value: float64(s.Handoffs)},
		{Name: "preemptions", Value: float64(s.Preemptions)},
		{Name: "netpolls", Value: float64(s.Netpolls)},
		{Name: "spinning_ns", Value: spin},
		{Name: "stack_bytes_peak", Value: float64(s.StackBytesPeak)},
		{Name: "p_util_mean", Value: utilSum / max(1, utilN)},
		{Name: "p_util_min", Value: utilMin},
		{Name: "p_util_max", Value: utilMax},
	}, perP...)
}

var goroutinesProbes = []string{"goroutines", "running", "runnable", "netpoll_waiting", "conns_open", "stack_bytes", "in_flight", "completed"}

// Probes implements scenario.Prober.
func (m *goroutinesModel) Probes() []string { return goroutinesProbes }

// Probe implements scenario.Prober: what the goroutines of all replicas
// are doing now. running counts Ps with a G on them; runnable the Gs in
// local run queues, runnext slots and the global queue; netpoll_waiting
// the Gs parked on the netpoller. O(total GOMAXPROCS), no allocation.
func (m *goroutinesModel) Probe(row []float64) {
	clear(row)
	for _, srv := range m.srvs {
		s := srv.Sched()
		st := s.Stats()
		row[0] += float64(st.Goroutines)
		row[2] += float64(s.GlobalRunqLen())
		for i := range s.NumP() {
			p := s.P(gmp.PID(i))
			row[2] += float64(p.RunqLen)
			if p.Runnext != gmp.NoG {
				row[2]++
			}
			if p.Curg != gmp.NoG {
				row[1]++
			}
		}
		row[3] += float64(s.NetWaiting())
		row[4] += float64(srv.Stats().Conns)
		row[5] += float64(st.StackBytes)
	}
	w := m.wl.Stats()
	row[6] = float64(w.InFlight)
	row[7] = float64(w.Completed)
}
