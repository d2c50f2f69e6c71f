// This file holds what both peers of a connection share: the Set that owns
// the connections, the Conn and Stream state, the wire, and event dispatch.
//
// Both peers of a connection live in one Conn, addressed by its index in
// Set.conns (also the tcp connection's user word). A frame written by one
// side is appended to wire[side] and its octets to unsent[side]; all frames
// written at one instant leave in one tcp.Send after that instant's other
// events (kFlush), as Go's peers write through a bufio.Writer flushed when
// their write queue is empty. On the other side, arrive counts the octets
// tcp delivers and hands each whole frame, in order, to serverFrame or
// clientFrame.
//
// Mirrors the framing and flushing of http2Framer and http2bufferedWriter
// (src/net/http/h2_bundle.go, go1.26); the peers themselves are in
// client.go and server.go.

package http2

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
)

// Owner is told what happens on a Set's connections. Calls come from the
// event loop and may call back into the Conn.
type Owner interface {
	// Connected: the client's TCP (and TLS) handshake finished; streams
	// may be opened (Go's client does not wait for the server's SETTINGS).
	Connected(c *Conn)
	// ServerRequest: the request HEADERS of stream s reached the server:
	// answer with c.Respond.
	ServerRequest(c *Conn, s int32)
	// StreamDone: the client read stream s's response to END_STREAM, or
	// the stream was reset (c.Stream(s).Reset).
	StreamDone(c *Conn, s int32)
}

// Stream is one stream's state, readable through Conn.Stream.
type Stream struct {
	ID       uint32
	Open     sim.Time // HEADERS written by the client
	Response sim.Time // first response HEADERS arrived at the client
	Done     sim.Time // END_STREAM (or RST_STREAM) arrived at the client
	Received int64    // DATA payload octets arrived at the client
	Reset    bool     // ended by RST_STREAM

	// server side
	body      int64 // response octets not yet framed
	endQueued bool  // an END_STREAM DATA frame is still to be written
	endOnLast bool  // END_STREAM rides on the last body frame
	out       outflow
	scheduled bool
	// client side
	in      inflow
	pending bool // waiting for a concurrency slot
}

type wireQueue struct {
	q       container.Queue[Frame]
	arrived int64 // octets arrived and not yet consumed by whole frames
}

// Conn is one HTTP/2 connection, both peers, over a tcp connection.
type Conn struct {
	ID    int32
	set   *Set
	tc    tcp.ConnID
	up    bool
	wire  [2]wireQueue // frames in flight, by sending side
	enc   [2]*headerEncoder
	sched WriteScheduler

	streams []Stream
	pumpAt  bool // a pump event is pending
	started bool // the server's serve loop began
	unsent  [2]int64
	flushAt [2]bool
	active  int                    // client streams open (HEADERS sent, not done)
	waiting container.Queue[int32] // streams waiting for a concurrency slot
	goaway  bool

	// client view of the server's settings
	cMaxStreams  uint32
	cPeerMaxFrm  uint32
	cConnIn      inflow
	cInitWinPeer int32 // server's INITIAL_WINDOW_SIZE (client's send windows; unused: no uploads)
	// server view of the client's settings
	sPeerMaxFrm  uint32
	sPeerInitWin int32
	sConnOut     outflow
	sUnacked     int
	sActive      int
	sMaxStreams  uint32
	sLastStream  uint32

	Stats ConnStats
}

// ConnStats counts a connection's frames by type and sender.
type ConnStats struct {
	Frames      [2][10]int64 // [side][type]
	WireOctets  [2]int64
	DataOctets  [2]int64
	FlowBlocked int64 // times the server had body left but no window
}

// Set owns HTTP/2 connections between clients and one server listener on
// a tcp.Net. It implements tcp.Receiver. Not safe for concurrent use.
type Set struct {
	e     *sim.Engine
	h     sim.HandlerID
	net   *tcp.Net
	ln    tcp.ListenerID
	cfg   Config
	owner Owner
	conns []*Conn
	trace io.Writer
	line  []byte
	err   error
}

// NewSet returns a Set on net with its own listener. trace, if non-nil,
// gets one JSON line per frame written.
func NewSet(e *sim.Engine, net *tcp.Net, cfg Config, owner Owner, trace io.Writer) (*Set, error) {
	if cfg.ReadSize <= 0 || cfg.HandlerChunk < 0 || cfg.NewScheduler == nil {
		return nil, errors.New("http2: Config needs ReadSize > 0, HandlerChunk ≥ 0 and NewScheduler")
	}
	for _, s := range cfg.ServerSettings {
		if err := checkSetting(s); err != nil {
			return nil, err
		}
	}
	for _, s := range cfg.ClientSettings {
		if err := checkSetting(s); err != nil {
			return nil, err
		}
	}
	s := &Set{e: e, net: net, cfg: cfg, owner: owner, trace: trace}
	s.ln = net.Listen(s, 0, 0, 0)
	s.h = e.Register(s)
	return s, nil
}

// Err returns the first protocol error the model detected (nil normally).
func (s *Set) Err() error { return s.err }

// Conns returns the connections in dial order.
func (s *Set) Conns() []*Conn { return s.conns }

