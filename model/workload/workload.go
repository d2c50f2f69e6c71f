package workload

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/model/host"
	"github.com/gohttpsim/gohttpsim/model/httpserver"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
	"github.com/gohttpsim/gohttpsim/sim/dist"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// Cause is why a request failed.
type Cause uint8

const (
	FailTimeout Cause = iota // http.Client.Timeout expired
	FailEOF                  // the server closed the connection before answering
	FailRefused              // the dial failed (accept queue full through all SYN retries)
	Fail503                  // 503 Service Unavailable (TimeoutHandler, handler deadline)
	Fail431                  // 431 Request Header Fields Too Large
	FailOther                // any other non-2xx status
	NumCauses
)

var causeNames = [...]string{"timeout", "eof", "refused", "503", "431", "other"}

func (c Cause) String() string { return causeNames[c] }

// Step is a rate change of the open loop at a time.
type Step struct {
	At   time.Duration
	Rate float64
}

// ParseSteps parses "0s:1000,5s:20000,8s:1000" (time:rate, ascending).
func ParseSteps(s string) ([]Step, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []Step
	for _, part := range strings.Split(s, ",") {
		t, r, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, fmt.Errorf("workload: step %q: want TIME:RATE", part)
		}
		at, err := time.ParseDuration(t)
		if err != nil || at < 0 {
			return nil, fmt.Errorf("workload: step %q: bad time", part)
		}
		rate, err := strconv.ParseFloat(r, 64)
		if err != nil || rate < 0 {
			return nil, fmt.Errorf("workload: step %q: bad rate", part)
		}
		out = append(out, Step{at, rate})
	}
	if !sort.SliceIsSorted(out, func(i, j int) bool { return out[i].At < out[j].At }) {
		return nil, errors.New("workload: steps must be in increasing time order")
	}
	return out, nil
}

// Config describes the clients.
type Config struct {
	// Open loop: Rate requests per second from t=0, changed by Steps.
	Rate     float64
	Steps    []Step
	Constant bool // constant inter-arrival times instead of Poisson

	// Closed loop: Clients each send a request, wait for the response,
	// think, and repeat, on their own keep-alive connection.
	Clients int
	Think   dist.Dist

	// Request sizes on the wire (header includes request line and CRLFs).
	HeaderBytes, BodyBytes int64

	// Timeout is http.Client.Timeout (0: none). Retries is how many times
	// a failed request (timeout, EOF, refused) is tried again.
	Timeout time.Duration
	Retries int
	// DisableKeepAlives closes each connection after its response.
	DisableKeepAlives bool
	// MaxConnsPerHost caps the open-loop connections per server
	// (Transport.MaxConnsPerHost; 0: unlimited, Go's default). Requests
	// beyond it wait, FIFO, for a connection to become idle (the
	// connsPerHostWait queue), and their latency includes the wait.
	MaxConnsPerHost int

	// Sessions: SessionRate new clients per second (Poisson), each
	// dialling its own connection, sending SessionRequests requests with
	// Think between them, then closing: the goroutine-per-connection
	// picture of browsers and API clients.
	SessionRate     float64
	SessionRequests int

	// ClientsRamp spreads the closed-loop clients' first requests evenly
	// over this span (0: all at t=0).
	ClientsRamp time.Duration

	// Slowloris: SlowRate new connections per second (Poisson) between
	// SlowStart and SlowStop (0: the end), each sending SlowBytes of a
	// header that never ends every SlowInterval until the server closes
	// it (then the attacker forgets it).
	SlowRate     float64
	SlowStart    time.Duration
	SlowStop     time.Duration
	SlowInterval time.Duration
	SlowBytes    int64

	// Host, when set, is the host the load generator shares with the
	// server (client.onhost): every request first needs CPU of the
	// client (a sample of CPU) on one of Threads client threads (default
	// the host's cores, as wrk -t N or a Go client with N Ps), waiting in
	// FIFO order for a free one; its latency counts from its arrival.
	// Simplified: the client's whole per-request CPU (building and
	// writing the request, reading the response) is spent before the
	// request is sent.
	Host    *host.Host
	CPU     dist.Dist
	Threads int
}

// Balancer picks the server of each new connection (an L4 load balancer).
type Balancer interface {
	Pick() int
	Closed(server int)
}

// Stats are the workload's counters; see [Stats.Conserved].
type Stats struct {
	Arrived, Completed uint64
	Failed             [NumCauses]uint64
	InFlight           int
	Attempts           uint64 // including retries
	Dials              uint64
	ConnsOpen          int
	SlowConns          int // slowloris connections open
}

