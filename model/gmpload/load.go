package gmpload

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// Config configures a [Load]. Zero values of Requests, HandlerCPU, Think and
// Stack take the defaults in [DefaultConfig]; for the other fields zero
// means zero (start from DefaultConfig to get every default).
type Config struct {
	// Sched configures the scheduler (GOMAXPROCS and the cost parameters).
	Sched gmp.Config
	// Rate is the mean rate of new connections per second (a Poisson
	// process). Zero means connections come only from Inject.
	Rate float64
	// Requests is how many requests each client sends on its connection
	// (keep-alive) before closing it.
	Requests int
	// HandlerCPU is the CPU time per request in nanoseconds: reading and
	// parsing the request, ServeMux, the handler and building the response.
	HandlerCPU dist.Dist
	// Think is the client's delay in nanoseconds between receiving a
	// response and sending its next request (or closing).
	Think dist.Dist
	// AcceptCPU is the accept loop's CPU per connection (accept4, newConn,
	// setState) before its go statement.
	AcceptCPU time.Duration
	// Write is the write(2) of one response, made as a syscall. A write to a
	// socket with room in its send buffer does not block in the kernel; it
	// is still a syscall, so sysmon may retake the P if it is long.
	Write time.Duration
	// Stack is the stack a connection goroutine grows to in conn.serve
	// (GrowStack), in bytes.
	Stack int
	// Duration stops new arrivals after this simulated time (0: never).
	Duration time.Duration
}

// Defaults. The per-request CPU matches measured-here.md's ~10 µs of server
// CPU per hello-world request (wrk, loopback, GOMAXPROCS=1), of which
// DefaultWrite is the write(2). DefaultStack was measured here: 2000 idle
// keep-alive connections on a real net/http server grew StackInuse by
// 8.3 KiB per conn.serve goroutine (go1.26.8), i.e. 2 KiB doubled twice.
const (
	DefaultRequests  = 10
	DefaultAcceptCPU = 2 * time.Microsecond
	DefaultWrite     = 3 * time.Microsecond
	DefaultStack     = 8 << 10
)

// DefaultConfig returns the defaults: 1000 connections/s, 10 requests each
// with exp(100ms) think time, exp(7µs) handler CPU, GOMAXPROCS 4.
func DefaultConfig() Config {
	sc := gmp.DefaultConfig()
	sc.GOMAXPROCS = 4
	return Config{
		Sched:      sc,
		Rate:       1000,
		Requests:   DefaultRequests,
		HandlerCPU: dist.Exp{M: float64(7 * time.Microsecond)},
		Think:      dist.Exp{M: float64(100 * time.Millisecond)},
		AcceptCPU:  DefaultAcceptCPU,
		Write:      DefaultWrite,
		Stack:      DefaultStack,
	}
}

// ErrConfig is wrapped by every configuration error of [New].
var ErrConfig = errors.New("gmpload: bad config")

func (c Config) check() error {
	bad := func(f string, a ...any) error { return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(f, a...)) }
	switch {
	case c.Sched.GOMAXPROCS < 0 || c.Sched.GOMAXPROCS > 1024:
		return bad("GOMAXPROCS %d not in [1, 1024]", c.Sched.GOMAXPROCS)
	case c.Rate < 0 || c.Rate > 1e9 || c.Rate != c.Rate:
		return bad("rate %v not in [0, 1e9] per second", c.Rate)
	case c.Requests < 0:
		return bad("requests per connection %d < 1", c.Requests)
	case c.AcceptCPU < 0 || c.Write < 0:
		return bad("negative accept or write cost")
	case c.Stack < 0 || c.Stack > 1<<30:
		return bad("stack %d not in [2048, 1GiB]", c.Stack)
	case c.Duration < 0:
		return bad("negative duration")
	}
	return nil
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Requests == 0 {
		c.Requests = d.Requests
	}
	if c.HandlerCPU == nil {
		c.HandlerCPU = d.HandlerCPU
	}
	if c.Think == nil {
		c.Think = d.Think
	}
	if c.Stack == 0 {
		c.Stack = d.Stack
	}
	return c
}

// ConnState is what a connection's goroutine is doing, for views.
type ConnState uint8

