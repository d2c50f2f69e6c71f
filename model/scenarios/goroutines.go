package scenarios

import (
	"fmt"
	"io"
	"time"

	"github.com/gohttpsim/gohttpsim/model/httpserver"
	"github.com/gohttpsim/gohttpsim/sim/dist"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// goroutines is the goroutine-per-connection picture of the reference's
// first section, on the HTTP stack (buildHTTP: model/workload → model/tcp
// → model/httpserver on model/gmp, with the collector): clients open
// connections as sessions (Poisson, session.rate per second), each sending
// conn.requests keep-alive requests separated by client.think and then
// closing; net/http's accept loop (Server.Serve) starts one goroutine per
// connection (go c.serve), which parks on the netpoller between requests.
// Most goroutines wait in IO wait; a few run.
//
// Five of the scenario's keys stand for the stack's under the names the
// section uses (GoroutinesConfig.stack): conn.requests is
// session.requests, client.think is load.think, conn.stack is
// server.stack, accept.cpu is server.accept.cpu, and conn.write is
// net/http's own per-request CPU (server.cpu) beside the handler's
// handler.cpu. Simplified: the response write is CPU, not a syscall,
// because model/httpserver takes socket writes as never blocking; a
// request's CPU (handler.cpu + conn.write, exp(7µs) + 3µs by default,
// ~10 µs as measured-here.md's hello-world) is the same as when this
// scenario ran on model/gmpload, which still drives the browser's first
// section. The other keys of the stack (net.rtt, tls, GOGC, the Server
// timeouts, handler.kind, ...) are exposed under their own names; the
// open- and closed-loop workload keys are not (the open loop is off).
func init() {
	scenario.Register(scenario.New("goroutines",
		"goroutine-per-connection on the HTTP stack and GMP scheduler: most goroutines wait on the netpoller, a few run",
		defaultGoroutinesConfig, buildGoroutines))
}

// GoroutinesConfig is the HTTP stack driven by client sessions only.
type GoroutinesConfig struct {
	ConnRequests int           `key:"conn.requests" min:"1" max:"1e9" range:"1,1000" help:"keep-alive requests per connection before the client closes"`
	ClientThink  dist.Dist     `key:"client.think" help:"client delay between a response and its next request"`
	ConnWrite    time.Duration `key:"conn.write" min:"0" max:"1e10" help:"write(2) of a response (CPU: net/http's server.cpu)"`
	ConnStack    int64         `key:"conn.stack" unit:"B" min:"2048" max:"1GiB" help:"stack a conn.serve goroutine grows to (measured: 8 KiB)"`
	AcceptCPU    time.Duration `key:"accept.cpu" min:"1" max:"1e10" help:"accept loop CPU per connection (accept4, newConn)"`
	// Stack holds the rest; the keys the five above stand for, and the
	// open- and closed-loop workload's, are not parameters.
	Stack HTTPConfig `omit:"load.rate,load.constant,load.steps,load.clients,load.ramp,Transport.MaxConnsPerHost,session.requests,load.think,server.cpu,server.stack,server.accept.cpu"`
}

func defaultGoroutinesConfig() GoroutinesConfig {
	c := GoroutinesConfig{
		ConnRequests: 10,
		ClientThink:  dist.Exp{M: float64(100 * time.Millisecond)},
		ConnWrite:    3 * time.Microsecond,
		ConnStack:    httpserver.DefaultConnStack,
		AcceptCPU:    httpserver.DefaultAcceptCPU,
		Stack:        DefaultHTTPConfig(),
	}
	c.Stack.Runtime.GOMAXPROCS = 4
	c.Stack.Load.Rate = 0
	c.Stack.Session.Rate = 1000
	c.Stack.Handler.CPU = dist.Exp{M: float64(7 * time.Microsecond)}
	c.Stack.Duration = 10 * time.Second
	return c
}

// stack returns the HTTP stack's config with the scenario's own keys in
// the places they stand for.
func (c *GoroutinesConfig) stack() HTTPConfig {
	h := c.Stack
	h.Session.Requests = c.ConnRequests
	h.Client.Think = c.ClientThink
	h.ServerCost.CPU = dist.Const{V: float64(c.ConnWrite)}
	h.ServerCost.Stack = c.ConnStack
	h.ServerCost.AcceptCPU = c.AcceptCPU
	return h
}

func buildGoroutines(e *sim.Engine, c *GoroutinesConfig, env *scenario.Env) (scenario.Model, error) {
	hc := c.stack()
	h, err := buildHTTP(e, &hc)
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
				perP = append(perP, scenario.Metric{Name: fmt.Sprintf("p%d_util", j), Value: u, Unit: "1"})
			}
		}
	}
	return scenario.MetricsOf(schedMetrics{
		GoroutinesEnd: float64(s.Goroutines), GoroutinesCreated: float64(s.Created),
		ConnsAccepted: float64(accepted), ConnsOpenEnd: float64(conns), ConnsPeak: float64(connsPeak),
		RunqMean: runqMean, RunqPeak: float64(s.RunqPeak),
		SchedLatencyMean: float64(latMean), SchedLatencyP99: float64(latP99), SchedLatencyMax: float64(latX),
		Steals: float64(s.Steals), Handoffs: float64(s.Handoffs), Preemptions: float64(s.Preemptions),
		Netpolls: float64(s.Netpolls), Spinning: spin, StackBytesPeak: float64(s.StackBytesPeak),
		PUtilMean: utilSum / max(1, utilN), PUtilMin: utilMin, PUtilMax: utilMax,
		PerP: perP,
	})
}