// Conserved reports whether Arrived = Completed + ΣFailed + InFlight.
func (s Stats) Conserved() bool {
	var f uint64
	for _, x := range s.Failed {
		f += x
	}
	return s.Arrived == s.Completed+f+uint64(s.InFlight)
}

// FailedTotal sums the failures.
func (s Stats) FailedTotal() uint64 {
	var f uint64
	for _, x := range s.Failed {
		f += x
	}
	return f
}

const (
	ccDialing uint8 = iota
	ccIdle
	ccBusy
	ccClosed
)

// clientState is a closed-loop client or a session's client.
type clientState struct {
	conn int32 // its conn, -1
	left int32 // requests a session client still sends (-1: forever)
}

type cconn struct {
	c      tcp.ConnID
	req    int32 // request in flight, -1
	client int32 // closed-loop client, -1; -2 slowloris
	server int32
	got    int64
	state  uint8
	gen    uint32 // bumped per dial: stale slowloris ticks are dropped
}

type request struct {
	start   sim.Time
	timer   sim.Timer
	conn    int32
	client  int32
	attempt uint8
}

// Event kinds.
const (
	kArrive   sim.Kind = iota
	kThink             // entity client
	kTimeout           // entity request
	kSlowTick          // entity conn
	kSlowDial
	kRate    // arg: step index
	kSession // a new session client
)

// Workload is the set of clients. It is a sim.Handler and a tcp.Receiver.
type Workload struct {
	e       *sim.Engine
	h       sim.HandlerID
	net     *tcp.Net
	wire    *httpserver.Wire
	lns     []tcp.ListenerID
	bal     Balancer
	cfg     Config
	rng     *rand.Rand
	rate    float64
	rateGen uint32
	slowRng *rand.Rand
	conns   container.Slots[cconn, int32]
	idle    []int32                // idle open-loop conns, LIFO
	wait    container.Queue[int32] // requests waiting for a conn (MaxConnsPerHost)
	nopen   int                    // open-loop conns open
	reqs    container.Slots[request, int32]
	clients container.Slots[clientState, int32] // closed-loop clients, then session clients
	sessRng *rand.Rand
	latency stats.Histogram
	stats   Stats

	// client.onhost: the load generator's threads on Config.Host.
	cpuRng   *rand.Rand
	tids     []host.ThreadID  // client thread i's host thread
	idleThr  []int32          // idle client threads, LIFO
	cur      []pendingArrival // per client thread: the request it serves
	pending  []pendingArrival // requests waiting for a client thread, FIFO from phead
	phead    int
	cpuTotal time.Duration
}

// pendingArrival is a request waiting for a client thread's CPU.
type pendingArrival struct {
	at     sim.Time
	client int32
}

// New returns a workload sending to the listeners lns through bal (nil:
// always the first). It starts at once.
func New(e *sim.Engine, net *tcp.Net, wire *httpserver.Wire, lns []tcp.ListenerID, bal Balancer, cfg Config) (*Workload, error) {
	if cfg.Rate < 0 || cfg.Clients < 0 || cfg.SlowRate < 0 || cfg.ClientsRamp < 0 || cfg.Timeout < 0 || cfg.Retries < 0 || cfg.HeaderBytes < 0 || cfg.BodyBytes < 0 {
		return nil, errors.New("workload: negative rate, clients, timeout, retries or sizes")
	}
	if len(lns) == 0 {
		return nil, errors.New("workload: no server")
	}
	if cfg.HeaderBytes == 0 {
		cfg.HeaderBytes = 100 // "GET / HTTP/1.1\r\nHost: …\r\nUser-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n\r\n"
	}
	if cfg.SlowRate > 0 {
		if cfg.SlowInterval <= 0 {
			cfg.SlowInterval = 10 * time.Second
		}
		if cfg.SlowBytes <= 0 {
			cfg.SlowBytes = 1
		}
	}
	if cfg.SessionRate < 0 || cfg.SessionRequests < 0 {
		return nil, errors.New("workload: negative session rate or requests")
	}
	if cfg.SessionRate > 0 && cfg.SessionRequests == 0 {
		cfg.SessionRequests = 1
	}
	if (cfg.Clients > 0 || cfg.SessionRate > 0) && cfg.Think == nil {
		cfg.Think = dist.Const{}
	}
	w := &Workload{e: e, net: net, wire: wire, lns: lns, bal: bal, cfg: cfg, rng: e.Stream("workload/arrivals")}
	w.h = e.Register(w)
	w.rate = cfg.Rate
	for i, s := range cfg.Steps {
		e.Schedule(sim.Time(s.At), w.h, kRate, 0, int64(i))
	}
	if w.rate > 0 {
		w.scheduleArrival()
	}
	for i := range cfg.Clients {
		*w.clients.At(w.clients.Alloc()) = clientState{conn: -1, left: -1}
		at := sim.Time(0)
		if cfg.ClientsRamp > 0 {
			at = sim.Time(int64(cfg.ClientsRamp) * int64(i) / int64(cfg.Clients))
		}
		e.Schedule(at, w.h, kThink, int32(i), 0)
	}
	if cfg.SessionRate > 0 {
		w.sessRng = e.Stream("workload/sessions")
		e.Schedule(0, w.h, kSession, 0, 0)
	}
	if cfg.Host != nil {
		if cfg.CPU == nil {
			return nil, errors.New("workload: a client on the host needs its CPU per request")
		}
		if cfg.Threads <= 0 {
			cfg.Threads = cfg.Host.Config().Cores
			w.cfg.Threads = cfg.Threads
		}
		w.cpuRng = e.Stream("workload/cpu")
		w.cur = make([]pendingArrival, cfg.Threads)
		for i := range cfg.Threads {
			w.tids = append(w.tids, cfg.Host.NewThread(w, int32(i)))
		}
		for i := cfg.Threads - 1; i >= 0; i-- {
			w.idleThr = append(w.idleThr, int32(i))
		}
	}
	if cfg.SlowRate > 0 {
		w.slowRng = e.Stream("workload/slowloris")
		e.Schedule(sim.Time(cfg.SlowStart), w.h, kSlowDial, 0, 0)
	}
	return w, nil
}

