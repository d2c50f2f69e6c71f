package tcp

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
)

// ConnID names a connection: a dense index into the Net's table. Slots are
// reused only after both sides closed and no event for the old connection is
// pending, so a ConnID is valid from Dial until its owner closes it.
type ConnID int32

// NoConn is the ConnID sentinel.
const NoConn ConnID = -1

// ListenerID names a listening socket.
type ListenerID int32

// Side is one end of a connection.
type Side uint8

const (
	Client Side = 0 // the dialer
	Server Side = 1 // the acceptor
)

func (s Side) String() string {
	if s == Client {
		return "client"
	}
	return "server"
}

// EventKind says what happened on a side of a connection.
type EventKind uint8

const (
	// Connected: the dialer's handshake (TCP and TLS) completed; n = 0.
	Connected EventKind = iota
	// Refused: the dial failed (SYN retries exhausted: ETIMEDOUT); n = 0.
	Refused
	// Acceptable: sent to the listener's owner: a connection joined the
	// accept queue (side Server; n = queue length).
	Acceptable
	// Data: n bytes arrived in order and wait in the receive buffer.
	Data
	// Acked: the side's queued bytes were all acknowledged; n = bytes
	// acknowledged in total so far. Sent only when SetNotifyAcked is on.
	Acked
	// EOF: the peer closed its side (FIN) and every byte before it arrived.
	EOF
)

var eventNames = [...]string{"Connected", "Refused", "Acceptable", "Data", "Acked", "EOF"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", k)
}

// Receiver gets a connection's events. Implement it on a long-lived object
// (a server, a client pool); it is called from the engine's event loop and
// may call back into the Net.
type Receiver interface {
	OnTCP(c ConnID, side Side, ev EventKind, n int64)
}

// TLSVersion selects the TLS handshake run after TCP's.
type TLSVersion uint8

const (
	NoTLS TLSVersion = iota
	TLS12            // full handshake: 2 RTT (RFC 5246 §7.3)
	TLS13            // full handshake: 1 RTT (RFC 8446 §2); Go does no 0-RTT over TCP
)

// ParseTLS parses "none", "1.2" or "1.3".
func ParseTLS(s string) (TLSVersion, error) {
	switch s {
	case "none", "", "off":
		return NoTLS, nil
	case "1.2":
		return TLS12, nil
	case "1.3":
		return TLS13, nil
	}
	return 0, fmt.Errorf("tcp: unknown TLS version %q (none, 1.2, 1.3)", s)
}

// Linux and TCP constants.
const (
	// DefaultMSS is the payload per segment with TCP timestamps on an
	// Ethernet path: 1500 − 20 (IP) − 20 (TCP) − 12 (timestamps).
	DefaultMSS = 1448
	// DefaultInitCwnd is the initial window, RFC 6928 (TCP_INIT_CWND).
	DefaultInitCwnd = 10
	// DefaultRTOMin is Linux's TCP_RTO_MIN (HZ/5).
	DefaultRTOMin = 200 * time.Millisecond
	// RTOMax is TCP_RTO_MAX.
	RTOMax = 120 * time.Second
	// DefaultTimeWait is TCP_TIMEWAIT_LEN.
	DefaultTimeWait = 60 * time.Second
	// DefaultSomaxconn is net.core.somaxconn since Linux 5.4.
	DefaultSomaxconn = 4096
	// SynRetries is tcp_syn_retries; the initial SYN RTO is 1 s
	// (TCP_TIMEOUT_INIT), doubling.
	SynRetries  = 6
	synInitRTO  = time.Second
	maxWindowSS = 6 << 20 // tcp_rmem max 6 MiB: the receive window cap
)

// Config is the path between clients and servers. The zero value of a field
// means its default.
type Config struct {
	RTT       time.Duration // round-trip propagation delay (0: same host)
	Bandwidth float64       // bytes per second per direction (0: unlimited)
	MSS       int           // DefaultMSS
	LossRate  float64       // per-segment loss probability in [0, 1)
	InitCwnd  int           // DefaultInitCwnd
	// Congestion is the policy (default Cubic, Linux's default).
	Congestion Congestion
	// NoSlowStartAfterIdle turns off tcp_slow_start_after_idle (default on:
	// a flow idle for an RTO restarts from the initial window, RFC 2861
	// as implemented by tcp_cwnd_restart).
	NoSlowStartAfterIdle bool
	TLS                  TLSVersion
	RTOMin               time.Duration // DefaultRTOMin
	TimeWait             time.Duration // DefaultTimeWait
	// MaxWindow caps the window in bytes (the receive buffer; default 6 MiB).
	MaxWindow int
}