// Dial opens a new connection; the owner hears Connected.
func (s *Set) Dial() *Conn {
	c := &Conn{ID: int32(len(s.conns)), set: s, sched: s.cfg.NewScheduler(),
		cMaxStreams: s.cfg.ClientMaxStreamsBeforeSettings, cPeerMaxFrm: DefaultMaxFrameSize,
		sPeerMaxFrm: DefaultMaxFrameSize, sPeerInitWin: InitialWindowSize, cInitWinPeer: InitialWindowSize,
		sMaxStreams: DefaultMaxConcurrentStreams}
	c.enc[tcp.Client], c.enc[tcp.Server] = newHeaderEncoder(), newHeaderEncoder()
	c.sConnOut.n = InitialWindowSize
	c.cConnIn.avail = InitialWindowSize
	for _, st := range s.cfg.ServerSettings {
		if st.ID == SettingMaxConcurrentStreams {
			c.sMaxStreams = st.Val
		}
	}
	s.conns = append(s.conns, c)
	c.tc = s.net.Dial(s, s.ln, c.ID)
	return c
}

// Stream returns stream s of c (s is the index: ID = 2s+1).
func (c *Conn) Stream(s int32) *Stream { return &c.streams[s] }

// Streams returns the number of streams opened so far.
func (c *Conn) Streams() int { return len(c.streams) }

// Active returns the client's open streams.
func (c *Conn) Active() int { return c.active }

// send writes f from side and records it.
func (c *Conn) send(side tcp.Side, f Frame) {
	w := &c.wire[side]
	w.q.Push(f)
	n := f.WireLen()
	if f.Type != framePreface {
		c.Stats.Frames[side][f.Type]++
		if f.Type == FrameData {
			c.Stats.DataOctets[side] += int64(f.Length)
		}
	}
	c.Stats.WireOctets[side] += n
	// Frames written at one instant leave in one write: Go's peers
	// write into a bufio.Writer flushed when their write queue is empty
	// (http2bufferedWriter), so the flush is an event after this instant's
	// other events.
	c.unsent[side] += n
	if !c.flushAt[side] {
		c.flushAt[side] = true
		c.set.e.Schedule(c.set.e.Now(), c.set.h, kFlush, c.ID, int64(side))
	}
	if c.set.trace != nil && f.Type != framePreface {
		c.set.writeTrace(c, side, &f)
	}
}

// OnTCP implements tcp.Receiver.
func (s *Set) OnTCP(tc tcp.ConnID, side tcp.Side, ev tcp.EventKind, n int64) {
	switch ev {
	case tcp.Acceptable:
		for {
			a, err := s.net.Accept(s.ln, s, 0)
			if err != nil {
				break
			}
			c := s.conns[s.net.User(a, tcp.Client)]
			s.net.SetUser(a, tcp.Server, c.ID)
			if s.net.Config().TLS == tcp.NoTLS {
				c.serverStart()
			}
			if k := s.net.Readable(a, tcp.Server); k > 0 {
				c.arrive(tcp.Server, k)
			}
		}
		return
	}
	c := s.conns[s.net.User(tc, side)]
	switch ev {
	case tcp.Connected:
		c.clientStart()
	case tcp.Refused:
		s.fail(fmt.Errorf("http2: conn %d: dial refused", c.ID))
	case tcp.Data:
		c.arrive(side, n)
	}
}

func (s *Set) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// writeHeaders splits a header block at the peer's max frame size: HEADERS
// then CONTINUATION frames, END_HEADERS on the last (RFC 9113 §6.10).
func (c *Conn) writeHeaders(side tcp.Side, id uint32, n int, endStream bool, maxFrame uint32) {
	first := true
	for {
		k := min(uint32(n), maxFrame)
		n -= int(k)
		f := Frame{Type: FrameContinuation, Stream: id, Length: k}
		if first {
			f.Type = FrameHeaders
			if endStream {
				f.Flags |= FlagEndStream
			}
		}
		if n == 0 {
			f.Flags |= FlagEndHeaders
		}
		c.send(side, f)
		first = false
		if n == 0 {
			return
		}
	}
}

// Event kinds of a Set.
const (
	kPump sim.Kind = iota
	kFlush
)

// Handle implements sim.Handler: a deferred pump or flush.
func (s *Set) Handle(ev sim.Event) {
	c := s.conns[ev.Entity]
	switch ev.Kind {
	case kPump:
		c.pumpAt = false
		c.pump()
	case kFlush:
		side := tcp.Side(ev.Arg)
		if side == tcp.Server && c.pumpAt {
			// The serve loop still has frames to schedule at
			// this instant: flush after them.
			s.e.Schedule(s.e.Now(), s.h, kFlush, c.ID, ev.Arg)
			return
		}
		c.flushAt[side] = false
		if n := c.unsent[side]; n > 0 {
			c.unsent[side] = 0
			if err := s.net.Send(c.tc, side, n); err != nil {
				s.fail(fmt.Errorf("http2: conn %d: %w", c.ID, err))
			}
		}
	}
}

// arrive consumes n octets that reached side (from the peer) and handles
// every whole frame among them, in order.
func (c *Conn) arrive(side tcp.Side, n int64) {
	c.set.net.Read(c.tc, side, n)
	if side == tcp.Server {
		c.serverStart()
	}
	w := &c.wire[1-side]
	w.arrived += n
	for w.q.Len() > 0 {
		if w.arrived < w.q.Front().WireLen() {
			return
		}
		f := w.q.Pop()
		w.arrived -= f.WireLen()
		if side == tcp.Server {
			c.serverFrame(&f)
		} else {
			c.clientFrame(&f)
		}
	}
}

func (c *Conn) stream(id uint32) *Stream { return &c.streams[(id-1)/2] }

// Elapsed returns how long stream s took from HEADERS to END_STREAM (0 if
// not done).
func (c *Conn) Elapsed(s int32) time.Duration {
	st := &c.streams[s]
	if st.Done == 0 {
		return 0
	}
	return st.Done.Sub(st.Open)
}
