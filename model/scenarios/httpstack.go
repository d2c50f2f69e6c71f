package scenarios

// httpstack.go assembles the HTTP/1.1 server stack shared by the throughput,
// timeouts and million scenarios: clients (model/workload) → TCP
// (model/tcp) → an L4 balancer (model/lb) → server.replicas × (GMP
// scheduler + net/http server + handler + GC).

import (
	"fmt"
	"math"
	"time"

	"github.com/gohttpsim/gohttpsim/model/backend"
	"github.com/gohttpsim/gohttpsim/model/gc"
	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/model/handler"
	"github.com/gohttpsim/gohttpsim/model/host"
	"github.com/gohttpsim/gohttpsim/model/httpserver"
	"github.com/gohttpsim/gohttpsim/model/lb"
	"github.com/gohttpsim/gohttpsim/model/sql"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/model/workload"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// httpModel is the assembled stack; it implements scenario.Model and
// scenario.Prober.
type httpModel struct {
	e        *sim.Engine
	end      sim.Time
	net      *tcp.Net
	wire     *httpserver.Wire
	srvs     []*httpserver.Server
	bal      *lb.Balancer
	wl       *workload.Workload
	hd       *handler.Handler
	db       *sql.Server      // shared by every replica; nil without db steps
	dbs      []*sql.DB        // one pool per replica
	be       *backend.Service // shared by every replica; nil without http steps
	hosts    []*host.Host     // per replica, when the host model is on
	procs    int              // effective GOMAXPROCS
	lastT    sim.Time
	lastDone uint64
	extra    func(m *httpModel) []scenario.Metric
}

func buildHTTP(e *sim.Engine, c *HTTPConfig) (*httpModel, error) {
	m := &httpModel{e: e, end: sim.Time(c.Duration)}
	var hd *handler.Handler
	var err error
	hc := &c.Handler
	if hc.Kind == "sequence" {
		hd, err = handler.ParseSequence(hc.Sequence)
	} else {
		hd, err = handler.New(hc.Kind, hc.CPU)
	}
	if err != nil {
		return nil, err
	}
	for i := range hd.Ops {
		op := &hd.Ops[i]
		switch {
		case hc.Kind == "sleep" && op.Kind == handler.OpSleep:
			op.D = hc.Sleep
		case hc.Kind == "db" && op.Kind == handler.OpDB:
			op.D = hc.Query
		case hc.Kind == "json" && op.Bytes != nil:
			op.Bytes = hc.Alloc
		}
	}
	hd.Timeout = hc.Timeout
	hd.WithMiddleware(hc.Middleware, hc.MiddlewareCPU)
	m.hd = hd

	tlsv, err := tcp.ParseTLS(c.Net.TLS)
	if err != nil {
		return nil, err
	}
	m.net, err = tcp.New(e, tcp.Config{
		RTT: c.Net.RTT, Bandwidth: c.Net.Bandwidth, LossRate: c.Net.Loss,
		Congestion: tcp.CongestionByName(c.Net.Congestion), TLS: tlsv,
	})
	if err != nil {
		return nil, err
	}
	wire := &httpserver.Wire{}
	m.wire = wire
	n := c.Server.Replicas
	if cl := c.Load.Clients; cl > 0 {
		m.net.Reserve(cl + 1024)
		wire.Reserve(cl + 1024)
	}
	if hd.Has(handler.OpDB) {
		// One database for the whole fleet: replicas add pools, not
		// database capacity.
		m.db, err = sql.NewServer(e, c.DB.Server())
		if err != nil {
			return nil, err
		}
	}
	if hd.Has(handler.OpHTTP) {
		// One backend service for the whole fleet; each replica calls it
		// through its own http.Transport.
		m.be, err = backend.New(e, c.Backend.Config())
		if err != nil {
			return nil, err
		}
	}
	lns := make([]tcp.ListenerID, n)
	procs, cores, err := c.Procs()
	if err != nil {
		return nil, err
	}
	m.procs = procs
	hostOn := c.Host.On(&c.Client)
	if c.Client.OnHost && n > 1 {
		return nil, fmt.Errorf("client.onhost needs server.replicas=1 (the load generator shares one host's cores)")
	}
	for i := range n {
		gcfg := c.Runtime.GMP()
		gcfg.GOMAXPROCS = procs
		if hostOn {
			h, err := host.New(e, host.Config{Cores: cores, Quota: c.Host.Quota, Period: c.Host.Period})
			if err != nil {
				return nil, err
			}
			gcfg.Host = h
			m.hosts = append(m.hosts, h)
		}
		s := gmp.New(e, gcfg)
		var srv *httpserver.Server
		var col *gc.GC
		if c.Runtime.GOGC == 0 {
			return nil, fmt.Errorf("GOGC=0 (collect continuously) is not modelled; use -1 for off or a positive percentage")
		}
		// With the host model on, the collector follows gcController's
		// worker plan, idle mark workers included: their CPU is what a
		// quota runs out of. Off, the earlier plan keeps earlier results.
		col, err = gc.New(s, gc.Config{GOGC: c.Runtime.GOGC, GOMEMLIMIT: c.Runtime.GOMEMLIMIT, Controller: hostOn,
			Marked: c.Runtime.LiveHeap + c.Runtime.LiveNoscan, CycleCPU: c.Runtime.GCCycleCPU, ScanRate: c.Runtime.GCScanRate, Globals: c.Runtime.Globals}, func() (int64, int64) {
			live, scan := srv.LiveHeap()
			return live + c.Runtime.LiveHeap + c.Runtime.LiveNoscan, scan + c.Runtime.LiveHeap
		})
		if err != nil {
			return nil, err
		}
		var db handler.DB
		if m.db != nil {
			stream := "handler/db"
			if i > 0 {
				stream = fmt.Sprintf("handler/db/%d", i)
			}
			pool, err := sql.NewDB(m.db, c.DB.Pool(), stream)
			if err != nil {
				return nil, err
			}
			m.dbs = append(m.dbs, pool)
			db = pool
		}
		run := handler.NewRunner(s, hd, db, col)
		if m.be != nil {
			cl, err := m.be.NewClient()
			if err != nil {
				return nil, err
			}
			run.SetBackend(cl)
		}
		sc := &c.Server
		srv, err = httpserver.New(s, m.net, wire, run, col, httpserver.Config{
			ReadTimeout: sc.ReadTimeout, ReadHeaderTimeout: sc.ReadHeaderTimeout,
			WriteTimeout: sc.WriteTimeout, IdleTimeout: sc.IdleTimeout,
			MaxHeaderBytes: int(sc.MaxHeaderBytes), TimeoutHandler: sc.TimeoutHandler,
			RequestCPU: c.ServerCost.CPU, ConnStack: int(c.ServerCost.Stack), AcceptCPU: c.ServerCost.AcceptCPU,
			Somaxconn: sc.Somaxconn, FDLimit: sc.FDLimit,
		})
		if err != nil {
			return nil, err
		}
		if cl := c.Load.Clients; cl > 0 {
			srv.Reserve(cl/n + 1024)
		}
		m.srvs = append(m.srvs, srv)
		lns[i] = srv.Listener()
	}
	m.bal, err = lb.New(c.Server.Policy, n, e.Stream("lb/pick"))
	if err != nil {
		return nil, err
	}
	steps, err := workload.ParseSteps(c.Load.Steps)
	if err != nil {
		return nil, err
	}
	wcfg := workload.Config{
		Rate: c.Load.Rate, Steps: steps, Constant: c.Load.Constant,
		Clients: c.Load.Clients, Think: c.Client.Think,
		Timeout: c.Client.Timeout, Retries: c.Client.Retries, DisableKeepAlives: !c.Client.KeepAlive,
		MaxConnsPerHost: c.Transport.MaxConnsPerHost,
		ClientsRamp:     c.Load.Ramp,
		SessionRate:     c.Session.Rate, SessionRequests: c.Session.Requests,
		HeaderBytes: c.Client.Header, BodyBytes: c.Client.Body,
		SlowRate: c.Slowloris.Rate, SlowInterval: c.Slowloris.Interval,
		SlowStart: c.Slowloris.Start, SlowStop: c.Slowloris.Stop,
	}
	if c.Client.OnHost {
		wcfg.Host, wcfg.CPU = m.hosts[0], c.Client.CPU
	}
	m.wl, err = workload.New(e, m.net, wire, lns, m.bal, wcfg)
	if err != nil {
		return nil, err
	}
	return m, nil
}

func (m *httpModel) End() sim.Time { return m.end }

// Conservation returns the workload's request accounting: arrived =
// completed + failed + in flight must hold at any instant.
func (m *httpModel) Conservation() (arrived, completed, failed uint64, inFlight int) {
	st := m.wl.Stats()
	return st.Arrived, st.Completed, st.FailedTotal(), st.InFlight
}

// totals sums per-replica figures.
type totals struct {
	goroutines, goroutinesPeak int
	stack, stackPeak           int64
	busy                       time.Duration
	procs                      int
	gcCPU                      time.Duration
	gcCycles                   uint64
	heap, heapPeak, heapGoal   int64
	conns, connsPeak           int
	byState                    [4]int
	fds                        int
	acceptQ                    int
	acceptDrops                uint64 // SYNs dropped: the accept queue (somaxconn) was full
	srv                        httpserver.Stats
}

func (m *httpModel) totals() totals {
	var t totals
	for _, srv := range m.srvs {
		s := srv.Sched()
		st := s.Stats()
		t.goroutines += st.Goroutines
		t.goroutinesPeak += st.GoroutinesPeak
		t.stack += st.StackBytes
		t.stackPeak += st.StackBytesPeak
		for i := range s.NumP() {
			t.busy += s.P(gmp.PID(i)).Busy
		}
		t.procs += s.NumP()
		g := srv.GC().Stats()
		t.gcCPU += g.CPU
		t.gcCycles += g.Cycles
		t.heap += g.HeapInUse
		t.heapPeak += g.HeapPeak
		t.heapGoal += g.HeapGoal
		ss := srv.Stats()
		t.conns += ss.Conns
		t.connsPeak += ss.ConnsPeak
		for i := range t.byState {
			t.byState[i] += ss.ByState[i]
		}
		open, _ := m.net.FDs(srv.Listener())
		t.fds += open
		t.acceptQ += m.net.QueueLen(srv.Listener())
		t.acceptDrops += m.net.Overflows(srv.Listener())
		t.srv.Accepted += ss.Accepted
		t.srv.AcceptEMFILE += ss.AcceptEMFILE
		t.srv.Status503 += ss.Status503
		t.srv.Status431 += ss.Status431
		t.srv.InnerRunning += ss.InnerRunning
		for i := range ss.Closes {
			t.srv.Closes[i] += ss.Closes[i]
		}
	}
	return t
}

// Metrics implements scenario.Model: the common HTTP metrics, then the
// scenario's extras.
func (m *httpModel) Metrics() []scenario.Metric {
	now := m.e.Now()
	secs := now.Seconds()
	if secs == 0 {
		secs = 1
	}
	w := m.wl.Stats()
	lat := m.wl.Latency()
	t := m.totals()
	out := scenario.MetricsOf(httpMetrics{
		Completed: float64(w.Completed), Throughput: float64(w.Completed) / secs,
		LatencyMean: lat.Mean(), LatencyP50: lat.Quantile(0.5), LatencyP99: lat.Quantile(0.99),
		CPUUtilization: t.busy.Seconds() / (secs * float64(t.procs)), GCCPUFraction: t.gcCPU.Seconds() / (secs * float64(t.procs)),
		GCCycles: float64(t.gcCycles), HeapPeak: float64(t.heapPeak), GoroutinesPeak: float64(t.goroutinesPeak),
		Errors: float64(w.FailedTotal()), Arrived: float64(w.Arrived), InFlight: float64(w.InFlight),
		AcceptQueueRefused: float64(t.acceptDrops), FDsRefused: float64(t.srv.AcceptEMFILE),
	})
	for c := range workload.NumCauses {
		out = append(out, scenario.Metric{Name: "failed_" + c.String(), Value: float64(w.Failed[c]), Unit: "{req}"})
	}
	out = m.downstreamMetrics(out)
	out = append(out, m.hostMetrics(secs)...)
	if m.extra != nil {
		out = append(out, m.extra(m)...)
	}
	return out
}

// httpMetrics are the results every HTTP stack scenario reports first.
type httpMetrics struct {
	Completed      float64 `metric:"completed" unit:"{req}"`
	Throughput     float64 `metric:"throughput_rps" unit:"req/s"`
	LatencyMean    float64 `metric:"latency_mean_ns" unit:"ns"`
	LatencyP50     float64 `metric:"latency_p50_ns" unit:"ns"`
	LatencyP99     float64 `metric:"latency_p99_ns" unit:"ns"`
	CPUUtilization float64 `metric:"cpu_utilization" unit:"1"`
	GCCPUFraction  float64 `metric:"gc_cpu_fraction" unit:"1"`
	GCCycles       float64 `metric:"gc_cycles" unit:"{cycle}"`
	HeapPeak       float64 `metric:"heap_peak_bytes" unit:"B"`
	GoroutinesPeak float64 `metric:"goroutines_peak" unit:"{G}"`
	Errors         float64 `metric:"errors" unit:"{req}"`
	Arrived        float64 `metric:"arrived" unit:"{req}"`
	InFlight       float64 `metric:"in_flight" unit:"{req}"`
	// Limits hit (the bottleneck convention's <resource>_refused).
	AcceptQueueRefused float64 `metric:"accept_queue_refused" unit:"{conn}"`
	FDsRefused         float64 `metric:"fds_refused" unit:"{conn}"`
}

// hostMetrics are the effective GOMAXPROCS and, with the host model on,
// the host's figures summed over replicas (cpu.stat's nr_throttled and
// throttled_usec). The names follow sim/experiment's bottleneck
// convention: host_cpu_utilization (host cores), cpu_quota_utilization (CPU
// quota), cpu_throttled_fraction (quota throttling: nr_throttled /
// nr_periods).
func (m *httpModel) hostMetrics(secs float64) []scenario.Metric {
	nan := math.NaN()
	hm := hostMetrics{GOMAXPROCS: float64(m.procs), Cores: nan, Utilization: nan, ThrottledPeriods: nan, ThrottledNs: nan,
		ThrottledFraction: nan, Periods: nan, WaitMean: nan, QuotaUtilization: nan, ClientCPU: nan}
	if len(m.hosts) > 0 {
		var sum host.Stats
		for _, h := range m.hosts {
			sum.Add(h.Stats())
		}
		cores, quota := float64(sum.Cores), sum.Quota
		hm.Cores, hm.Utilization = cores/float64(len(m.hosts)), sum.Busy.Seconds()/(secs*cores)
		hm.ThrottledPeriods, hm.ThrottledNs = float64(sum.ThrottledPeriods), float64(sum.ThrottledTime)
		hm.ThrottledFraction, hm.Periods = sum.ThrottledFraction(), float64(sum.Periods)
		hm.WaitMean = meanNs(int64(sum.WaitTime), int64(sum.Waits))
		if quota > 0 {
			hm.QuotaUtilization = sum.Busy.Seconds() / (secs * quota)
		}
		if m.wl.Config().Host != nil {
			hm.ClientCPU = float64(m.wl.ClientCPU())
		}
	}
	return scenario.MetricsOf(hm)
}

// hostMetrics: the optional ones are NaN (left out) without the host
// model, cpu_quota_utilization also without a quota, client_cpu_ns without
// the client on the host.
type hostMetrics struct {
	GOMAXPROCS        float64 `metric:"gomaxprocs" unit:"{P}"`
	Cores             float64 `metric:"host_cores,optional" unit:"{core}"`
	Utilization       float64 `metric:"host_cpu_utilization,optional" unit:"1"`
	ThrottledPeriods  float64 `metric:"cpu_throttled_periods,optional" unit:"{period}"`
	ThrottledNs       float64 `metric:"cpu_throttled_ns,optional" unit:"ns"`
	ThrottledFraction float64 `metric:"cpu_throttled_fraction,optional" unit:"1"`
	Periods           float64 `metric:"cpu_periods,optional" unit:"{period}"`
	WaitMean          float64 `metric:"host_cpu_wait_mean_ns,optional" unit:"ns"`
	QuotaUtilization  float64 `metric:"cpu_quota_utilization,optional" unit:"1"`
	ClientCPU         float64 `metric:"client_cpu_ns,optional" unit:"ns"`
}

var httpProbes = []string{"goroutines", "conns", "conns_active", "conns_idle", "conns_new", "fds", "accept_queue",
	"heap_bytes", "stack_bytes", "mem_bytes", "served_rps", "completed", "errors", "in_flight", "status_503", "slowloris_conns"}

var httpProbeUnits = []string{"{G}", "{conn}", "{conn}", "{conn}", "{conn}", "{fd}", "{conn}",
	"B", "B", "B", "req/s", "{req}", "{req}", "{req}", "{req}", "{conn}"}

// Probes implements scenario.Prober.
func (m *httpModel) Probes() []string { return httpProbes }

// ProbeUnits implements scenario.Prober.
func (m *httpModel) ProbeUnits() []string { return httpProbeUnits }

// Probe implements scenario.Prober; served_rps is over the last interval.
func (m *httpModel) Probe(row []float64) {
	t := m.totals()
	w := m.wl.Stats()
	now := m.e.Now()
	rate := 0.0
	if dt := now - m.lastT; dt > 0 {
		rate = float64(w.Completed-m.lastDone) / dt.Seconds()
	}
	m.lastT, m.lastDone = now, w.Completed
	row[0] = float64(t.goroutines)
	row[1] = float64(t.conns)
	row[2] = float64(t.byState[httpserver.StateActive])
	row[3] = float64(t.byState[httpserver.StateIdle])
	row[4] = float64(t.byState[httpserver.StateNew])
	row[5] = float64(t.fds)
	row[6] = float64(t.acceptQ)
	row[7] = float64(t.heap)
	row[8] = float64(t.stack)
	row[9] = float64(t.heap + t.stack)
	row[10] = rate
	row[11] = float64(w.Completed)
	row[12] = float64(w.FailedTotal())
	row[13] = float64(w.InFlight)
	row[14] = float64(t.srv.Status503)
	row[15] = float64(w.SlowConns)
}