func (c Config) withDefaults() (Config, error) {
	if c.RTT < 0 || c.Bandwidth < 0 || c.MSS < 0 || c.InitCwnd < 0 || c.RTOMin < 0 || c.TimeWait < 0 || c.MaxWindow < 0 {
		return c, errors.New("tcp: negative config value")
	}
	if !(c.LossRate >= 0 && c.LossRate < 1) {
		return c, fmt.Errorf("tcp: LossRate %v not in [0, 1)", c.LossRate)
	}
	if c.MSS == 0 {
		c.MSS = DefaultMSS
	}
	if c.InitCwnd == 0 {
		c.InitCwnd = DefaultInitCwnd
	}
	if c.Congestion == nil {
		c.Congestion = Cubic{}
	}
	if c.RTOMin == 0 {
		c.RTOMin = DefaultRTOMin
	}
	if c.TimeWait == 0 {
		c.TimeWait = DefaultTimeWait
	}
	if c.MaxWindow == 0 {
		c.MaxWindow = maxWindowSS
	}
	return c, nil
}

// lossState is the part of a CCState other than Cwnd.
type lossState struct {
	ssthresh, wMax, k float32
	epoch             sim.Time
}

// ccState loads f's congestion state into n.cc (a field, so that passing
// it to the policy's interface methods allocates nothing) and returns it.
func (n *Net) ccState(f *flow) *CCState {
	if f.loss == 0 {
		n.cc = CCState{Cwnd: f.cwnd, Ssthresh: math.MaxFloat32}
	} else {
		l := n.loss.At(f.loss)
		n.cc = CCState{Cwnd: f.cwnd, Ssthresh: l.ssthresh, WMax: l.wMax, K: l.k, Epoch: l.epoch}
	}
	return &n.cc
}

// setCCState stores *st as f's congestion state.
func (n *Net) setCCState(f *flow, st *CCState) {
	f.cwnd = st.Cwnd
	if f.loss == 0 {
		if st.Ssthresh == math.MaxFloat32 && st.WMax == 0 && st.K == 0 && st.Epoch == 0 {
			return
		}
		if n.loss.Len() == 0 {
			n.loss.Alloc() // index 0 means none
		}
		f.loss = n.loss.Alloc()
	}
	*n.loss.At(f.loss) = lossState{ssthresh: st.Ssthresh, wMax: st.WMax, k: st.K, epoch: st.Epoch}
}

// flow is one direction of a connection. Its congestion state is cwnd and,
// once it leaves its initial values (a loss, for Reno and CUBIC), the
// entry loss of Net.loss; a loss-free flow, the common case at scale,
// costs 8 bytes of it instead of a whole CCState. 72 bytes.
type flow struct {
	queued    int64    // written, not yet sent
	unread    int64    // arrived at the receiver, not yet Read
	acked     int64    // bytes acknowledged so far
	inflight  int64    // bytes of rounds sent but not yet acknowledged
	ackAt     sim.Time // when the current round's ACKs are back
	lastAt    sim.Time // when the last round's ACKs were back (idle start)
	deliverAt sim.Time // when the last scheduled byte arrives
	cwnd      float32  // CCState.Cwnd
	loss      int32    // the rest of its CCState: Net.loss[loss]; 0: Ssthresh infinite, no CUBIC epoch
	backoff   uint8    // consecutive RTOs
	fin       bool     // the sender closed: FIN follows the queued bytes
	finSent   bool     // the FIN event is scheduled
	eof       bool     // the receiver saw the FIN
	round     bool     // a kRound event is scheduled
	notify    bool     // send Acked events
}

type conn struct {
	f       [2]flow // f[Client]: client→server; f[Server]: server→client
	owner   [2]uint16
	user    [2]int32
	closed  [2]bool
	l       int32 // listener, -1 if none
	pending int32 // events in the queue for this conn
	synTry  uint8
	state   connState
}

