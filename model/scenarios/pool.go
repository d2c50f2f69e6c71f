package scenarios

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/gohttpsim/gohttpsim/model/host"
	"github.com/gohttpsim/gohttpsim/model/http2"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/model/transport"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// Wire sizes of the pool scenario's exchange: Go's client sends
// "GET / HTTP/1.1\r\nHost: 127.0.0.1:NNNNN\r\nUser-Agent: Go-http-client/1.1\r\n
// Accept-Encoding: gzip\r\n\r\n" and the server answers "hello, world\n"
// with Date, Content-Length and Content-Type headers.
const (
	poolReqBytes  = 96
	poolRespBytes = 130
)

// poolClientCPU and poolConnCPU are fitted, not measured in isolation. The
// real workload (50 clients x 20 GETs, 1 ms handler, loopback, go1.26.8 on
// the 2-core VM; pool_test.go and `gohttpsim validate -only pool`) takes
// 40-60 ms for 1000 requests when every conn is reused (MaxIdleConnsPerHost
// 100: 50 dials), i.e. ~100 us of CPU per request for client, kernel and
// server on 2 busy cores, of which ~10 us is the server's handler.cpu
// (measured-here.md); and 60-80 ms with MaxIdleConnsPerHost 2 (~100-250
// dials), i.e. ~250 us of CPU per extra connection (connect, accept, two
// transport goroutines, close). With these the model's dials, reuses and
// makespans fall inside the real bands; with a client.cpu of exp(20us) and
// free dials the model reuses ~95% of requests (real: 81-94%).
var (
	poolClientCPU = dist.Exp{M: float64(90 * time.Microsecond)}
	poolConnCPU   = dist.Exp{M: float64(250 * time.Microsecond)}
)

func init() {
	scenario.Register(scenario.New("pool",
		"clients sending requests back to back through one http.Transport: dials, reuse, idle closes, TIME_WAIT, pool waits",
		defaultPoolConfig, buildPool))
}

// PoolConfig is clients on one host sharing one http.Transport to one
// server on the same host.
type PoolConfig struct {
	Load      LoadConfig    `only:"load.clients"`
	Requests  int           `key:"load.requests" min:"1" max:"1e6" range:"1,1000" help:"requests each client sends back to back"`
	Handler   HandlerConfig `only:"handler.sleep"`
	CPU       dist.Dist     `key:"server.request.cpu" help:"all the server's CPU per request, net/http and handler together (pool does not split them; measured ~10us here)"`
	ClientCPU dist.Dist     `key:"client.cpu" help:"client-side CPU per request on the host it shares with the server: Transport, readLoop/writeLoop, syscalls (pool: fitted, see poolClientCPU; HTTP stack: only with client.onhost, an assumption)"`
	ConnCPU   dist.Dist     `key:"conn.cpu" help:"CPU per new connection (connect, accept, conn goroutines, close; fitted here: see poolClientCPU)"`
	CPUs      int           `key:"cpus" min:"1" max:"1024" help:"cores shared by client and server (both on one host, as on loopback)"`
	Net       NetConfig     `only:"net.rtt"`
	Transport TransportConfig
	DrainBody bool   `key:"client.drain_body" help:"read each response body to EOF (false: the classic leak)"`
	CloseBody bool   `key:"client.close_body" help:"with drain_body=false: still Close the body (the conn is closed, not leaked)"`
	NewPer    bool   `key:"client.new_per_request" help:"a new http.Transport per request (the classic bug; a new Client with a nil Transport shares DefaultTransport and is harmless)"`
	Protocol  string `key:"client.protocol" enum:"http1,h2" help:"HTTP/1.1, or HTTP/2 conns shared through the pool (100 streams each until SETTINGS)"`
	scenario.Run
}

// defaultPoolConfig is net/http's DefaultTransport with
// MaxIdleConnsPerHost spelled out (2, what 0 means), on loopback.
func defaultPoolConfig() PoolConfig {
	c := PoolConfig{
		Load:      LoadConfig{Clients: 50},
		Requests:  20,
		Handler:   HandlerConfig{Sleep: dist.Const{V: float64(time.Millisecond)}},
		CPU:       dist.Exp{M: float64(10 * time.Microsecond)},
		ClientCPU: poolClientCPU,
		ConnCPU:   poolConnCPU,
		CPUs:      2,
		Net:       NetConfig{RTT: 20 * time.Microsecond},
		Transport: TransportConfig(transport.DefaultConfig()),
		DrainBody: true,
		Protocol:  "http1",
		Run:       scenario.Run{Duration: 10 * time.Minute},
	}
	c.Transport.MaxIdleConnsPerHost = transport.DefaultMaxIdleConnsPerHost
	return c
}

// Event kinds of the pool model.
const (
	kCPUDone sim.Kind = iota
	kSleepDone
)