const (
	ConnIdle    ConnState = iota // parked on the netpoller waiting for a request
	ConnReady                    // request bytes arrived; runnable or not yet netpolled
	ConnServing                  // running (or runnable between) handler and write
	ConnClosed                   // slot free
)

func (s ConnState) String() string {
	switch s {
	case ConnIdle:
		return "idle"
	case ConnReady:
		return "ready"
	case ConnServing:
		return "serving"
	case ConnClosed:
		return "closed"
	}
	return fmt.Sprintf("ConnState(%d)", s)
}

// conn phases of the serve loop.
const (
	phStart   uint8 = iota // first Step: grow the stack
	phRead                 // c.readRequest: take a request or park on the netpoller
	phHandler              // handler returned: write the response
	phWritten              // write returned: finishRequest, loop
)

// conn is one connection: 32 bytes, addressed by index, reused after close.
type conn struct {
	reqAt   sim.Time // when the request being served arrived
	g       gmp.GID
	served  int32
	pending int32 // requests arrived and not yet read (0 or 1: clients wait for responses)
	phase   uint8
	state   ConnState
	waiting bool // its G is parked in ParkNet and not yet NetReady'd
	eof     bool // the client closed
	next    int32
}

// Event kinds of the load's own handler.
const (
	kArrive sim.Kind = iota // a new connection (Poisson)
	kClient                 // entity conn: the client sends its next request or closes
)

// Load is the accept loop, the connection goroutines and the clients. It is
// both the [sim.Handler] for client events and the [gmp.Behavior] of every
// goroutine it starts (arg -1: the accept loop; arg ≥ 0: a connection
// index). Not safe for concurrent use.
type Load struct {
	cfg    Config
	e      *sim.Engine
	h      sim.HandlerID
	s      *gmp.Sched
	rngArr *rand.Rand
	rngCPU *rand.Rand
	rngCli *rand.Rand

	conns []conn
	free  int32 // free list head through conn.next, -1 if empty

	acceptG       gmp.GID
	acceptWaiting bool
	acceptSpawn   bool       // accepted, next Step runs the go statement
	backlog       []sim.Time // arrival times of connections not yet accepted (the listen queue)
	backlogHead   int
	acceptedAt    sim.Time // arrival time of the connection being accepted

	open, openPeak int
	openTW         stats.TimeWeighted
	accepted       uint64
	completed      uint64
	latency        stats.Histogram // request arrival → response written
}

// New builds the scheduler and the accept loop on e, and starts the Poisson
// arrivals if cfg.Rate > 0. The accept-loop goroutine starts now (it is
// main's http.Serve) and parks on the listener until a connection arrives.
func New(e *sim.Engine, cfg Config) (*Load, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	l := &Load{cfg: cfg, e: e, free: -1,
		rngArr: e.Stream("gmpload/arrivals"), rngCPU: e.Stream("gmpload/handler"), rngCli: e.Stream("gmpload/client")}
	l.s = gmp.New(e, cfg.Sched)
	l.h = e.Register(l)
	l.acceptG = l.s.Go(l, -1)
	if cfg.Rate > 0 {
		l.scheduleArrival()
	}
	return l, nil
}

// Sched returns the scheduler, for its views and metrics.
func (l *Load) Sched() *gmp.Sched { return l.s }

// Config returns the effective configuration.
func (l *Load) Config() Config { return l.cfg }

func (l *Load) scheduleArrival() {
	d := time.Duration(l.rngArr.ExpFloat64()/l.cfg.Rate*1e9 + 0.5)
	if l.cfg.Duration > 0 && l.e.Now().Add(d) > sim.Time(l.cfg.Duration) {
		return
	}
	l.e.After(d, l.h, kArrive, 0, 0)
}

// Inject makes n new connections arrive now, as a burst of clients would
// (the browser's "click to spawn goroutines"). Call it between engine steps,
// not from inside a model's handler.
func (l *Load) Inject(n int) {
	for range n {
		l.arrive()
	}
}

// arrive queues a connection in the listen backlog and wakes the accept
// loop through the netpoller if it waits there.
func (l *Load) arrive() {
	l.backlog = append(l.backlog, l.e.Now())
	if l.acceptWaiting {
		l.acceptWaiting = false
		l.s.NetReady(l.acceptG)
	}
}