type connState uint8

const (
	csFree   connState = iota
	csSyn              // SYN sent, not yet established
	csQueued           // established, in the accept queue
	csOpen             // established (and accepted, for server sides)
	csDead             // refused
)

type listener struct {
	owner     uint16
	backlog   int
	queue     container.Queue[ConnID] // accept queue
	syn       int                     // SYNs accepted and not yet in the queue (reserved slots)
	fdLimit   int
	fdOpen    int
	timeWait  int
	overflows uint64
	accepted  uint64
}

// Stats counts connection-level outcomes.
type Stats struct {
	Dials, Established, Refused uint64
	SynDrops                    uint64 // SYNs dropped because an accept queue was full
	Segments, Lost              uint64
	FastRetransmits, RTOs       uint64
	Rounds                      uint64
	Open                        int // connections not yet fully closed
	ClientTimeWait              int // client-side sockets in TIME_WAIT
}

// Event kinds on the Net's handler.
const (
	kSynArrive sim.Kind = iota // SYN reaches the listener
	kSynAck                    // SYN-ACK reaches the client: established
	kAckArrive                 // the handshake's ACK reaches the server: accept queue
	kDeliver                   // arg: bytes<<1 | dir
	kRound                     // arg: dir
	kFin                       // arg: dir (the FIN of direction dir arrives)
	kAcked                     // arg: dir
	kTimeWait                  // arg: side<<32 | listener+1 (0: client)
	kSynRetry
)

// Net is the set of connections, listeners and the path between them. It is
// a [sim.Handler] registered once on its engine. Not safe for concurrent use.
type Net struct {
	e     *sim.Engine
	h     sim.HandlerID
	cfg   Config
	rng   *rand.Rand
	rtt   sim.Time
	half  sim.Time
	rttS  float64
	lnLog float64 // log(1-LossRate)

	conns  container.Slots[conn, ConnID]
	loss   container.Slots[lossState, int32] // 0 unused
	cc     CCState                           // scratch for ccState
	lns    []listener
	recvs  []Receiver
	stats  Stats
	mssInv float64
	watch  []watch // connections whose rounds are recorded (segments.go)
}

// ErrEMFILE is returned by Accept when the process is at its descriptor
// limit (ulimit -n): "accept4: too many open files".
var ErrEMFILE = errors.New("accept4: too many open files")

// ErrNoConn is returned by Accept when the accept queue is empty (EAGAIN).
var ErrNoConn = errors.New("accept4: resource temporarily unavailable")

// New returns a Net on e. Its randomness comes from the "tcp" stream.
func New(e *sim.Engine, cfg Config) (*Net, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	n := &Net{e: e, cfg: cfg, rng: e.Stream("tcp/loss"), rtt: sim.Time(cfg.RTT), half: sim.Time(cfg.RTT / 2),
		rttS: cfg.RTT.Seconds(), mssInv: 1 / float64(cfg.MSS)}
	if cfg.LossRate > 0 {
		n.lnLog = math.Log1p(-cfg.LossRate)
	}
	n.h = e.Register(n)
	return n, nil
}

// Reserve makes room for n connections, so that a model that knows its
// size (a million clients) does not grow the table by copying.
func (n *Net) Reserve(k int) {
	n.conns.Reserve(k)
}

// Config returns the configuration with defaults filled in.
func (n *Net) Config() Config { return n.cfg }

func (n *Net) recv(r Receiver) uint16 {
	for i := len(n.recvs) - 1; i >= 0; i-- {
		if n.recvs[i] == r {
			return uint16(i)
		}
	}
	n.recvs = append(n.recvs, r)
	return uint16(len(n.recvs) - 1)
}

// Listen opens a listening socket owned by owner. The accept queue holds
// min(backlog, somaxconn) connections (Go passes somaxconn as backlog:
// net/sock_linux.go maxListenerBacklog); fdLimit is the process's
// descriptor limit (ulimit -n; ≤ 0: unlimited), counting the listener.
func (n *Net) Listen(owner Receiver, backlog, somaxconn, fdLimit int) ListenerID {
	if somaxconn <= 0 {
		somaxconn = DefaultSomaxconn
	}
	if backlog <= 0 || backlog > somaxconn {
		backlog = somaxconn
	}
	if fdLimit <= 0 {
		fdLimit = math.MaxInt
	}
	// 3 descriptors for stdin/stdout/stderr and 1 for the listener.
	n.lns = append(n.lns, listener{owner: n.recv(owner), backlog: backlog, fdLimit: fdLimit, fdOpen: 4})
	return ListenerID(len(n.lns) - 1)
}

