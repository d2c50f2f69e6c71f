package scenarios

// httpstack.go assembles the HTTP/1.1 server stack shared by the throughput,
// timeouts and million scenarios: clients (model/workload) → TCP
// (model/tcp) → an L4 balancer (model/lb) → server.replicas × (GMP
// scheduler + net/http server + handler + GC).

import (
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gc"
	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/model/handler"
	"github.com/gohttpsim/gohttpsim/model/httpserver"
	"github.com/gohttpsim/gohttpsim/model/lb"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/model/workload"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// httpParams returns the parameters every HTTP scenario shares, with the
// given defaults overriding the built-in ones (key → default).
func httpParams(over map[string]string) []scenario.Param {
	ps := []scenario.Param{
		{Key: "GOMAXPROCS", Kind: scenario.Int, Default: "8", Help: "Ps per server replica", Min: 1, Max: 1024},
		{Key: "GOGC", Kind: scenario.Int, Default: "100", Help: "GC target percentage (-1: off)", Min: -1, Max: 1e6},
		{Key: "GOMEMLIMIT", Kind: scenario.Bytes, Default: "0", Help: "soft memory limit (0: none)", Min: 0, Max: 1 << 50},
		{Key: "handler.kind", Kind: scenario.Enum, Default: "hello", Enum: []string{"hello", "json", "db", "sleep", "sequence"}, Help: "what the handler does"},
		{Key: "handler.cpu", Kind: scenario.Dist, Default: "500ns", Help: "the handler's own CPU per request (each CPU step of the kind)"},
		{Key: "handler.sequence", Kind: scenario.String, Default: "cpu(5us)+db(exp(2ms))+cpu(3us)", Help: "steps for handler.kind=sequence: cpu(D), alloc(SIZE), sleep(D), db(D) joined by +"},
		{Key: "handler.sleep", Kind: scenario.Dist, Default: "10ms", Help: "wait of the sleep handler (no CPU)"},
		{Key: "handler.query", Kind: scenario.Dist, Default: "exp(2ms)", Help: "database time per query of the db handler"},
		{Key: "handler.alloc", Kind: scenario.SizeDist, Default: "2048", Help: "bytes the json handler allocates per request"},
		{Key: "handler.timeout", Kind: scenario.Duration, Default: "0s", Help: "context.WithTimeout in the handler: cancels its DB work (0: none)", Min: 0, Max: 1e13},
		{Key: "handler.middleware", Kind: scenario.Int, Default: "0", Help: "middleware layers in front of the handler", Min: 0, Max: 100},
		{Key: "handler.middleware.cpu", Kind: scenario.Dist, Default: "300ns", Help: "CPU of each middleware layer"},
		{Key: "server.cpu", Kind: scenario.Dist, Default: "8.8us", Help: "net/http's own CPU per request (read, parse, write syscalls); calibrated to ~103K req/s/core"},
		{Key: "server.stack", Kind: scenario.Bytes, Default: "8KiB", Help: "stack a conn.serve goroutine grows to (assumption)", Min: 2048, Max: 1 << 30},
		{Key: "server.accept.cpu", Kind: scenario.Duration, Default: "2us", Help: "accept loop CPU per connection (accept4, newConn)", Min: 1, Max: 1e10},
		{Key: "server.replicas", Kind: scenario.Int, Default: "1", Help: "identical server instances behind the load balancer", Min: 1, Max: 1000},
		{Key: "lb.policy", Kind: scenario.Enum, Default: lb.RoundRobin, Enum: lb.Policies, Help: "how the L4 balancer spreads connections"},
		{Key: "Server.ReadTimeout", Kind: scenario.Duration, Default: "0s", Help: "http.Server.ReadTimeout", Min: -1e13, Max: 1e13},
		{Key: "Server.ReadHeaderTimeout", Kind: scenario.Duration, Default: "0s", Help: "http.Server.ReadHeaderTimeout (0: ReadTimeout)", Min: -1e13, Max: 1e13},
		{Key: "Server.WriteTimeout", Kind: scenario.Duration, Default: "0s", Help: "http.Server.WriteTimeout", Min: -1e13, Max: 1e13},
		{Key: "Server.IdleTimeout", Kind: scenario.Duration, Default: "0s", Help: "http.Server.IdleTimeout (0: ReadTimeout)", Min: -1e13, Max: 1e13},
		{Key: "Server.MaxHeaderBytes", Kind: scenario.Bytes, Default: "1MiB", Help: "http.Server.MaxHeaderBytes (431 beyond it + 4096)", Min: 1, Max: 1 << 30},
		{Key: "http.TimeoutHandler", Kind: scenario.Duration, Default: "0s", Help: "wrap the handler in http.TimeoutHandler with this dt (0: none)", Min: 0, Max: 1e13},
		{Key: "DB.MaxOpenConns", Kind: scenario.Int, Default: "0", Help: "sql.DB.SetMaxOpenConns (0: unlimited)", Min: 0, Max: 1e6},
		{Key: "DB.MaxIdleConns", Kind: scenario.Int, Default: "2", Help: "sql.DB.SetMaxIdleConns (default 2; -1: none)", Min: -1, Max: 1e6},
		{Key: "db.workers", Kind: scenario.Int, Default: "16", Help: "queries the database runs at once (0: unlimited)", Min: 0, Max: 1e6},
		{Key: "net.rtt", Kind: scenario.Duration, Default: "0s", Help: "client–server round-trip time", Min: 0, Max: 1e11},
		{Key: "net.bandwidth", Kind: scenario.Float, Default: "0", Help: "bytes/s per connection direction (0: unlimited)", Min: 0, Max: 1e13},
		{Key: "net.loss", Kind: scenario.Float, Default: "0", Help: "per-segment loss probability", Min: 0, Max: 0.5},
		{Key: "tcp.congestion", Kind: scenario.Enum, Default: "cubic", Enum: []string{"cubic", "reno"}, Help: "congestion control"},
		{Key: "tls", Kind: scenario.Enum, Default: "none", Enum: []string{"none", "1.2", "1.3"}, Help: "TLS version (handshake RTTs)"},
		{Key: "somaxconn", Kind: scenario.Int, Default: "4096", Help: "net.core.somaxconn: accept queue length", Min: 1, Max: 1 << 20},
		{Key: "ulimit.n", Kind: scenario.Int, Default: "1048576", Help: "descriptor limit of a server process (EMFILE beyond it)", Min: 5, Max: 1 << 30},
		{Key: "load.rate", Kind: scenario.Float, Default: "100000", Help: "open-loop requests per second (Poisson)", Min: 0, Max: 1e9},
		{Key: "load.constant", Kind: scenario.Bool, Default: "false", Help: "constant inter-arrival times instead of Poisson"},
		{Key: "load.steps", Kind: scenario.String, Default: "", Help: "rate changes TIME:RATE,... (e.g. 2s:50000,4s:5000)"},
		{Key: "load.clients", Kind: scenario.Int, Default: "0", Help: "closed-loop clients, each on its own keep-alive connection", Min: 0, Max: 1e7},
		{Key: "session.rate", Kind: scenario.Float, Default: "0", Help: "new client sessions per second (Poisson), each on its own connection", Min: 0, Max: 1e8},
		{Key: "session.requests", Kind: scenario.Int, Default: "10", Help: "requests per session (separated by load.think) before the client closes", Min: 1, Max: 1e9},
		{Key: "load.think", Kind: scenario.Dist, Default: "0", Help: "closed-loop think time"},
		{Key: "request.header", Kind: scenario.Bytes, Default: "100", Help: "request line and headers on the wire", Min: 16, Max: 1 << 30},
		{Key: "request.body", Kind: scenario.Bytes, Default: "0", Help: "request body bytes", Min: 0, Max: 1 << 40},
		{Key: "client.timeout", Kind: scenario.Duration, Default: "0s", Help: "http.Client.Timeout (0: none)", Min: 0, Max: 1e13},
		{Key: "client.retries", Kind: scenario.Int, Default: "0", Help: "retries of a request failed by timeout, EOF or refusal", Min: 0, Max: 100},
		{Key: "Transport.MaxConnsPerHost", Kind: scenario.Int, Default: "0", Help: "open-loop connections per server; beyond it requests wait (0: unlimited, Go's default)", Min: 0, Max: 1e7},
		{Key: "client.keepalive", Kind: scenario.Bool, Default: "true", Help: "reuse connections (false: DisableKeepAlives)"},
		{Key: "load.ramp", Kind: scenario.Duration, Default: "0s", Help: "closed-loop clients start spread over this span", Min: 0, Max: 1e13},
		{Key: "slowloris.rate", Kind: scenario.Float, Default: "0", Help: "new slowloris connections per second (Poisson)", Min: 0, Max: 1e7},
		{Key: "slowloris.interval", Kind: scenario.Duration, Default: "10s", Help: "a slowloris connection sends a header byte this often", Min: 1, Max: 1e13},
		{Key: "slowloris.start", Kind: scenario.Duration, Default: "0s", Help: "when the attack starts", Min: 0, Max: 1e13},
		{Key: "slowloris.stop", Kind: scenario.Duration, Default: "0s", Help: "when the attack stops opening connections (0: never)", Min: 0, Max: 1e13},
		scenario.DurationParam("1s"),
	}
	for i := range ps {
		if d, ok := over[ps[i].Key]; ok {
			ps[i].Default = d
		}
	}
	return ps
}

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
	dbs      []*handler.DB
	lastT    sim.Time
	lastDone uint64
	extra    func(m *httpModel) []scenario.Metric
}