// CPU jobs.
const (
	jobSend     = iota // client: build the request, Client.Do
	jobHandler         // server: net/http + handler CPU, then the sleep
	jobReadLoop        // client: readLoop reads the response, returns the conn
	jobConnCPU         // a new conn's CPU on both sides: occupies a core, delays nothing directly
)

type poolModel struct {
	e       *sim.Engine
	h       sim.HandlerID
	net     *tcp.Net
	h1      *transport.H1
	pool    *transport.Pool
	h2      *poolH2 // client.protocol=h2
	cfg     transport.Config
	tr      transport.TransportID
	key     transport.KeyID
	newPer  bool
	body    transport.BodyMode
	sleep   dist.Dist
	hcpu    dist.Dist
	ccpu    dist.Dist
	conncpu dist.Dist
	rng     *rand.Rand
	cpu     host.FIFO // the host's cores, shared by client and server
	end     sim.Time

	clients, perClient int
	left               []int32    // requests still to send, per client
	start              []sim.Time // current request's start, per client
	done, failed       int
	arrived            uint64 // requests started
	out                []bool // per client: a request outstanding
	outN               int    // clients with out set
	twPeak             int
	lat                stats.Histogram
	finish             sim.Time
}

func buildPool(e *sim.Engine, c *PoolConfig, env *scenario.Env) (scenario.Model, error) {
	net, err := tcp.New(e, tcp.Config{RTT: c.Net.RTT})
	if err != nil {
		return nil, err
	}
	m := &poolModel{
		e: e, net: net,
		cfg:       transport.Config(c.Transport),
		newPer:    c.NewPer,
		sleep:     c.Handler.Sleep,
		hcpu:      c.CPU,
		ccpu:      c.ClientCPU,
		conncpu:   c.ConnCPU,
		rng:       e.Stream("pool/cpu"),
		cpu:       host.NewFIFO(c.CPUs),
		end:       sim.Time(c.Duration),
		clients:   c.Load.Clients,
		perClient: c.Requests,
	}
	switch {
	case c.DrainBody:
		m.body = transport.BodyDrain
	case c.CloseBody:
		m.body = transport.BodyClose
	default:
		m.body = transport.BodyLeak
	}
	m.h = e.Register(m)
	if c.Protocol == "h2" {
		if err := m.buildH2(e, net, env); err != nil {
			return nil, err
		}
		return m.begin()
	}
	m.h1 = transport.NewH1(e, net, m)
	m.pool = m.h1.Pool
	m.h1.OnClientClose = m.sampleTimeWait
	m.h1.OnConnected = func(pc transport.PConnID) {
		// On loopback connect() returns once the kernel completed the
		// handshake; the conn's CPU (the server's accept and conn
		// goroutine, the transport's two goroutines, the eventual close)
		// competes for the cores but does not delay the dial.
		m.submit(jobConnCPU, int32(pc), false)
		m.h1.Pool.DialDone(pc, true)
	}
	return m.begin()
}

func (m *poolModel) begin() (scenario.Model, error) {
	var err error
	if m.tr, err = m.pool.NewTransport(m.cfg); err != nil {
		return nil, err
	}
	m.key = m.pool.Key(m.tr, 0)
	m.left = make([]int32, m.clients)
	m.start = make([]sim.Time, m.clients)
	m.out = make([]bool, m.clients)
	for c := range m.clients {
		m.left[c] = int32(m.perClient)
		m.nextRequest(int32(c), false)
	}
	return m, nil
}

func (m *poolModel) nextRequest(c int32, runnext bool) {
	if m.left[c] == 0 {
		if m.done+m.failed == m.clients*m.perClient {
			m.finish = m.e.Now()
			m.e.Stop()
		}
		return
	}
	m.left[c]--
	m.arrived++
	if !m.out[c] {
		m.out[c] = true
		m.outN++
	}
	m.start[c] = m.e.Now()
	m.submit(jobSend, c, runnext)
}

func (m *poolModel) submit(job int, r int32, front bool) {
	x := int64(job)<<32 | int64(r)
	if m.cpu.Submit(x, front) {
		m.run(x)
	}
}

func (m *poolModel) run(x int64) {
	var d time.Duration
	switch x >> 32 {
	case jobHandler:
		d = dist.SampleDuration(m.hcpu, m.rng)
	case jobConnCPU:
		d = dist.SampleDuration(m.conncpu, m.rng)
	default:
		d = dist.SampleDuration(m.ccpu, m.rng) / 2
	}
	m.e.After(d, m.h, kCPUDone, int32(x), x>>32)
}