// Dial starts a connection from owner to l: SYN now, SYN-ACK after one RTT,
// then the TLS handshake's round trips; owner gets Connected (or Refused).
func (n *Net) Dial(owner Receiver, l ListenerID, user int32) ConnID {
	c := n.conns.Alloc()
	cc := n.conns.At(c)
	*cc = conn{l: int32(l), state: csSyn}
	cc.owner[Client] = n.recv(owner)
	cc.user[Client] = user
	for d := range cc.f {
		cc.f[d].cwnd = float32(n.cfg.InitCwnd)
	}
	n.stats.Dials++
	n.stats.Open++
	n.sched(c, n.half, kSynArrive, 0)
	return c
}

func (n *Net) sched(c ConnID, d sim.Time, k sim.Kind, arg int64) {
	n.conns.At(c).pending++
	n.e.Schedule(n.e.Now()+d, n.h, k, int32(c), arg)
}

// Accept takes the oldest connection from l's accept queue for owner. It
// returns ErrNoConn if the queue is empty and ErrEMFILE if the process is at
// its descriptor limit (the connection then stays queued, as in Linux).
func (n *Net) Accept(l ListenerID, owner Receiver, user int32) (ConnID, error) {
	ln := &n.lns[l]
	if ln.queue.Len() == 0 {
		return NoConn, ErrNoConn
	}
	if ln.fdOpen >= ln.fdLimit {
		return NoConn, ErrEMFILE
	}
	c := ln.queue.Pop()
	ln.fdOpen++
	ln.accepted++
	cc := n.conns.At(c)
	cc.state = csOpen
	cc.owner[Server] = n.recv(owner)
	cc.user[Server] = user
	return c, nil
}

// QueueLen returns the number of connections waiting in l's accept queue.
func (n *Net) QueueLen(l ListenerID) int { return n.lns[l].queue.Len() }

// FDs returns the descriptors open in l's process (3 std + listener +
// accepted connections not yet closed) and its limit.
func (n *Net) FDs(l ListenerID) (open, limit int) { return n.lns[l].fdOpen, n.lns[l].fdLimit }

// TimeWait returns the server-side sockets of l in TIME_WAIT.
func (n *Net) TimeWait(l ListenerID) int { return n.lns[l].timeWait }

// Overflows returns the SYNs l dropped because its accept queue was full.
func (n *Net) Overflows(l ListenerID) uint64 { return n.lns[l].overflows }

// Stats returns the counters so far.
func (n *Net) Stats() Stats { return n.stats }

// User returns the user word of side s of c.
func (n *Net) User(c ConnID, s Side) int32 { return n.conns.At(c).user[s] }

// SetUser sets the user word of side s of c.
func (n *Net) SetUser(c ConnID, s Side, v int32) { n.conns.At(c).user[s] = v }

// SetNotifyAcked turns Acked events on or off for the bytes side s sends.
func (n *Net) SetNotifyAcked(c ConnID, s Side, on bool) { n.conns.At(c).f[s].notify = on }

// Readable returns the bytes that arrived at side s and were not yet Read.
func (n *Net) Readable(c ConnID, s Side) int64 { return n.conns.At(c).f[1-s].unread }

// Read consumes up to max bytes arrived at side s and returns how many.
func (n *Net) Read(c ConnID, s Side, max int64) int64 {
	f := &n.conns.At(c).f[1-s]
	k := min(max, f.unread)
	f.unread -= k
	return k
}

// PeerClosed reports whether side s has seen the peer's FIN (after all the
// peer's bytes).
func (n *Net) PeerClosed(c ConnID, s Side) bool { return n.conns.At(c).f[1-s].eof }