// Stats returns the counters now.
func (w *Workload) Stats() Stats { return w.stats }

// Latency returns the histogram of completed requests' latencies (from
// first attempt to last response byte), in ns.
func (w *Workload) Latency() *stats.Histogram { return &w.latency }

func (w *Workload) scheduleArrival() {
	var d float64
	if w.cfg.Constant {
		d = 1e9 / w.rate
	} else {
		d = w.rng.ExpFloat64() * 1e9 / w.rate
	}
	w.e.Schedule(w.e.Now()+sim.Time(d), w.h, kArrive, 0, int64(w.rateGen))
}

// Handle implements sim.Handler.
func (w *Workload) Handle(ev sim.Event) {
	switch ev.Kind {
	case kArrive:
		if ev.Arg != int64(w.rateGen) {
			return // superseded by a rate step
		}
		w.arrive(-1)
		if w.rate > 0 {
			w.scheduleArrival()
		}
	case kRate:
		w.rate = w.cfg.Steps[ev.Arg].Rate
		w.rateGen++
		if w.rate > 0 {
			w.scheduleArrival()
		}
	case kThink:
		w.arrive(ev.Entity)
	case kSession:
		cl := w.clients.Alloc()
		*w.clients.At(cl) = clientState{conn: -1, left: int32(w.cfg.SessionRequests)}
		w.arrive(cl)
		w.e.Schedule(w.e.Now()+sim.Time(w.sessRng.ExpFloat64()*1e9/w.cfg.SessionRate), w.h, kSession, 0, 0)
	case kTimeout:
		r := w.reqs.At(ev.Entity)
		if r.conn == -2 { // waiting for a connection: leave the queue
			r.conn = -1
			w.fail(ev.Entity, FailTimeout)
			return
		}
		cc := w.conns.At(r.conn)
		// The client cancels the request: the connection is closed.
		w.closeConn(r.conn)
		cc.req = -1
		w.fail(ev.Entity, FailTimeout)
	case kSlowTick:
		cc := w.conns.At(ev.Entity)
		if cc.state == ccClosed || uint32(ev.Arg) != cc.gen {
			return
		}
		w.net.Send(cc.c, tcp.Client, w.cfg.SlowBytes)
		w.e.After(w.cfg.SlowInterval, w.h, kSlowTick, ev.Entity, int64(cc.gen))
	case kSlowDial:
		if w.cfg.SlowStop > 0 && w.e.Now() >= sim.Time(w.cfg.SlowStop) {
			return
		}
		w.dial(-1, -2)
		w.e.Schedule(w.e.Now()+sim.Time(w.slowRng.ExpFloat64()*1e9/w.cfg.SlowRate), w.h, kSlowDial, 0, 0)
	}
}

