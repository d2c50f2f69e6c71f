package httpserver

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
	"unsafe"

	"github.com/gohttpsim/gohttpsim/model/gc"
	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/model/handler"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
	"github.com/gohttpsim/gohttpsim/sim/dist"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// net/http constants (go1.26 src/net/http/server.go).
const (
	// DefaultMaxHeaderBytes is http.DefaultMaxHeaderBytes.
	DefaultMaxHeaderBytes = 1 << 20
	// The header read limit is MaxHeaderBytes + 4096 (initialReadLimitSize:
	// "bufio slop").
	headerSlop = 4096
	// bufio sizes per connection: newBufioReader (4 KiB) and
	// newBufioWriterSize(…, 4<<10).
	bufioReaderSize = 4 << 10
	bufioWriterSize = 4 << 10
	// connStructBytes is the rest of a connection's heap: http.conn,
	// connReader, net.TCPConn, netFD, poll.FD and pollDesc, the
	// context and its cancel func (≈ 1 KiB, summed from the struct sizes
	// on amd64 and rounded up to size classes).
	connStructBytes = 1024
	// requestHeapBytes is what one request keeps live while in flight
	// and allocates in total: http.Request, its Header map, the response
	// (≈ 1 KiB with pointers) and the 2 KiB bufferBeforeChunking writer
	// (pointer-free) would be 3 KiB; Go's sync.Pools recycle the
	// response's bufio writer, so 2 KiB are newly allocated, half of it
	// scannable.
	requestHeapBytes = 2048
	requestScanBytes = 1024
	// Accept backoff: Server.Serve sleeps 5 ms, doubling to 1 s, on a
	// temporary Accept error.
	acceptDelayMin = 5 * time.Millisecond
	acceptDelayMax = time.Second
	// timeoutBody is TimeoutHandler's default body plus a 503's headers.
	timeoutRespBytes = 86 + 110
	// status431Bytes is the fixed 431 response ("431 Request Header Fields
	// Too Large" with Content-Type and Connection: close).
	status431Bytes = 130
)

// Calibrated default costs; see [DefaultRequestCPU].
const (
	// DefaultRequestCPU is net/http's own CPU per request: the read
	// syscall, header parsing, the response headers and the write
	// syscall. measured-here.md: hello-world on one core serves ~103,000
	// req/s, ~9.7 µs per request in all. With the hello handler's 0.5 µs
	// the scheduler model's own switch and netpoll costs and the collector, 8.8 µs
	// makes the model serve ≈ 103,000 req/s on one P with 64 keep-alive
	// clients (TestHelloSaturatesNearCalibration). The reference page's
	// "150K req/s per core" would be ≈ 6 µs; we chose the figure measured
	// here with go1.26.8 over a claim of unknown provenance.
	DefaultRequestCPU = 8800 * time.Nanosecond
	// DefaultAcceptCPU is accept4 plus newConn and the go statement's
	// bookkeeping outside newproc.
	DefaultAcceptCPU = 2 * time.Microsecond
	// DefaultConnStack is the stack a serving connection's goroutine
	// grows to: conn.serve → readRequest → textproto → bufio → netFD.Read
	// → pollDesc.wait is deeper than the 2 KiB minimum. An assumption
	// (one copystack to 4 KiB, then 8 KiB) to be measured with
	// runtime/metrics /gc/stack/starting-size:bytes on a real server.
	DefaultConnStack = 8 << 10
)

// ConnState mirrors http.ConnState.
type ConnState uint8

const (
	StateNew ConnState = iota
	StateActive
	StateIdle
	StateClosed
)

func (s ConnState) String() string {
	switch s {
	case StateNew:
		return "new"
	case StateActive:
		return "active"
	case StateIdle:
		return "idle"
	case StateClosed:
		return "closed"
	}
	return fmt.Sprintf("ConnState(%d)", s)
}

// Config is an http.Server's configuration plus the model's costs. Field
// names follow http.Server.
type Config struct {
	ReadTimeout       time.Duration
	ReadHeaderTimeout time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	MaxHeaderBytes    int // 0: DefaultMaxHeaderBytes

	// TimeoutHandler, if positive, wraps the handler in
	// http.TimeoutHandler(h, TimeoutHandler, "").
	TimeoutHandler time.Duration

	// RequestCPU is net/http's per-request CPU (nil: DefaultRequestCPU).
	RequestCPU dist.Dist
	// AcceptCPU is the accept loop's CPU per connection (0: default).
	AcceptCPU time.Duration
	// ConnStack is the serving goroutine's stack (0: DefaultConnStack).
	ConnStack int

	// Backlog, Somaxconn and FDLimit configure the listener (see
	// tcp.Net.Listen); 0 means the defaults (somaxconn 4096, no fd limit).
	Backlog, Somaxconn, FDLimit int
}