// Unsent returns the bytes side s wrote that are not yet acknowledged.
func (n *Net) Unsent(c ConnID, s Side) int64 {
	f := &n.conns.At(c).f[s]
	return f.queued + f.inflight
}

// Cwnd returns side s's congestion window in segments.
func (n *Net) Cwnd(c ConnID, s Side) float64 { return float64(n.conns.At(c).f[s].cwnd) }

// Send writes b bytes from side s to its peer. It never blocks (the socket
// buffer is taken as large enough); the bytes go out in the next rounds the
// congestion window allows. Sending on a closed side or a connection not yet
// established on that side is an error.
func (n *Net) Send(c ConnID, s Side, b int64) error {
	cc := n.conns.At(c)
	if b < 0 {
		return fmt.Errorf("tcp: Send of %d bytes", b)
	}
	if cc.closed[s] || cc.state == csDead || cc.state == csFree {
		return errors.New("tcp: write on closed connection")
	}
	f := &cc.f[s]
	f.queued += b
	if cc.state == csSyn && s == Client {
		return nil // sent when the handshake completes
	}
	n.kick(c, Side(s))
	return nil
}

// kick starts a round for direction d if none is running or waiting.
func (n *Net) kick(c ConnID, d Side) {
	f := &n.conns.At(c).f[d]
	if f.round {
		return
	}
	now := n.e.Now()
	if f.queued == 0 {
		if f.fin && !f.finSent {
			// A bare FIN goes out at once and arrives after the
			// bytes before it.
			f.finSent = true
			n.sched(c, max(now+n.half, f.deliverAt)-now, kFin, int64(d))
		}
		return
	}
	if f.ackAt > now {
		f.round = true
		n.sched(c, f.ackAt-now, kRound, int64(d))
		return
	}
	n.startRound(c, d)
}

// startRound sends one window of direction d now. Mirrors the effect of
// tcp_write_xmit (linux net/ipv4/tcp_output.c) over one RTT: cwnd segments
// leave back to back and are ACK-clocked.
func (n *Net) startRound(c ConnID, d Side) {
	cc := n.conns.At(c)
	f := &cc.f[d]
	now := n.e.Now()
	rto := n.rto(f)
	// tcp_cwnd_restart: idle for more than an RTO restarts from the
	// initial window (RFC 2861 halves per RTO; Linux's restart window is
	// the initial window).
	if !n.cfg.NoSlowStartAfterIdle && f.lastAt > 0 && now-f.lastAt > sim.Time(rto) && f.cwnd > float32(n.cfg.InitCwnd) {
		f.cwnd = float32(n.cfg.InitCwnd)
	}
	win := int64(float64(f.cwnd) * float64(n.cfg.MSS))
	win = min(max(win, int64(n.cfg.MSS)), int64(n.cfg.MaxWindow))
	send := min(f.queued, win)
	f.queued -= send
	segs := (send + int64(n.cfg.MSS) - 1) / int64(n.cfg.MSS)
	if segs == 0 {
		segs = 1 // a bare FIN
	}
	n.stats.Rounds++
	n.stats.Segments += uint64(segs)
	ser := sim.Time(0)
	if n.cfg.Bandwidth > 0 {
		ser = sim.Time(float64(send) / n.cfg.Bandwidth * 1e9)
	}
	roundT := max(n.rtt, ser)
	lost := int64(-1)
	if n.lnLog != 0 {
		// First lost segment: geometric with success probability LossRate.
		k := int64(math.Log(1-n.rng.Float64()) / n.lnLog)
		if k < segs {
			lost = k
		}
	}
	finNow := f.fin && !f.finSent && f.queued == 0
	var doneAt sim.Time // when every byte of this round has arrived
	if lost < 0 {
		doneAt = now + ser + n.half
		if send > 0 {
			n.deliver(c, d, send, doneAt)
		}
		st := n.ccState(f)
		n.cfg.Congestion.OnRound(st, float32(segs), now+roundT, n.rttS)
		n.setCCState(f, st)
		f.backoff = 0
		f.ackAt = now + roundT
	} else {
		n.stats.Lost++
		before := min(lost*int64(n.cfg.MSS), send)
		if before > 0 {
			n.deliver(c, d, before, now+sim.Time(float64(ser)*float64(before)/float64(send))+n.half)
		}
		var repairAt sim.Time
		if segs-lost-1 >= 3 {
			// Fast retransmit (RFC 5681 §3.2): three duplicate ACKs
			// arrive one RTT after the loss; the retransmission
			// arrives half an RTT later.
			n.stats.FastRetransmits++
			st := n.ccState(f)
			n.cfg.Congestion.OnLoss(st, now+n.rtt)
			n.setCCState(f, st)
			repairAt = now + ser + n.rtt
			f.ackAt = repairAt + n.rtt
		} else {
			// Tail loss: the retransmission timer fires (RFC 6298
			// §5.5: back off ×2 per consecutive timeout).
			n.stats.RTOs++
			st := n.ccState(f)
			n.cfg.Congestion.OnLoss(st, now+sim.Time(rto))
			n.setCCState(f, st)
			f.cwnd = 1
			f.backoff++
			repairAt = now + ser + sim.Time(rto)
			f.ackAt = repairAt + n.rtt
		}
		doneAt = repairAt + n.half
		if send-before > 0 {
			n.deliver(c, d, send-before, doneAt)
		}
	}
	if len(n.watch) > 0 {
		r := round{seq: f.acked + f.inflight, bytes: send, start: now, ser: ser, lost: lost, done: doneAt}
		if lost >= 0 {
			r.before = now + sim.Time(float64(ser)*float64(min(lost*int64(n.cfg.MSS), send))/float64(max(send, 1))) + n.half
			r.repair = doneAt - n.half
		}
		n.record(c, d, r)
	}
	f.cwnd = min(f.cwnd, float32(n.cfg.MaxWindow/n.cfg.MSS))
	f.inflight += send
	f.deliverAt = max(f.deliverAt, doneAt)
	if finNow {
		f.finSent = true
		n.sched(c, f.deliverAt-now, kFin, int64(d))
	}
	if f.queued > 0 || (f.fin && !f.finSent) {
		f.round = true
		n.sched(c, f.ackAt-now, kRound, int64(d))
	} else if f.notify {
		n.sched(c, f.ackAt-now, kAcked, int64(d))
	} else {
		// Without an ACK event, the bytes count as acknowledged at ackAt;
		// account now since nothing can observe the difference.
		f.acked += f.inflight
		f.inflight = 0
		f.lastAt = f.ackAt
	}
}