// arrive starts a request of client (-1: open loop): at once, or, with the
// client on the host, after its CPU on a client thread.
func (w *Workload) arrive(client int32) {
	w.stats.Arrived++
	w.stats.InFlight++
	if w.cfg.Host == nil {
		w.start(client, w.e.Now())
		return
	}
	a := pendingArrival{at: w.e.Now(), client: client}
	if k := len(w.idleThr); k > 0 {
		i := w.idleThr[k-1]
		w.idleThr = w.idleThr[:k-1]
		w.runClientCPU(i, a)
		return
	}
	w.pending = append(w.pending, a)
}

// runClientCPU spends request a's client CPU on client thread i.
func (w *Workload) runClientCPU(i int32, a pendingArrival) {
	d := dist.SampleDuration(w.cfg.CPU, w.cpuRng)
	w.cpuTotal += d
	w.cur[i] = a
	w.cfg.Host.Run(w.tids[i], d, 0)
}

// CPUDone implements host.Runner: client thread entity finished a
// request's CPU. It goes on with the next waiting request (keeping its
// core), and the finished one goes out.
func (w *Workload) CPUDone(entity int32, _ int64) {
	a := w.cur[entity]
	if w.phead < len(w.pending) {
		next := w.pending[w.phead]
		w.phead++
		if w.phead == len(w.pending) {
			w.pending, w.phead = w.pending[:0], 0
		}
		w.runClientCPU(entity, next)
	} else {
		w.idleThr = append(w.idleThr, entity)
	}
	w.start(a.client, a.at)
}

// ClientCPU returns the CPU the load generator spent (client.onhost).
func (w *Workload) ClientCPU() time.Duration { return w.cpuTotal }

// start sends request of client that arrived at at.
func (w *Workload) start(client int32, at sim.Time) {
	x := w.reqs.Alloc()
	*w.reqs.At(x) = request{start: at, conn: -1, client: client}
	w.attempt(x)
}

// attempt sends request x on an idle connection or a new one.
func (w *Workload) attempt(x int32) {
	r := w.reqs.At(x)
	w.stats.Attempts++
	if w.cfg.Timeout > 0 { // each attempt has the whole timeout
		r.timer = w.e.TimerAfter(w.cfg.Timeout, w.h, kTimeout, x, 0)
	}
	if r.client >= 0 {
		if ci := w.clients.At(r.client).conn; ci >= 0 && w.conns.At(ci).state == ccIdle && w.conns.At(ci).client == r.client {
			w.send(ci, x)
			return
		}
		w.clients.At(r.client).conn = w.dial(x, r.client)
		return
	}
	for len(w.idle) > 0 {
		ci := w.idle[len(w.idle)-1]
		w.idle = w.idle[:len(w.idle)-1]
		if w.conns.At(ci).state == ccIdle && w.conns.At(ci).client == -1 {
			w.send(ci, x)
			return
		}
	}
	if w.cfg.MaxConnsPerHost > 0 && w.nopen >= w.cfg.MaxConnsPerHost {
		r.conn = -2
		w.wait.Push(x)
		return
	}
	w.dial(x, -1)
}

// nextWaiter pops the oldest request waiting for a connection, or -1.
func (w *Workload) nextWaiter() int32 {
	for w.wait.Len() > 0 {
		x := w.wait.Pop()
		if w.reqs.At(x).conn == -2 { // still waiting (not timed out)
			return x
		}
	}
	return -1
}

func (w *Workload) dial(x, client int32) int32 {
	ci := w.conns.Alloc()
	srv := 0
	if w.bal != nil {
		srv = w.bal.Pick()
	}
	*w.conns.At(ci) = cconn{req: x, client: client, server: int32(srv), state: ccDialing, gen: w.conns.Gen(ci) + 1}
	w.conns.At(ci).c = w.net.Dial(w, w.lns[srv], ci)
	if x >= 0 {
		w.reqs.At(x).conn = ci
	}
	w.stats.Dials++
	w.stats.ConnsOpen++
	if client == -2 {
		w.stats.SlowConns++
	}
	if client == -1 {
		w.nopen++
	}
	return ci
}

func (w *Workload) send(ci, x int32) {
	cc := w.conns.At(ci)
	cc.req, cc.state, cc.got = x, ccBusy, 0
	w.reqs.At(x).conn = ci
	w.wire.SetRequest(cc.c, w.cfg.HeaderBytes, w.cfg.BodyBytes)
	w.net.Send(cc.c, tcp.Client, w.cfg.HeaderBytes+w.cfg.BodyBytes)
}