// Close causes.
type CloseCause uint8

const (
	CloseEOF           CloseCause = iota // the client closed
	CloseHeaderTimeout                   // read deadline while reading a header
	CloseBodyTimeout                     // read deadline while reading a body
	CloseIdleTimeout                     // read deadline between requests
	CloseWriteTimeout                    // the response write failed at the write deadline
	Close431                             // header too large
	numCloseCauses
)

var closeNames = [...]string{"eof", "header_timeout", "body_timeout", "idle_timeout", "write_timeout", "431"}

func (c CloseCause) String() string { return closeNames[c] }

// Stats are the server's counters and gauges.
type Stats struct {
	Accepted       uint64
	AcceptEMFILE   uint64 // accept errors (each followed by a backoff sleep)
	Requests       uint64 // headers read
	Responses      uint64 // responses written (any status)
	Status503      uint64 // TimeoutHandler expiries and handler deadline errors
	Status431      uint64
	Closes         [numCloseCauses]uint64
	Conns          int // open connections (goroutines serving them)
	ConnsPeak      int
	ByState        [4]int // connections by ConnState (Closed always 0)
	InnerRunning   int    // TimeoutHandler goroutines still running after a 503
	ConnHeapBytes  int64  // bufio buffers and structs of open connections
	ReqHeapBytes   int64  // requests in flight
	ServiceTimeP50 time.Duration
}

type phase uint8

const (
	phNew phase = iota
	phHeader
	phBody
	phHandler
	phTHSpawn     // TimeoutHandler: start the inner G
	phTimeoutWait // TimeoutHandler: waiting for the inner G or the timer
	phWrite
	phIdle
)

// sconn is one connection's state on the server: net/http's conn with its
// pollDesc (the deadlines and the parked flag). 88 bytes, fields ordered by
// size so there is no padding.
type sconn struct {
	got      int64
	reqStart sim.Time
	pend     time.Duration // CPU owed (parsing) not yet charged
	c        tcp.ConnID
	gp       gmp.GID
	exec     int32
	phase    phase
	state    ConnState
	parked   bool // in ParkNet waiting for bytes, EOF or a deadline
}

// sdeadline is the part of a conn that only a server with a timeout
// (Server.ReadTimeout, ReadHeaderTimeout, WriteTimeout, IdleTimeout or a
// TimeoutHandler) uses: its deadlines (the pollDesc's rd/wd), their timer
// and the TimeoutHandler's state. It lives in Server.dls, by the conn's
// slot, a struct-of-arrays split: a server without timeouts (ten million
// idle keep-alive conns) spends no memory on it.
type sdeadline struct {
	readDL   sim.Time // 0: none
	writeDL  sim.Time
	wholeDL  sim.Time
	timer    sim.Timer
	thTimer  sim.Timer
	thDone   bool // TimeoutHandler: the inner G finished
	thFired  bool // TimeoutHandler: the timer fired first
	thParked bool // TimeoutHandler: parked in the select
}

// Server is one http.Server with one listener. It is a tcp.Receiver, a
// sim.Handler (deadlines) and the gmp.Behavior of its connection Gs.
type Server struct {
	e        *sim.Engine
	h        sim.HandlerID
	s        *gmp.Sched
	net      *tcp.Net
	wire     *Wire
	cfg      Config
	run      *handler.Runner
	col      *gc.GC
	ln       tcp.ListenerID
	conns    container.Slots[sconn, int32]
	dls      container.Paged[sdeadline] // by conn slot, only when timeouts
	timeouts bool                       // any timeout configured: dls in use
	dlNone   sdeadline                  // what dl returns without timeouts (always zero)
	acc      acceptor
	inner    innerG
	accG     gmp.GID
	accPark  bool
	accDelay time.Duration
	reqCPU   dist.Dist
	rng      *rand.Rand
	stats    Stats
	service  stats.Histogram
}

type acceptor struct{ srv *Server }
type innerG struct{ srv *Server }

// Event kinds on the server's handler.
const (
	kReadDeadline   sim.Kind = iota // entity conn slot
	kTimeoutHandler                 // entity conn slot
)