// Handle implements sim.Handler.
func (m *poolModel) Handle(ev sim.Event) {
	r := ev.Entity
	switch ev.Kind {
	case kCPUDone:
		// Free the core first: the next queued job starts now.
		if x, ok := m.cpu.Done(); ok {
			m.run(x)
		}
		switch ev.Arg {
		case jobSend:
			key := m.key
			if m.newPer {
				// A new Transport per request: its pool starts empty.
				tr, _ := m.pool.NewTransport(m.cfg)
				key = m.pool.Key(tr, 0)
			}
			if m.h2 != nil {
				m.pool.GetConn(key, r)
				break
			}
			m.h1.Do(key, r, poolReqBytes)
		case jobHandler:
			m.e.After(dist.SampleDuration(m.sleep, m.rng), m.h, kSleepDone, r, 0)
		case jobReadLoop:
			// readLoop returns the conn before the caller sees EOF
			// (bodyEOFSignal fn → tryPutIdleConn), then wakes it.
			if m.h2 != nil {
				m.h2.release(r, m.body)
			} else {
				m.h1.Release(r, m.body)
			}
			m.done++
			m.settle(r)
			m.lat.Record(int64(m.e.Now() - m.start[r]))
			m.nextRequest(r, true)
		}
	case kSleepDone:
		if m.h2 != nil {
			m.h2.respond(r)
			break
		}
		m.h1.Respond(r, poolRespBytes)
	}
}

// GotConn implements transport.H1Owner.
func (m *poolModel) GotConn(r int32, reused, ok bool) {
	if !ok {
		m.failed++
		m.settle(r)
		m.nextRequest(r, true)
	}
}

// ServerRequest implements transport.H1Owner.
func (m *poolModel) ServerRequest(r int32) { m.submit(jobHandler, r, false) }

// GotResponse implements transport.H1Owner.
func (m *poolModel) GotResponse(r int32) { m.submit(jobReadLoop, r, false) }

func (m *poolModel) sampleTimeWait() {
	m.twPeak = max(m.twPeak, m.net.Stats().ClientTimeWait)
}

func (m *poolModel) End() sim.Time { return m.end }

// settle marks client c's outstanding request as ended (once: a request
// ended twice, or a second one started before the first ended, breaks
// the conservation below).
func (m *poolModel) settle(c int32) {
	if m.out[c] {
		m.out[c] = false
		m.outN--
	}
}

// Conservation implements the request accounting checked for every
// scenario: requests started = completed + failed (no conn) + outstanding.
func (m *poolModel) Conservation() (arrived, completed, failed uint64, inFlight int) {
	return m.arrived, uint64(m.done), uint64(m.failed), m.outN
}

func (m *poolModel) Metrics() []scenario.Metric {
	st := m.pool.Stats()
	finish := m.finish
	if finish == 0 {
		finish = m.e.Now()
	}
	return scenario.MetricsOf(poolMetrics{
		Dialed: float64(st.Dials), Reused: float64(st.Reused), ClosedIdleFull: float64(st.ClosedIdleFull()),
		ClosedTooManyIdle: float64(st.Closed[transport.CloseTooManyIdle]), ClosedIdleTimeout: float64(st.Closed[transport.CloseIdleTimeout]),
		Accepted: float64(m.net.Stats().Established), DialsLost: float64(st.DialsLost), OpenEnd: float64(st.Open),
		TimeWaitPeak: float64(m.twPeak), PoolWaitP99: st.PoolWait.Quantile(0.99), PoolWaitMean: st.PoolWait.Mean(),
		Completed: float64(m.done), Failed: float64(m.failed),
		LatencyMean: m.lat.Mean(), LatencyP50: m.lat.Quantile(0.5), LatencyP99: m.lat.Quantile(0.99),
		Makespan: float64(finish),
	})
}

// poolMetrics are the Transport pool's figures (transport.Stats) and the
// clients' requests.
type poolMetrics struct {
	Dialed            float64 `metric:"conns_dialed" unit:"{conn}"`
	Reused            float64 `metric:"conns_reused" unit:"{conn}"`
	ClosedIdleFull    float64 `metric:"conns_closed_idle_full" unit:"{conn}"`
	ClosedTooManyIdle float64 `metric:"conns_closed_too_many_idle" unit:"{conn}"`
	ClosedIdleTimeout float64 `metric:"conns_closed_idle_timeout" unit:"{conn}"`
	Accepted          float64 `metric:"conns_accepted" unit:"{conn}"`
	DialsLost         float64 `metric:"dials_lost" unit:"{conn}"`
	OpenEnd           float64 `metric:"conns_open_end" unit:"{conn}"`
	TimeWaitPeak      float64 `metric:"time_wait_peak" unit:"{conn}"`
	PoolWaitP99       float64 `metric:"pool_wait_p99_ns" unit:"ns"`
	PoolWaitMean      float64 `metric:"pool_wait_mean_ns" unit:"ns"`
	Completed         float64 `metric:"requests_completed" unit:"{req}"`
	Failed            float64 `metric:"requests_failed" unit:"{req}"`
	LatencyMean       float64 `metric:"latency_mean_ns" unit:"ns"`
	LatencyP50        float64 `metric:"latency_p50_ns" unit:"ns"`
	LatencyP99        float64 `metric:"latency_p99_ns" unit:"ns"`
	Makespan          float64 `metric:"makespan_ns" unit:"ns"`
}