func (n *Net) rto(f *flow) time.Duration {
	r := n.cfg.RTT + n.cfg.RTOMin
	for i := uint8(0); i < f.backoff && r < RTOMax; i++ {
		r *= 2
	}
	return min(r, RTOMax)
}

func (n *Net) deliver(c ConnID, d Side, b int64, at sim.Time) {
	n.conns.At(c).pending++
	n.e.Schedule(at, n.h, kDeliver, int32(c), b<<1|int64(d))
}

// Close closes side s of c: the side's descriptor is released now and a FIN
// follows the bytes already written. The side that closes first holds
// TIME_WAIT for Config.TimeWait after the exchange (RFC 9293 §3.6).
// Closing twice is a no-op.
func (n *Net) Close(c ConnID, s Side) {
	cc := n.conns.At(c)
	if cc.closed[s] || cc.state == csFree {
		return
	}
	cc.closed[s] = true
	if s == Server && cc.l >= 0 && cc.state == csOpen {
		n.lns[cc.l].fdOpen--
	}
	if cc.state == csSyn || cc.state == csDead {
		// Closing a dial in progress abandons it.
		cc.closed[1-s] = true
		n.maybeFree(c)
		return
	}
	f := &cc.f[s]
	f.fin = true
	// First closer: it will hold TIME_WAIT (the peer has not sent FIN).
	if !cc.f[1-s].fin {
		if s == Client {
			n.stats.ClientTimeWait++
			n.e.Schedule(n.e.Now()+sim.Time(n.cfg.TimeWait), n.h, kTimeWait, int32(c), 0)
		} else if cc.l >= 0 {
			n.lns[cc.l].timeWait++
			n.e.Schedule(n.e.Now()+sim.Time(n.cfg.TimeWait), n.h, kTimeWait, int32(c), int64(cc.l)+1)
		}
	}
	n.kick(c, s)
	n.maybeFree(c)
}

