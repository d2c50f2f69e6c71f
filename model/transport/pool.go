package transport

import (
	"errors"
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// DefaultMaxIdleConnsPerHost mirrors net/http.DefaultMaxIdleConnsPerHost.
const DefaultMaxIdleConnsPerHost = 2

// BrowserConnsPerHost is the HTTP/1.1 connection limit per host of Chrome,
// Firefox and Safari (Chromium's kDefaultMaxSocketsPerGroup = 6).
const BrowserConnsPerHost = 6

// Config holds a Transport's pool fields, named as in net/http.Transport.
type Config struct {
	MaxIdleConns        int           // 0: no limit
	MaxIdleConnsPerHost int           // 0: DefaultMaxIdleConnsPerHost; < 0: keep-alives off
	MaxConnsPerHost     int           // ≤ 0: no limit
	IdleConnTimeout     time.Duration // ≤ 0: idle conns are kept forever
	DisableKeepAlives   bool
}

// DefaultConfig mirrors net/http.DefaultTransport's pool settings
// (src/net/http/transport.go, go1.26): MaxIdleConns 100, IdleConnTimeout
// 90 s, MaxIdleConnsPerHost and MaxConnsPerHost unset.
func DefaultConfig() Config {
	return Config{MaxIdleConns: 100, IdleConnTimeout: 90 * time.Second}
}

// Validate reports a configuration the model cannot run.
func (c Config) Validate() error {
	switch {
	case c.MaxIdleConns < 0:
		return fmt.Errorf("transport: MaxIdleConns %d < 0", c.MaxIdleConns)
	case c.IdleConnTimeout < 0:
		return fmt.Errorf("transport: IdleConnTimeout %v < 0", c.IdleConnTimeout)
	}
	return nil
}

// maxIdleConnsPerHost mirrors (*Transport).maxIdleConnsPerHost.
func (c *Config) maxIdleConnsPerHost() int {
	if c.MaxIdleConnsPerHost != 0 {
		return c.MaxIdleConnsPerHost
	}
	return DefaultMaxIdleConnsPerHost
}

func (c *Config) keepAlives() bool { return !c.DisableKeepAlives && c.MaxIdleConnsPerHost >= 0 }

// PConnID names a pooled connection (a persistConn). IDs are reused after a
// connection closes. NoConn is the -1 sentinel.
type PConnID int32

// NoConn is the invalid PConnID: GotConn with NoConn means the dial failed.
const NoConn PConnID = -1

// TransportID names one Transport in a Pool; KeyID one (Transport, host)
// connectMethodKey.
type (
	TransportID int32
	KeyID       int32
)

// Driver is the network side of a Pool: the scenario implements it.
// Calls arrive from inside Pool methods and may call back into the Pool.
type Driver interface {
	// Dial starts connecting pc; answer later with Pool.DialDone.
	Dial(pc PConnID)
	// Close closes pc's network connection (the client side closes first).
	Close(pc PConnID)
	// GotConn says request req may now use pc (reused as in
	// httptrace.GotConnInfo.Reused), or that its dial failed (pc NoConn).
	GotConn(req int32, pc PConnID, reused bool)
}

// State is a pooled connection's state.
type State uint8

const (
	Free    State = iota // slot unused
	Dialing              // dial in progress
	Active               // carrying a request (or leaked by an unread body)
	Idle                 // in the idle list
)

var stateNames = [...]string{"free", "dialing", "active", "idle"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", s)
}

// CloseReason says why the pool closed a connection.
type CloseReason uint8

const (
	CloseIdleFull      CloseReason = iota // errTooManyIdleHost: MaxIdleConnsPerHost reached
	CloseTooManyIdle                      // errTooManyIdle: evicted by MaxIdleConns (idleLRU)
	CloseIdleTimeout                      // closeConnIfStillIdle after IdleConnTimeout
	CloseKeepAlivesOff                    // errKeepAlivesDisabled
	CloseByUser                           // Pool.CloseConn: body closed early, error, Connection: close
	nReasons
)

type pconn struct {
	key     KeyID
	state   State
	reused  bool // markReused: it went through tryPutIdleConn once
	want    int32
	idleAt  sim.Time
	timer   sim.Timer
	lruPrev PConnID // idleLRU: a doubly linked list per Transport, oldest at head
	lruNext PConnID
	streams int32 // HTTP/2: requests in flight
	maxStr  int32 // HTTP/2: > 0 marks a multiplexed conn
}

// want mirrors wantConn: a request waiting for a connection.
type want struct {
	key    KeyID
	req    int32
	at     sim.Time
	done   bool
	queued bool // it did not get a conn at once (counted in key.waiting)
	refs   int8 // queues and dials still holding it
}

type key struct {
	tr       TransportID
	host     int32
	idle     []PConnID              // LIFO: the most recently used at the end
	idleWait container.Queue[int32] // idleConnWait
	hostWait container.Queue[int32] // connsPerHostWait
	conns    int                    // connsPerHost (counted only with MaxConnsPerHost > 0)
	dialing  int                    // dials in progress
	active   int
	waiting  int // requests waiting for a conn
}

type tport struct {
	cfg     Config
	lruHead PConnID
	lruTail PConnID
	lruLen  int
	keys    []KeyID
}

// Stats are a Pool's counters.
type Stats struct {
	Requests       uint64 // GetConn calls
	Dials          uint64 // dials started
	DialsLost      uint64 // dials that completed after their request got another conn
	Reused         uint64 // requests served on a reused conn (GotConnInfo.Reused)
	Closed         [nReasons]uint64
	PoolWait       stats.Histogram // ns from GetConn to GotConn
	IdlePeak, Open int
}

// ClosedIdleFull returns connections closed because the host already had
// MaxIdleConnsPerHost idle ones.
func (s *Stats) ClosedIdleFull() uint64 { return s.Closed[CloseIdleFull] }

// Pool holds the connections of one or more Transports. It is a
// [sim.Handler] (idle timers) registered once. Not safe for concurrent use.
type Pool struct {
	e     *sim.Engine
	h     sim.HandlerID
	drv   Driver
	conns container.Slots[pconn, PConnID]
	wants container.Slots[want, int32]
	keys  []key
	trs   []tport
	st    Stats
	idle  int
}

// ErrBadKey is returned for a TransportID or host that does not exist.
var ErrBadKey = errors.New("transport: unknown transport or key")

// New returns an empty Pool on e driven by drv.
func New(e *sim.Engine, drv Driver) *Pool {
	p := &Pool{e: e, drv: drv}
	p.h = e.Register(p)
	return p
}

// NewTransport adds a Transport with cfg and returns its ID.
func (p *Pool) NewTransport(cfg Config) (TransportID, error) {
	if err := cfg.Validate(); err != nil {
		return -1, err
	}
	p.trs = append(p.trs, tport{cfg: cfg, lruHead: NoConn, lruTail: NoConn})
	return TransportID(len(p.trs) - 1), nil
}

// Key returns the key of (t, host), creating it on first use. Hosts are
// small dense integers chosen by the caller.
func (p *Pool) Key(t TransportID, host int32) KeyID {
	tr := &p.trs[t]
	for _, k := range tr.keys {
		if p.keys[k].host == host {
			return k
		}
	}
	p.keys = append(p.keys, key{tr: t, host: host})
	k := KeyID(len(p.keys) - 1)
	tr.keys = append(tr.keys, k)
	return k
}

// Stats returns the counters so far.
func (p *Pool) Stats() *Stats { return &p.st }

// KeyOf returns pc's key.
func (p *Pool) KeyOf(pc PConnID) KeyID { return p.conns.At(pc).key }

// StateOf returns pc's state.
func (p *Pool) StateOf(pc PConnID) State { return p.conns.At(pc).state }

func (p *Pool) cfg(k KeyID) *Config { return &p.trs[p.keys[k].tr].cfg }

// GetConn asks for a connection of key k for request req; the answer comes
// through Driver.GotConn, possibly before GetConn returns. Mirrors
// (*Transport).getConn (src/net/http/transport.go, go1.26): queueForIdleConn,
// then queueForDial.
func (p *Pool) GetConn(k KeyID, req int32) {
	p.st.Requests++
	w := p.newWant(k, req)
	if p.queueForIdleConn(w) {
		return
	}
	p.wants.At(w).queued = true
	p.keys[k].waiting++
	p.queueForDial(w)
}

// A want is referenced by the idle wait queue, the per-host wait queue and
// its dial; it is freed once it is done and none of them holds it.
func (p *Pool) newWant(k KeyID, req int32) int32 {
	w := p.wants.Alloc()
	*p.wants.At(w) = want{key: k, req: req, at: p.e.Now()}
	return w
}

func (p *Pool) maybeFree(w int32) {
	if ww := p.wants.At(w); ww.done && ww.refs == 0 {
		ww.refs = -1 // freed
		p.wants.Free(w)
	}
}

// drop releases one reference to w (a queue popped it or its dial ended).
func (p *Pool) drop(w int32) {
	p.wants.At(w).refs--
	p.maybeFree(w)
}

// deliver mirrors wantConn.tryDeliver: it reports false if w was already
// served. The caller has made pc usable (activate).
func (p *Pool) deliver(w int32, pc PConnID, reused bool) bool {
	ww := p.wants.At(w)
	if ww.done {
		return false
	}
	ww.done = true
	if ww.queued {
		p.keys[ww.key].waiting--
	}
	p.st.PoolWait.Record(int64(p.e.Now() - ww.at))
	req := ww.req
	p.maybeFree(w)
	if pc != NoConn {
		p.activate(pc)
		if reused {
			p.st.Reused++
		}
	}
	p.drv.GotConn(req, pc, reused)
	return true
}

// activate counts pc as carrying one more request.
func (p *Pool) activate(pc PConnID) {
	c := p.conns.At(pc)
	if c.maxStr > 0 {
		c.streams++
		if c.state == Idle {
			return // HTTP/2 stays in the idle list while shared
		}
	}
	if c.state != Active {
		c.state = Active
		p.keys[c.key].active++
	}
}

// queueForIdleConn mirrors (*Transport).queueForIdleConn.
func (p *Pool) queueForIdleConn(w int32) bool {
	k := p.wants.At(w).key
	cfg := p.cfg(k)
	if cfg.DisableKeepAlives {
		return false
	}
	kk := &p.keys[k]
	now := p.e.Now()
	for len(kk.idle) > 0 {
		pc := kk.idle[len(kk.idle)-1]
		c := p.conns.At(pc)
		if cfg.IdleConnTimeout > 0 && now-c.idleAt > sim.Time(cfg.IdleConnTimeout) && c.streams == 0 {
			// Too old: closeConnIfStillIdle (its timer may not have
			// fired yet at this same instant).
			p.closeIdle(pc, CloseIdleTimeout)
			continue
		}
		if c.maxStr > 0 {
			// HTTP/2: shared while it has free stream slots.
			if c.streams >= c.maxStr {
				break
			}
			return p.deliver(w, pc, true)
		}
		p.removeIdle(pc)
		return p.deliver(w, pc, true)
	}
	p.wants.At(w).refs++
	kk.idleWait.Push(w)
	return false
}

// queueForDial mirrors (*Transport).queueForDial.
func (p *Pool) queueForDial(w int32) {
	k := p.wants.At(w).key
	cfg := p.cfg(k)
	kk := &p.keys[k]
	if cfg.MaxConnsPerHost <= 0 {
		p.startDial(w)
		return
	}
	if kk.conns < cfg.MaxConnsPerHost {
		kk.conns++
		p.startDial(w)
		return
	}
	p.wants.At(w).refs++
	kk.hostWait.Push(w)
}

// startDial mirrors startDialConnForLocked: the dial holds a reference to w.
func (p *Pool) startDial(w int32) {
	p.wants.At(w).refs++
	pc := p.newConn(p.wants.At(w).key)
	p.conns.At(pc).want = w
	p.keys[p.conns.At(pc).key].dialing++
	p.st.Dials++
	p.drv.Dial(pc)
}

func (p *Pool) newConn(k KeyID) PConnID {
	pc := p.conns.Alloc()
	*p.conns.At(pc) = pconn{key: k, state: Dialing, want: -1, lruPrev: NoConn, lruNext: NoConn}
	p.st.Open++
	return pc
}

// DialDone reports the end of pc's dial. Mirrors the tail of
// (*Transport).dialConnFor: deliver to the request that dialed, else offer
// the conn to the pool (putOrCloseIdleConn). A failed dial fails its
// request and hands its per-host slot on.
func (p *Pool) DialDone(pc PConnID, ok bool) {
	c := p.conns.At(pc)
	if c.state != Dialing {
		return
	}
	w := c.want
	c.want = -1
	k := c.key
	p.keys[k].dialing--
	p.wants.At(w).refs--
	if !ok {
		p.release(pc)
		if !p.deliver(w, NoConn, false) {
			p.maybeFree(w)
		}
		p.decConnsPerHost(k)
		return
	}
	if p.deliver(w, pc, false) {
		return
	}
	p.maybeFree(w)
	p.st.DialsLost++
	p.PutIdle(pc)
}

// PutIdle gives back pc after its response body was read to EOF (for
// HTTP/2: after one of its streams ended). Mirrors (*Transport).tryPutIdleConn
// and putOrCloseIdleConn: it reports whether pc stayed open.
func (p *Pool) PutIdle(pc PConnID) bool {
	c := p.conns.At(pc)
	k := c.key
	cfg := p.cfg(k)
	kk := &p.keys[k]
	if !cfg.keepAlives() {
		p.closeConn(pc, CloseKeepAlivesOff)
		return false
	}
	c.reused = true // markReused
	if c.maxStr > 0 {
		return p.putH2(pc)
	}
	if c.state == Dialing {
		// A dial that lost its request: it is put as a new conn.
		c.state = Active
		kk.active++
	}
	// Late binding: the oldest request still waiting gets it.
	for kk.idleWait.Len() > 0 {
		w := kk.idleWait.Pop()
		p.wants.At(w).refs--
		if p.wants.At(w).done {
			p.maybeFree(w)
			continue
		}
		p.deliver(w, pc, true)
		return true
	}
	if len(kk.idle) >= cfg.maxIdleConnsPerHost() {
		p.closeConn(pc, CloseIdleFull)
		return false
	}
	kk.active--
	c.state = Idle
	c.idleAt = p.e.Now()
	kk.idle = append(kk.idle, pc)
	p.idle++
	p.st.IdlePeak = max(p.st.IdlePeak, p.idle)
	tr := &p.trs[kk.tr]
	p.lruAdd(tr, pc)
	if cfg.MaxIdleConns != 0 && tr.lruLen > cfg.MaxIdleConns {
		p.closeIdle(tr.lruHead, CloseTooManyIdle)
	}
	if cfg.IdleConnTimeout > 0 && c.state == Idle {
		c.timer = p.e.TimerAfter(cfg.IdleConnTimeout, p.h, 0, int32(pc), 0)
	}
	return p.conns.At(pc).state == Idle
}

// putH2 lists an HTTP/2 conn as shared: unlike HTTP/1 it stays in the idle
// list while carrying streams, and every waiter gets it up to its stream
// limit (tryPutIdleConn's pconn.alt branch with http2clientConnPool's
// ReserveNewRequest check). Beyond MaxIdleConnsPerHost it is simply not
// listed: closing a persistConn with alt set does not close the HTTP/2 conn.
// No idle timer: the HTTP/2 layer has its own.
func (p *Pool) putH2(pc PConnID) bool {
	c := p.conns.At(pc)
	kk := &p.keys[c.key]
	if c.state != Idle {
		if len(kk.idle) < p.cfg(c.key).maxIdleConnsPerHost() {
			if c.state == Active {
				kk.active--
			}
			c.state = Idle
			c.idleAt = p.e.Now()
			kk.idle = append(kk.idle, pc)
			p.idle++
			p.st.IdlePeak = max(p.st.IdlePeak, p.idle)
			p.lruAdd(&p.trs[kk.tr], pc)
		}
	}
	p.serveH2Waiters(pc)
	return true
}

// StreamDone ends one request on the HTTP/2 conn pc, freeing a stream slot
// for a waiter.
func (p *Pool) StreamDone(pc PConnID) {
	c := p.conns.At(pc)
	if c.streams > 0 {
		c.streams--
	}
	if c.state == Idle {
		p.serveH2Waiters(pc)
	}
}

func (p *Pool) serveH2Waiters(pc PConnID) {
	c := p.conns.At(pc)
	kk := &p.keys[c.key]
	for kk.idleWait.Len() > 0 && c.streams < c.maxStr {
		w := kk.idleWait.Pop()
		p.wants.At(w).refs--
		if !p.deliver(w, pc, true) {
			p.maybeFree(w)
		}
	}
}

// SetMultiplex marks pc as an HTTP/2 connection accepting up to maxStreams
// concurrent requests (the peer's SETTINGS_MAX_CONCURRENT_STREAMS; 100
// before it arrives). It mirrors http2ClientConn.ReserveNewRequest's
// stream-count check.
func (p *Pool) SetMultiplex(pc PConnID, maxStreams int) {
	c := p.conns.At(pc)
	c.maxStr = int32(max(1, maxStreams))
	if c.state == Active && c.streams == 0 {
		c.streams = 1
	}
	if c.state == Idle {
		p.serveH2Waiters(pc)
	}
}

// CloseConn closes pc at its user's request (a body closed before EOF, an
// error, Connection: close).
func (p *Pool) CloseConn(pc PConnID) {
	if p.conns.At(pc).state == Idle {
		p.closeIdle(pc, CloseByUser)
		return
	}
	p.closeConn(pc, CloseByUser)
}

// Handle implements sim.Handler: an idle timer fired (closeConnIfStillIdle).
func (p *Pool) Handle(ev sim.Event) {
	pc := PConnID(ev.Entity)
	if p.conns.At(pc).state == Idle {
		p.closeIdle(pc, CloseIdleTimeout)
	}
}

func (p *Pool) removeIdle(pc PConnID) {
	c := p.conns.At(pc)
	kk := &p.keys[c.key]
	for i := len(kk.idle) - 1; i >= 0; i-- {
		if kk.idle[i] == pc {
			copy(kk.idle[i:], kk.idle[i+1:])
			kk.idle = kk.idle[:len(kk.idle)-1]
			break
		}
	}
	p.lruRemove(&p.trs[kk.tr], pc)
	p.idle--
	p.e.Cancel(c.timer)
	c.timer = sim.Timer{}
	c.state = Active
	kk.active++
}

func (p *Pool) closeIdle(pc PConnID, why CloseReason) {
	p.removeIdle(pc)
	p.closeConn(pc, why)
}

// closeConn mirrors persistConn.close: the network conn is closed and the
// per-host count handed on (decConnsPerHost).
func (p *Pool) closeConn(pc PConnID, why CloseReason) {
	c := p.conns.At(pc)
	k := c.key
	if c.state == Active {
		p.keys[k].active--
	}
	p.st.Closed[why]++
	p.release(pc)
	p.drv.Close(pc)
	p.decConnsPerHost(k)
}

func (p *Pool) release(pc PConnID) {
	p.conns.At(pc).state = Free
	p.conns.Free(pc)
	p.st.Open--
}

// decConnsPerHost mirrors (*Transport).decConnsPerHost: the freed slot goes
// to the oldest request still waiting to dial.
func (p *Pool) decConnsPerHost(k KeyID) {
	if p.cfg(k).MaxConnsPerHost <= 0 {
		return
	}
	kk := &p.keys[k]
	for kk.hostWait.Len() > 0 {
		w := kk.hostWait.Pop()
		p.wants.At(w).refs--
		if !p.wants.At(w).done {
			p.startDial(w)
			return
		}
		p.maybeFree(w)
	}
	kk.conns--
}

func (p *Pool) lruAdd(tr *tport, pc PConnID) {
	c := p.conns.At(pc)
	c.lruPrev, c.lruNext = tr.lruTail, NoConn
	if tr.lruTail != NoConn {
		p.conns.At(tr.lruTail).lruNext = pc
	} else {
		tr.lruHead = pc
	}
	tr.lruTail = pc
	tr.lruLen++
}

func (p *Pool) lruRemove(tr *tport, pc PConnID) {
	c := p.conns.At(pc)
	if c.lruPrev != NoConn {
		p.conns.At(c.lruPrev).lruNext = c.lruNext
	} else {
		tr.lruHead = c.lruNext
	}
	if c.lruNext != NoConn {
		p.conns.At(c.lruNext).lruPrev = c.lruPrev
	} else {
		tr.lruTail = c.lruPrev
	}
	c.lruPrev, c.lruNext = NoConn, NoConn
	tr.lruLen--
}