func (w *Workload) closeConn(ci int32) {
	cc := w.conns.At(ci)
	if cc.state == ccClosed {
		return
	}
	w.net.Close(cc.c, tcp.Client)
	cc.state = ccClosed
	w.stats.ConnsOpen--
	if cc.client == -2 {
		w.stats.SlowConns--
	}
	if cc.client == -1 {
		w.nopen--
		if x := w.nextWaiter(); x >= 0 {
			w.dial(x, -1)
		}
	}
	if w.bal != nil {
		w.bal.Closed(int(cc.server))
	}
	// The slot is reused at once; a stale entry for it in the idle list
	// is harmless because popping checks the state (a duplicate entry of
	// an idle conn finds it busy the second time).
	w.conns.Free(ci)
}

// done ends request x: completed or failed.
func (w *Workload) done(x int32) {
	r := w.reqs.At(x)
	w.e.Cancel(r.timer)
	w.stats.InFlight--
	if cl := r.client; cl >= 0 {
		if w.clients.At(cl).left > 0 {
			w.clients.At(cl).left--
		}
		if w.clients.At(cl).left == 0 {
			// The session ends: its client closes the connection.
			if ci := w.clients.At(cl).conn; ci >= 0 && w.conns.At(ci).client == cl && w.conns.At(ci).state != ccClosed {
				w.closeConn(ci)
			}
			w.clients.At(cl).conn = -1
			w.clients.Free(cl)
		} else {
			w.e.Schedule(w.e.Now()+sim.Time(dist.SampleDuration(w.cfg.Think, w.rng)), w.h, kThink, cl, 0)
		}
	}
	w.reqs.Free(x)
}

func (w *Workload) fail(x int32, c Cause) {
	r := w.reqs.At(x)
	if (c == FailTimeout || c == FailEOF || c == FailRefused) && int(r.attempt) < w.cfg.Retries {
		w.e.Cancel(r.timer)
		r.attempt++
		r.conn = -1
		w.attempt(x)
		return
	}
	w.stats.Failed[c]++
	w.done(x)
}

// OnTCP implements tcp.Receiver.
func (w *Workload) OnTCP(c tcp.ConnID, _ tcp.Side, ev tcp.EventKind, n int64) {
	ci := w.net.User(c, tcp.Client)
	cc := w.conns.At(ci)
	switch ev {
	case tcp.Connected:
		if cc.client == -2 {
			// slowloris: a header that never ends
			w.wire.SetRequest(c, 1<<50, 0)
			cc.state = ccBusy
			w.e.After(0, w.h, kSlowTick, ci, int64(cc.gen))
			return
		}
		if cc.req >= 0 {
			w.send(ci, cc.req)
		} else {
			cc.state = ccIdle
			w.idle = append(w.idle, ci)
		}
	case tcp.Refused:
		x := cc.req
		w.closeConn(ci)
		if cc.client == -2 {
			return
		}
		if x >= 0 {
			cc.req = -1
			w.fail(x, FailRefused)
		}
	case tcp.Data:
		cc.got += w.net.Read(c, tcp.Client, n)
		status, size := w.wire.Response(c)
		if cc.req < 0 || size == 0 || cc.got < size {
			return
		}
		x := cc.req
		cc.req, cc.got = -1, 0
		cc.state = ccIdle
		switch {
		case status == 200:
			w.stats.Completed++
			w.latency.Record(int64(w.e.Now() - w.reqs.At(x).start))
			w.done(x)
		case status == 503:
			w.stats.Failed[Fail503]++
			w.done(x)
		case status == 431:
			w.stats.Failed[Fail431]++
			w.done(x)
		default:
			w.stats.Failed[FailOther]++
			w.done(x)
		}
		if w.cfg.DisableKeepAlives {
			w.closeConn(ci)
		} else if cc.client == -1 {
			if y := w.nextWaiter(); y >= 0 {
				w.send(ci, y)
			} else {
				w.idle = append(w.idle, ci)
			}
		}
	case tcp.EOF:
		x := cc.req
		w.closeConn(ci)
		if cc.client == -2 {
			return
		}
		if x >= 0 {
			cc.req = -1
			w.fail(x, FailEOF)
		}
	}
}

// MemBytes reports the memory of the client side: the clients' connection
// table, per-client state and the requests table, as allocated.
func (w *Workload) MemBytes() int64 {
	return w.conns.MemBytes() + w.clients.MemBytes() + w.reqs.MemBytes() + int64(cap(w.idle))*4
}

// Config returns the effective configuration.
func (w *Workload) Config() Config { return w.cfg }