func (n *Net) maybeFree(c ConnID) {
	cc := n.conns.At(c)
	if cc.closed[0] && cc.closed[1] && cc.pending == 0 && cc.state != csFree && cc.state != csQueued {
		cc.state = csFree
		n.stats.Open--
		if len(n.watch) > 0 {
			n.unwatch(c)
		}
		for d := range cc.f {
			if cc.f[d].loss != 0 {
				n.loss.Free(cc.f[d].loss)
				cc.f[d].loss = 0
			}
		}
		n.conns.Free(c)
	}
}

func (n *Net) emit(c ConnID, s Side, k EventKind, b int64) {
	cc := n.conns.At(c)
	if cc.closed[s] {
		return
	}
	if s == Server && cc.state != csOpen {
		return // not accepted yet: bytes wait in the buffer
	}
	n.recvs[cc.owner[s]].OnTCP(c, s, k, b)
}

// Handle implements sim.Handler.
func (n *Net) Handle(ev sim.Event) {
	c := ConnID(ev.Entity)
	if ev.Kind == kTimeWait {
		if ev.Arg == 0 {
			n.stats.ClientTimeWait--
		} else {
			n.lns[ev.Arg-1].timeWait--
		}
		return
	}
	cc := n.conns.At(c)
	cc.pending--
	switch ev.Kind {
	case kSynArrive, kSynRetry:
		if cc.closed[Client] {
			break
		}
		ln := &n.lns[cc.l]
		if n.QueueLen(ListenerID(cc.l))+ln.syn >= ln.backlog {
			// tcp_conn_request drops the SYN when the accept queue
			// is full; the client retransmits it (tcp_syn_retries).
			ln.overflows++
			n.stats.SynDrops++
			if cc.synTry >= SynRetries {
				cc.state = csDead
				n.stats.Refused++
				n.emit(c, Client, Refused, 0)
				break
			}
			d := synInitRTO << cc.synTry
			cc.synTry++
			n.sched(c, sim.Time(d), kSynRetry, 0)
			break
		}
		ln.syn++
		n.sched(c, n.half, kSynAck, 0)
	case kSynAck:
		if cc.closed[Client] {
			// The dial was abandoned: the client answers with RST.
			n.lns[cc.l].syn--
			break
		}
		// The client is established and its ACK (with data, if any)
		// leaves now; the server queues the connection on the ACK.
		n.sched(c, n.half, kAckArrive, 0)
		tls := sim.Time(0)
		switch n.cfg.TLS {
		case TLS12:
			tls = 2 * n.rtt
		case TLS13:
			tls = n.rtt
		}
		cc.state = csQueued // until accepted; client side usable
		n.stats.Established++
		if tls > 0 {
			n.sched(c, tls, kRound, 2) // arg 2: TLS done
			break
		}
		n.emit(c, Client, Connected, 0)
		n.kick(c, Client)
	case kAckArrive:
		ln := &n.lns[cc.l]
		ln.syn--
		ln.queue.Push(c)
		n.recvs[ln.owner].OnTCP(c, Server, Acceptable, int64(n.QueueLen(ListenerID(cc.l))))
	case kRound:
		if ev.Arg == 2 {
			n.emit(c, Client, Connected, 0)
			n.kick(c, Client)
			break
		}
		d := Side(ev.Arg)
		f := &cc.f[d]
		f.round = false
		f.acked += f.inflight
		f.inflight = 0
		f.lastAt = n.e.Now()
		n.kick(c, d)
	case kAcked:
		d := Side(ev.Arg)
		f := &cc.f[d]
		f.acked += f.inflight
		f.inflight = 0
		f.lastAt = n.e.Now()
		n.emit(c, d, Acked, f.acked)
	case kDeliver:
		d := Side(ev.Arg & 1)
		b := ev.Arg >> 1
		cc.f[d].unread += b
		n.emit(c, 1-d, Data, b)
	case kFin:
		d := Side(ev.Arg)
		cc.f[d].eof = true
		n.emit(c, 1-d, EOF, 0)
	}
	n.maybeFree(c)
}

// MemBytes reports the memory of the connection table (both directions of
// every connection, as allocated) and its free list.
func (n *Net) MemBytes() int64 {
	return n.conns.MemBytes()
}