func buildHTTP(e *sim.Engine, p *scenario.Values) (*httpModel, error) {
	m := &httpModel{e: e, end: sim.Time(p.Duration("duration"))}
	var hd *handler.Handler
	var err error
	kind := p.String("handler.kind")
	if kind == "sequence" {
		hd, err = handler.ParseSequence(p.String("handler.sequence"))
	} else {
		hd, err = handler.New(kind, p.Dist("handler.cpu"))
	}
	if err != nil {
		return nil, err
	}
	for i := range hd.Ops {
		op := &hd.Ops[i]
		switch {
		case kind == "sleep" && op.Kind == handler.OpSleep:
			op.D = p.Dist("handler.sleep")
		case kind == "db" && op.Kind == handler.OpDB:
			op.D = p.Dist("handler.query")
		case kind == "json" && op.Bytes != nil:
			op.Bytes = p.Dist("handler.alloc")
		}
	}
	hd.Timeout = p.Duration("handler.timeout")
	hd.WithMiddleware(p.Int("handler.middleware"), p.Dist("handler.middleware.cpu"))
	m.hd = hd

	tlsv, err := tcp.ParseTLS(p.String("tls"))
	if err != nil {
		return nil, err
	}
	m.net, err = tcp.New(e, tcp.Config{
		RTT: p.Duration("net.rtt"), Bandwidth: p.Float("net.bandwidth"), LossRate: p.Float("net.loss"),
		Congestion: tcp.CongestionByName(p.String("tcp.congestion")), TLS: tlsv,
	})
	if err != nil {
		return nil, err
	}
	wire := &httpserver.Wire{}
	m.wire = wire
	n := p.Int("server.replicas")
	if c := p.Int("load.clients"); c > 0 {
		m.net.Reserve(c + 1024)
		wire.Reserve(c + 1024)
	}
	lns := make([]tcp.ListenerID, n)
	for i := range n {
		gcfg := gmp.DefaultConfig()
		gcfg.GOMAXPROCS = p.Int("GOMAXPROCS")
		s := gmp.New(e, gcfg)
		var srv *httpserver.Server
		var col *gc.GC
		gogc := p.Int("GOGC")
		if gogc == 0 {
			return nil, fmt.Errorf("GOGC=0 (collect continuously) is not modelled; use -1 for off or a positive percentage")
		}
		col, err = gc.New(s, gc.Config{GOGC: gogc, GOMEMLIMIT: p.Bytes("GOMEMLIMIT")}, func() (int64, int64) { return srv.LiveHeap() })
		if err != nil {
			return nil, err
		}
		var db *handler.DB
		if hasDB(hd) {
			db, err = handler.NewDB(e, handler.DBConfig{MaxOpenConns: p.Int("DB.MaxOpenConns"), MaxIdleConns: p.Int("DB.MaxIdleConns"), Workers: p.Int("db.workers")})
			if err != nil {
				return nil, err
			}
			m.dbs = append(m.dbs, db)
		}
		run := handler.NewRunner(s, hd, db, col)
		srv, err = httpserver.New(s, m.net, wire, run, col, httpserver.Config{
			ReadTimeout: p.Duration("Server.ReadTimeout"), ReadHeaderTimeout: p.Duration("Server.ReadHeaderTimeout"),
			WriteTimeout: p.Duration("Server.WriteTimeout"), IdleTimeout: p.Duration("Server.IdleTimeout"),
			MaxHeaderBytes: int(p.Bytes("Server.MaxHeaderBytes")), TimeoutHandler: p.Duration("http.TimeoutHandler"),
			RequestCPU: p.Dist("server.cpu"), ConnStack: int(p.Bytes("server.stack")), AcceptCPU: p.Duration("server.accept.cpu"),
			Somaxconn: p.Int("somaxconn"), FDLimit: p.Int("ulimit.n"),
		})
		if err != nil {
			return nil, err
		}
		if c := p.Int("load.clients"); c > 0 {
			srv.Reserve(c/n + 1024)
		}
		m.srvs = append(m.srvs, srv)
		lns[i] = srv.Listener()
	}
	m.bal, err = lb.New(p.String("lb.policy"), n, e.Stream("lb/pick"))
	if err != nil {
		return nil, err
	}
	steps, err := workload.ParseSteps(p.String("load.steps"))
	if err != nil {
		return nil, err
	}
	m.wl, err = workload.New(e, m.net, wire, lns, m.bal, workload.Config{
		Rate: p.Float("load.rate"), Steps: steps, Constant: p.Bool("load.constant"),
		Clients: p.Int("load.clients"), Think: p.Dist("load.think"),
		Timeout: p.Duration("client.timeout"), Retries: p.Int("client.retries"), DisableKeepAlives: !p.Bool("client.keepalive"),
		MaxConnsPerHost: p.Int("Transport.MaxConnsPerHost"),
		ClientsRamp:     p.Duration("load.ramp"),
		SessionRate:     p.Float("session.rate"), SessionRequests: p.Int("session.requests"),
		HeaderBytes: p.Bytes("request.header"), BodyBytes: p.Bytes("request.body"),
		SlowRate: p.Float("slowloris.rate"), SlowInterval: p.Duration("slowloris.interval"),
		SlowStart: p.Duration("slowloris.start"), SlowStop: p.Duration("slowloris.stop"),
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

func hasDB(h *handler.Handler) bool {
	for _, op := range h.Ops {
		if op.Kind == handler.OpDB {
			return true
		}
	}
	return false
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
	out := []scenario.Metric{
		{Name: "completed", Value: float64(w.Completed)},
		{Name: "throughput_rps", Value: float64(w.Completed) / secs},
		{Name: "latency_mean_ns", Value: lat.Mean()},
		{Name: "latency_p50_ns", Value: lat.Quantile(0.5)},
		{Name: "latency_p99_ns", Value: lat.Quantile(0.99)},
		{Name: "cpu_utilization", Value: t.busy.Seconds() / (secs * float64(t.procs))},
		{Name: "gc_cpu_fraction", Value: t.gcCPU.Seconds() / (secs * float64(t.procs))},
		{Name: "gc_cycles", Value: float64(t.gcCycles)},
		{Name: "heap_peak_bytes", Value: float64(t.heapPeak)},
		{Name: "goroutines_peak", Value: float64(t.goroutinesPeak)},
		{Name: "errors", Value: float64(w.FailedTotal())},
		{Name: "arrived", Value: float64(w.Arrived)},
		{Name: "in_flight", Value: float64(w.InFlight)},
	}
	for c := range workload.NumCauses {
		out = append(out, scenario.Metric{Name: "failed_" + c.String(), Value: float64(w.Failed[c])})
	}
	if m.extra != nil {
		out = append(out, m.extra(m)...)
	}
	return out
}

var httpProbes = []string{"goroutines", "conns", "conns_active", "conns_idle", "conns_new", "fds", "accept_queue",
	"heap_bytes", "stack_bytes", "mem_bytes", "served_rps", "completed", "errors", "in_flight", "status_503", "slowloris_conns"}

// Probes implements scenario.Prober.
func (m *httpModel) Probes() []string { return httpProbes }

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