// New returns a server on sched, listening on net, running run's handler.
// col may be nil. The accept loop starts at once.
func New(sched *gmp.Sched, net *tcp.Net, wire *Wire, run *handler.Runner, col *gc.GC, cfg Config) (*Server, error) {
	if cfg.MaxHeaderBytes < 0 || cfg.ConnStack < 0 || cfg.AcceptCPU < 0 || cfg.TimeoutHandler < 0 {
		return nil, errors.New("httpserver: negative MaxHeaderBytes, ConnStack, AcceptCPU or TimeoutHandler")
	}
	if cfg.MaxHeaderBytes == 0 {
		cfg.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if cfg.RequestCPU == nil {
		cfg.RequestCPU = dist.Const{V: float64(DefaultRequestCPU)}
	}
	if cfg.AcceptCPU == 0 {
		cfg.AcceptCPU = DefaultAcceptCPU
	}
	if cfg.ConnStack == 0 {
		cfg.ConnStack = DefaultConnStack
	}
	srv := &Server{e: sched.Engine(), s: sched, net: net, wire: wire, cfg: cfg, run: run, col: col, reqCPU: cfg.RequestCPU}
	srv.acc.srv = srv
	srv.inner.srv = srv
	srv.timeouts = cfg.ReadTimeout != 0 || cfg.ReadHeaderTimeout != 0 || cfg.WriteTimeout != 0 ||
		cfg.IdleTimeout != 0 || cfg.TimeoutHandler != 0
	srv.rng = srv.e.Stream("httpserver/cost")
	srv.h = srv.e.Register(srv)
	srv.ln = net.Listen(srv, cfg.Backlog, cfg.Somaxconn, cfg.FDLimit)
	srv.accG = sched.Go(&srv.acc, 0)
	return srv, nil
}

// Reserve makes room for n connections.
func (srv *Server) Reserve(n int) {
	srv.conns.Reserve(n)
}

// Listener returns the server's listener.
func (srv *Server) Listener() tcp.ListenerID { return srv.ln }

// Sched returns the scheduler the server runs on.
func (srv *Server) Sched() *gmp.Sched { return srv.s }

// GC returns the collector, or nil.
func (srv *Server) GC() *gc.GC { return srv.col }

// Runner returns the handler runner.
func (srv *Server) Runner() *handler.Runner { return srv.run }

// Stats returns the counters now.
func (srv *Server) Stats() Stats {
	st := srv.stats
	st.ServiceTimeP50 = time.Duration(srv.service.Quantile(0.5))
	return st
}

// LiveHeap returns the heap reachable now (connection buffers and structs
// plus in-flight requests) and the part of it the GC must scan (the
// structs: bufio buffers are pointer-free). The collector's LiveFunc.
func (srv *Server) LiveHeap() (live, scan int64) {
	live = srv.stats.ConnHeapBytes + srv.stats.ReqHeapBytes
	scan = int64(srv.stats.Conns)*connStructBytes + srv.stats.ReqHeapBytes/requestHeapBytes*requestScanBytes
	return live, scan
}

// OnTCP implements tcp.Receiver.
func (srv *Server) OnTCP(c tcp.ConnID, side tcp.Side, ev tcp.EventKind, n int64) {
	if ev == tcp.Acceptable {
		if srv.accPark {
			srv.accPark = false
			srv.s.NetReady(srv.accG)
		}
		return
	}
	if ev != tcp.Data && ev != tcp.EOF {
		return
	}
	slot := srv.net.User(c, tcp.Server)
	sc := srv.conns.At(slot)
	if sc.parked {
		// netpoll: the G's read becomes ready (EPOLLIN or EPOLLRDHUP).
		sc.parked = false
		srv.e.Cancel(srv.dl(slot).timer)
		srv.s.NetReady(sc.gp)
	}
}

// Handle implements sim.Handler: read deadlines and TimeoutHandler timers.
func (srv *Server) Handle(ev sim.Event) {
	sc := srv.conns.At(ev.Entity)
	dl := srv.dl(ev.Entity)
	switch ev.Kind {
	case kReadDeadline:
		// netpolldeadlineimpl: the deadline readies the parked reader.
		if sc.parked {
			sc.parked = false
			srv.s.NetReady(sc.gp)
		}
	case kTimeoutHandler:
		if !dl.thDone {
			dl.thFired = true
			if dl.thParked {
				dl.thParked = false
				srv.s.Ready(sc.gp)
			}
		}
	}
}

// Step implements gmp.Behavior for the accept loop: Server.Serve
// (src/net/http/server.go, go1.26).
func (a *acceptor) Step(s *gmp.Sched, gp gmp.GID, arg int64) gmp.Action {
	srv := a.srv
	if arg > 0 { // an accepted conn's slot+1: spawn its goroutine (go c.serve)
		s.SetArg(gp, 0)
		return gmp.Spawn(srv, arg-1)
	}
	slot := srv.conns.Alloc()
	c, err := srv.net.Accept(srv.ln, srv, slot)
	switch {
	case errors.Is(err, tcp.ErrNoConn):
		srv.conns.Free(slot)
		srv.accPark = true
		return gmp.ParkNet()
	case errors.Is(err, tcp.ErrEMFILE):
		srv.conns.Free(slot)
		srv.stats.AcceptEMFILE++
		if srv.accDelay == 0 {
			srv.accDelay = acceptDelayMin
		} else {
			srv.accDelay = min(2*srv.accDelay, acceptDelayMax)
		}
		return gmp.Sleep(srv.accDelay)
	}
	srv.accDelay = 0
	srv.stats.Accepted++
	srv.stats.Conns++
	srv.stats.ConnsPeak = max(srv.stats.ConnsPeak, srv.stats.Conns)
	srv.stats.ByState[StateNew]++
	srv.stats.ConnHeapBytes += bufioReaderSize + bufioWriterSize + connStructBytes
	*srv.conns.At(slot) = sconn{c: c, gp: gmp.NoG, exec: -1, phase: phNew, state: StateNew}
	*srv.dl(slot) = sdeadline{}
	s.SetArg(gp, int64(slot)+1)
	return gmp.Compute(srv.cfg.AcceptCPU)
}

func (srv *Server) setState(sc *sconn, st ConnState) {
	srv.stats.ByState[sc.state]--
	sc.state = st
	if st != StateClosed {
		srv.stats.ByState[st]++
	}
}

// readHeaderTimeout and idleTimeout mirror Server.readHeaderTimeout and
// Server.idleTimeout: fall back to ReadTimeout when zero.
func (srv *Server) readHeaderTimeout() time.Duration {
	if srv.cfg.ReadHeaderTimeout != 0 {
		return srv.cfg.ReadHeaderTimeout
	}
	return srv.cfg.ReadTimeout
}

func (srv *Server) idleTimeout() time.Duration {
	if srv.cfg.IdleTimeout != 0 {
		return srv.cfg.IdleTimeout
	}
	return srv.cfg.ReadTimeout
}

// dl returns the deadline part of the conn in slot. Without timeouts it is
// a zero scratch value: every deadline is then 0 (none), no timer is set,
// and no TimeoutHandler runs, so nothing but zero is ever written to it.
func (srv *Server) dl(slot int32) *sdeadline {
	if !srv.timeouts {
		srv.dlNone = sdeadline{}
		return &srv.dlNone
	}
	for srv.dls.Len() <= int(slot) {
		srv.dls.Append(sdeadline{})
	}
	return srv.dls.At(int(slot))
}

func (srv *Server) deadline(d time.Duration) sim.Time {
	if d > 0 {
		return srv.e.Now() + sim.Time(d)
	}
	return 0
}

// wait parks the conn's G on the netpoller until bytes, EOF or its read
// deadline.
func (srv *Server) wait(slot int32, sc *sconn) gmp.Action {
	dl := srv.dl(slot)
	sc.parked = true
	if dl.readDL > 0 {
		dl.timer = srv.e.ScheduleTimer(dl.readDL, srv.h, kReadDeadline, slot, 0)
	}
	return gmp.ParkNet()
}

// compute returns Compute(d) plus the CPU sc owes.
func compute(sc *sconn, d time.Duration) gmp.Action {
	d += sc.pend
	sc.pend = 0
	return gmp.Compute(d)
}

// Step implements gmp.Behavior for a connection's goroutine: the loop of
// conn.serve (src/net/http/server.go, go1.26).
func (srv *Server) Step(s *gmp.Sched, gp gmp.GID, arg int64) gmp.Action {
	slot := int32(arg)
	sc := srv.conns.At(slot)
	dl := srv.dl(slot)
	now := srv.e.Now()
	for {
		switch sc.phase {
		case phNew:
			sc.gp = gp
			s.GrowStack(gp, srv.cfg.ConnStack)
			// serve: the first header's deadline starts now.
			dl.readDL = srv.deadline(srv.readHeaderTimeout())
			dl.wholeDL = srv.deadline(srv.cfg.ReadTimeout)
			sc.phase = phHeader
		case phHeader:
			if a, ok := srv.readHeader(slot, sc, now); ok {
				return a
			}
		case phBody:
			hdr, body := srv.wire.Request(sc.c)
			if sc.got < hdr+body {
				sc.got += srv.net.Read(sc.c, tcp.Server, hdr+body-sc.got)
			}
			if sc.got < hdr+body {
				if srv.net.PeerClosed(sc.c, tcp.Server) {
					return srv.close(sc, slot, CloseEOF)
				}
				if dl.readDL > 0 && now >= dl.readDL {
					return srv.close(sc, slot, CloseBodyTimeout)
				}
				return srv.wait(slot, sc)
			}
			sc.phase = phHandler
			sc.exec = srv.run.Start(gp, int64(slot))
			srv.stats.ReqHeapBytes += requestHeapBytes
			if srv.col != nil {
				sc.pend += srv.col.Alloc(requestHeapBytes)
			}
			if srv.cfg.TimeoutHandler > 0 {
				sc.phase = phTHSpawn
			}
		case phHandler:
			if sc.pend > 0 {
				// Charge parsing before a handler step that may block.
				if op := srv.run.Next(sc.exec); op != handler.OpCPU {
					return compute(sc, 0)
				}
			}
			a, done := srv.run.Step(sc.exec)
			if !done {
				if a.Op == gmp.OpCompute {
					return compute(sc, a.D)
				}
				return a
			}
			sc.phase = phWrite
		case phTHSpawn:
			if sc.pend > 0 {
				return compute(sc, 0)
			}
			// TimeoutHandler.ServeHTTP: go func() { h.ServeHTTP(tw, r) }()
			sc.phase = phTimeoutWait
			dl.thDone, dl.thFired = false, false
			dl.thTimer = srv.e.ScheduleTimer(now+sim.Time(srv.cfg.TimeoutHandler), srv.h, kTimeoutHandler, slot, 0)
			return gmp.Spawn(&srv.inner, int64(sc.exec))
		case phTimeoutWait:
			// select { case <-done: case <-ctx.Done(): }
			if !dl.thDone && !dl.thFired {
				dl.thParked = true
				return gmp.Park(gmp.WaitSelect)
			}
			sc.phase = phWrite
		case phWrite:
			if a, ok := srv.write(sc, slot, now); ok {
				return a
			}
		case phIdle:
			if srv.net.Readable(sc.c, tcp.Server) >= 4 {
				// Peek(4) succeeded: the header deadline starts now.
				dl.readDL = srv.deadline(srv.readHeaderTimeout())
				dl.wholeDL = srv.deadline(srv.cfg.ReadTimeout)
				sc.phase = phHeader
				continue
			}
			if srv.net.PeerClosed(sc.c, tcp.Server) {
				return srv.close(sc, slot, CloseEOF)
			}
			if dl.readDL > 0 && now >= dl.readDL {
				return srv.close(sc, slot, CloseIdleTimeout)
			}
			return srv.wait(slot, sc)
		}
	}
}

// readHeader consumes header bytes; ok reports that an action is returned,
// otherwise the phase moved on.
func (srv *Server) readHeader(slot int32, sc *sconn, now sim.Time) (gmp.Action, bool) {
	dl := srv.dl(slot)
	hdr, _ := srv.wire.Request(sc.c)
	limit := int64(srv.cfg.MaxHeaderBytes) + headerSlop
	want := limit
	if hdr > 0 {
		want = min(hdr, limit)
	}
	if sc.got < want {
		sc.got += srv.net.Read(sc.c, tcp.Server, want-sc.got)
	}
	if hdr > 0 && sc.got >= hdr {
		// readRequest returned: body deadline, write deadline, Active.
		srv.stats.Requests++
		sc.reqStart = now
		dl.readDL = dl.wholeDL
		dl.writeDL = srv.deadline(srv.cfg.WriteTimeout)
		srv.setState(sc, StateActive)
		sc.pend += dist.SampleDuration(srv.reqCPU, srv.rng)
		sc.phase = phBody
		return gmp.Action{}, false
	}
	if sc.got >= limit {
		// hitReadLimit: 431 Request Header Fields Too Large, then close.
		srv.setState(sc, StateActive)
		srv.stats.Status431++
		srv.stats.Responses++
		srv.wire.SetResponse(sc.c, 431, status431Bytes)
		srv.net.Send(sc.c, tcp.Server, status431Bytes)
		return srv.close(sc, slot, Close431), true
	}
	if srv.net.PeerClosed(sc.c, tcp.Server) {
		return srv.close(sc, slot, CloseEOF), true
	}
	if dl.readDL > 0 && now >= dl.readDL {
		return srv.close(sc, slot, CloseHeaderTimeout), true
	}
	return srv.wait(slot, sc), true
}

// write sends the response (finishRequest) and goes back to idle; ok
// reports that an action is returned, otherwise the loop continues idle.
func (srv *Server) write(sc *sconn, slot int32, now sim.Time) (gmp.Action, bool) {
	dl := srv.dl(slot)
	status, bytes := 200, int64(0)
	if dl.thFired {
		status, bytes = 503, timeoutRespBytes
		// The inner G still owns the Exec; it finishes it.
		srv.stats.InnerRunning++
		srv.run.Exec(sc.exec).User = -1
	} else {
		x := srv.run.Exec(sc.exec)
		status = x.Status()
		bytes = srv.run.RespBytes()
		if status != 200 {
			bytes = timeoutRespBytes
		}
		srv.run.Finish(sc.exec)
	}
	srv.e.Cancel(dl.thTimer)
	sc.exec = -1
	srv.stats.ReqHeapBytes -= requestHeapBytes
	srv.service.Record(int64(now - sc.reqStart))
	if dl.writeDL > 0 && now >= dl.writeDL {
		// The write deadline passed during the handler: the write
		// fails (i/o timeout) and the connection closes unanswered.
		return srv.close(sc, slot, CloseWriteTimeout), true
	}
	if status == 503 {
		srv.stats.Status503++
	}
	srv.stats.Responses++
	srv.wire.SetResponse(sc.c, status, bytes)
	srv.net.Send(sc.c, tcp.Server, bytes)
	// serve: StateIdle, the idle deadline, Peek(4).
	dl.writeDL = 0
	sc.got = 0
	srv.setState(sc, StateIdle)
	dl.readDL = srv.deadline(srv.idleTimeout())
	sc.phase = phIdle
	if sc.pend > 0 {
		return compute(sc, 0), true
	}
	return gmp.Action{}, false
}

func (srv *Server) close(sc *sconn, slot int32, cause CloseCause) gmp.Action {
	dl := srv.dl(slot)
	srv.stats.Closes[cause]++
	srv.net.Close(sc.c, tcp.Server)
	srv.setState(sc, StateClosed)
	srv.stats.Conns--
	srv.stats.ConnHeapBytes -= bufioReaderSize + bufioWriterSize + connStructBytes
	srv.e.Cancel(dl.timer)
	*dl = sdeadline{}
	*sc = sconn{c: tcp.NoConn, exec: -1}
	srv.conns.Free(slot)
	return gmp.Exit()
}

// Step implements gmp.Behavior for a TimeoutHandler's inner goroutine;
// arg is its Exec.
func (in *innerG) Step(s *gmp.Sched, gp gmp.GID, arg int64) gmp.Action {
	srv := in.srv
	x := int32(arg)
	ex := srv.run.Exec(x)
	if ex.User >= 0 {
		srv.run.SetG(x, gp)
	}
	a, done := srv.run.Step(x)
	if !done {
		return a
	}
	if ex.User < 0 {
		// Orphaned by a 503: the result is discarded (ErrHandlerTimeout).
		srv.run.Finish(x)
		srv.stats.InnerRunning--
		return gmp.Exit()
	}
	sc := srv.conns.At(int32(ex.User))
	dl := srv.dl(int32(ex.User))
	dl.thDone = true
	srv.e.Cancel(dl.thTimer)
	if dl.thParked {
		dl.thParked = false
		s.Ready(sc.gp)
	}
	return gmp.Exit()
}

// MemBytes reports the memory of the server's connection table: conn is
// net/http's conn state, pollDesc the part of it that stands for the
// runtime's pollDesc (netpoll's per-descriptor entry): the parked flag,
// and with timeouts the deadline table (read and write deadlines, their
// timer).
func (srv *Server) MemBytes() (conn, pollDesc int64) {
	var c sconn
	all := srv.conns.MemBytes()
	pd := int64(unsafe.Sizeof(c.parked)) * (all / int64(unsafe.Sizeof(c))) // whole conns' worth of slots
	return all - pd, pd + srv.dls.Bytes()
}