// Probes implements scenario.Prober.
func (m *poolModel) Probes() []string {
	return []string{"idle", "active", "dialing", "waiting", "time_wait"}
}

// ProbeUnits implements scenario.Prober.
func (m *poolModel) ProbeUnits() []string {
	return []string{"{conn}", "{conn}", "{conn}", "{req}", "{conn}"}
}

// Probe implements scenario.Prober.
func (m *poolModel) Probe(row []float64) {
	v := m.pool.Total()
	row[0], row[1], row[2], row[3] = float64(v.Idle), float64(v.Active), float64(v.Dialing), float64(v.Waiting)
	row[4] = float64(m.net.Stats().ClientTimeWait)
}

// String describes the model for errors.
func (m *poolModel) String() string {
	return fmt.Sprintf("pool(%d clients x %d)", m.clients, m.perClient)
}

// poolH2 carries the pool workload over HTTP/2: the Pool shares each conn
// among up to 100 requests (http2clientConnPool through the Transport's
// idle list) and the requests are streams of an http2.Set. Responses are
// 13 octets ("hello, world\n"), so each is HEADERS + one DATA frame.
type poolH2 struct {
	m      *poolModel
	set    *http2.Set
	conns  []*http2.Conn       // by PConnID
	pcOf   []transport.PConnID // by http2 conn ID
	reqOf  [][]int32           // by conn ID, then stream index: the request
	reqPC  []transport.PConnID // by request
	reqStr []int32             // by request: its stream index
}

func (m *poolModel) buildH2(e *sim.Engine, net *tcp.Net, env *scenario.Env) error {
	h := &poolH2{m: m, reqPC: make([]transport.PConnID, m.clients), reqStr: make([]int32, m.clients)}
	var trace io.Writer
	if env != nil {
		trace = env.Trace
	}
	var err error
	if h.set, err = http2.NewSet(e, net, http2.DefaultConfig(), h, trace); err != nil {
		return err
	}
	m.h2 = h
	m.pool = transport.New(e, h)
	return nil
}

// Dial implements transport.Driver.
func (h *poolH2) Dial(pc transport.PConnID) {
	c := h.set.Dial()
	for int(pc) >= len(h.conns) {
		h.conns = append(h.conns, nil)
	}
	h.conns[pc] = c
	h.pcOf = append(h.pcOf, pc)
	h.reqOf = append(h.reqOf, nil)
}

// Close implements transport.Driver (only keep-alives off closes an h2
// conn here; its streams are done).
func (h *poolH2) Close(pc transport.PConnID) {}

// GotConn implements transport.Driver: open the request's stream.
func (h *poolH2) GotConn(r int32, pc transport.PConnID, reused bool) {
	if pc == transport.NoConn {
		h.m.GotConn(r, reused, false)
		return
	}
	c := h.conns[pc]
	s := c.OpenStream("/")
	h.reqOf[c.ID] = append(h.reqOf[c.ID], r)
	h.reqPC[r], h.reqStr[r] = pc, s
}

// Connected implements http2.Owner: the dial is done; the conn is shared
// (putOrCloseIdleConn for pconn.alt != nil).
func (h *poolH2) Connected(c *http2.Conn) {
	h.m.submit(jobConnCPU, c.ID, false)
	pc := h.pcOf[c.ID]
	h.m.pool.DialDone(pc, true)
	h.m.pool.SetMultiplex(pc, 100)
	h.m.pool.PutIdle(pc)
}

// ServerRequest implements http2.Owner.
func (h *poolH2) ServerRequest(c *http2.Conn, s int32) { h.m.ServerRequest(h.reqOf[c.ID][s]) }

// StreamDone implements http2.Owner.
func (h *poolH2) StreamDone(c *http2.Conn, s int32) { h.m.GotResponse(h.reqOf[c.ID][s]) }

func (h *poolH2) respond(r int32) { h.conns[h.reqPC[r]].Respond(h.reqStr[r], 13) }

// release ends request r: its stream slot returns to the pool. An HTTP/2
// body left unread holds its stream (and the conn's flow-control credit),
// not the whole conn.
func (h *poolH2) release(r int32, mode transport.BodyMode) {
	if mode != transport.BodyLeak {
		h.m.pool.StreamDone(h.reqPC[r])
	}
}