// Handle implements sim.Handler.
func (l *Load) Handle(ev sim.Event) {
	switch ev.Kind {
	case kArrive:
		l.arrive()
		l.scheduleArrival()
	case kClient:
		c := &l.conns[ev.Entity]
		if c.served >= int32(l.cfg.Requests) {
			c.eof = true
		} else {
			c.pending++
			c.reqAt = l.e.Now()
		}
		if c.waiting {
			c.waiting = false
			c.state = ConnReady
			l.s.NetReady(c.g)
		}
	}
}

// Step implements gmp.Behavior.
func (l *Load) Step(s *gmp.Sched, gp gmp.GID, arg int64) gmp.Action {
	if arg < 0 {
		return l.acceptStep()
	}
	return l.connStep(gp, int32(arg))
}

// acceptStep mirrors the loop of net/http.(*Server).Serve (src/net/http/
// server.go, go1.26): l.Accept (parking in netpollblock on EAGAIN), then
// newConn and go c.serve. Omits the EMFILE backoff (no fd limit here).
func (l *Load) acceptStep() gmp.Action {
	if l.acceptSpawn {
		l.acceptSpawn = false
		ci := l.newConn()
		l.conns[ci] = conn{reqAt: l.acceptedAt, g: gmp.NoG, pending: 1, state: ConnReady, next: -1}
		l.open++
		l.openPeak = max(l.openPeak, l.open)
		l.openTW.Set(l.e.Now(), float64(l.open))
		return gmp.Spawn(l, int64(ci))
	}
	if l.backlogHead == len(l.backlog) {
		l.backlog, l.backlogHead = l.backlog[:0], 0
		l.acceptWaiting = true
		return gmp.ParkNet()
	}
	l.acceptedAt = l.backlog[l.backlogHead]
	l.backlogHead++
	l.accepted++
	l.acceptSpawn = true
	return gmp.Compute(l.cfg.AcceptCPU)
}

func (l *Load) newConn() int32 {
	var ci int32
	if l.free >= 0 {
		ci = l.free
		l.free = l.conns[ci].next
	} else {
		l.conns = append(l.conns, conn{})
		ci = int32(len(l.conns) - 1)
	}
	return ci
}

func (l *Load) freeConn(ci int32) {
	l.conns[ci] = conn{state: ConnClosed, next: l.free, g: gmp.NoG}
	l.free = ci
}

// connStep mirrors the loop of net/http.(*conn).serve (src/net/http/
// server.go, go1.26): readRequest (parking on the netpoller until the
// request's bytes arrive), serverHandler.ServeHTTP, finishRequest (the
// response's write(2)), then wait for the next request; the client closing
// the connection ends the loop and the goroutine. Simplified: reading,
// parsing, routing and the handler are one CPU span (HandlerCPU); there is
// no backgroundRead and no timeout (see model/httpserver for both).
func (l *Load) connStep(gp gmp.GID, ci int32) gmp.Action {
	c := &l.conns[ci]
	for {
		switch c.phase {
		case phStart:
			// conn.serve's frames (bufio, readRequest, the handler) grow
			// the stack from stackMin at once.
			c.g = gp
			l.s.GrowStack(gp, l.cfg.Stack)
			c.phase = phRead
		case phRead:
			if c.pending > 0 {
				c.pending--
				c.state = ConnServing
				c.phase = phHandler
				return gmp.Compute(dist.SampleDuration(l.cfg.HandlerCPU, l.rngCPU))
			}
			if c.eof {
				l.closeConn(ci)
				return gmp.Exit()
			}
			c.waiting = true
			c.state = ConnIdle
			return gmp.ParkNet()
		case phHandler:
			c.phase = phWritten
			if l.cfg.Write > 0 {
				return gmp.Syscall(l.cfg.Write)
			}
		case phWritten:
			now := l.e.Now()
			l.latency.Record(int64(now - c.reqAt))
			l.completed++
			c.served++
			c.phase = phRead
			l.e.After(dist.SampleDuration(l.cfg.Think, l.rngCli), l.h, kClient, ci, 0)
		}
	}
}

func (l *Load) closeConn(ci int32) {
	l.freeConn(ci)
	l.open--
	l.openTW.Set(l.e.Now(), float64(l.open))
}