// schedMetrics are the scheduler's figures (gmp.Stats) after the stack's.
type schedMetrics struct {
	GoroutinesEnd     float64 `metric:"goroutines_end" unit:"{G}"`
	GoroutinesCreated float64 `metric:"goroutines_created" unit:"{G}"`
	ConnsAccepted     float64 `metric:"conns_accepted" unit:"{conn}"`
	ConnsOpenEnd      float64 `metric:"conns_open_end" unit:"{conn}"`
	ConnsPeak         float64 `metric:"conns_peak" unit:"{conn}"`
	RunqMean          float64 `metric:"runq_mean" unit:"{G}"`
	RunqPeak          float64 `metric:"runq_peak" unit:"{G}"`
	SchedLatencyMean  float64 `metric:"sched_latency_mean_ns" unit:"ns"`
	SchedLatencyP99   float64 `metric:"sched_latency_p99_ns" unit:"ns"`
	SchedLatencyMax   float64 `metric:"sched_latency_max_ns" unit:"ns"`
	Steals            float64 `metric:"steals" unit:"{G}"`
	Handoffs          float64 `metric:"handoffs" unit:"{P}"`
	Preemptions       float64 `metric:"preemptions" unit:"{G}"`
	Netpolls          float64 `metric:"netpolls" unit:"{poll}"`
	Spinning          float64 `metric:"spinning_ns" unit:"ns"`
	StackBytesPeak    float64 `metric:"stack_bytes_peak" unit:"B"`
	PUtilMean         float64 `metric:"p_util_mean" unit:"1"`
	PUtilMin          float64 `metric:"p_util_min" unit:"1"`
	PUtilMax          float64 `metric:"p_util_max" unit:"1"`
	// p<i>_util for the first replica's first 8 Ps.
	PerP []scenario.Metric
}

var goroutinesProbes = []string{"goroutines", "running", "runnable", "netpoll_waiting", "conns_open", "stack_bytes", "in_flight", "completed"}

var goroutinesProbeUnits = []string{"{G}", "{P}", "{G}", "{G}", "{conn}", "B", "{req}", "{req}"}

// Probes implements scenario.Prober.
func (m *goroutinesModel) Probes() []string { return goroutinesProbes }

// ProbeUnits implements scenario.Prober.
func (m *goroutinesModel) ProbeUnits() []string { return goroutinesProbeUnits }

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
