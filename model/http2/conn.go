package http2

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/sim"
)

// Config sets both peers of the connections of a [Set]. DefaultConfig
// mirrors Go's client and server.
type Config struct {
	// ServerSettings are sent in the server's first SETTINGS frame.
	ServerSettings []Setting
	// ServerConnWindow is MaxUploadBufferPerConnection: the server sends a
	// connection WINDOW_UPDATE of ServerConnWindow-65535 after SETTINGS.
	ServerConnWindow int32
	// ClientSettings are sent after the client preface.
	ClientSettings []Setting
	// ClientConnWindowIncr is the client's connection WINDOW_UPDATE after
	// its SETTINGS (http2transportDefaultConnFlow = 1 GiB).
	ClientConnWindowIncr uint32
	// ClientMaxStreamsBeforeSettings is the client's limit until the
	// server's SETTINGS arrive (http2initialMaxConcurrentStreams = 100).
	ClientMaxStreamsBeforeSettings uint32
	// ReadSize is the size of the client's body reads (io.Copy into
	// io.Discard reads 8 KiB at a time).
	ReadSize int
	// HandlerChunk is the response buffer (handlerChunkWriteSize = 4 KiB):
	// a body that fits is sent with content-length and END_STREAM on its
	// only DATA frame.
	HandlerChunk int64
	// NewScheduler returns the server's write scheduler (default
	// round-robin, as in go1.26's bundled server).
	NewScheduler func() WriteScheduler
	// Authority and Date fill the request and response header fields fed
	// to the HPACK encoders.
	Authority, Date string
}

// DefaultMaxConcurrentStreams is the server's advertised limit
// (http2defaultMaxStreams = 250).
const DefaultMaxConcurrentStreams = 250

// GoServerSettings returns the SETTINGS of net/http's bundled server
// (http2serverConn.serve, go1.26, with the extended CONNECT protocol
// disabled as by default): MAX_FRAME_SIZE 1 MiB, MAX_CONCURRENT_STREAMS
// 250, MAX_HEADER_LIST_SIZE 1 MiB+320, HEADER_TABLE_SIZE 4096,
// INITIAL_WINDOW_SIZE 1 MiB.
func GoServerSettings() []Setting {
	return []Setting{
		{SettingMaxFrameSize, 1 << 20},
		{SettingMaxConcurrentStreams, DefaultMaxConcurrentStreams},
		{SettingMaxHeaderListSize, 1<<20 + 320},
		{SettingHeaderTableSize, DefaultHeaderTableSize},
		{SettingInitialWindowSize, 1 << 20},
	}
}

// XNetServerSettings is GoServerSettings plus NO_RFC7540_PRIORITIES = 1, as
// sent by golang.org/x/net/http2's server (v0.62).
func XNetServerSettings() []Setting {
	return append(GoServerSettings(), Setting{SettingNoRFC7540Priorities, 1})
}

// GoClientSettings returns the SETTINGS of Go's client (http2Transport
// newClientConn, go1.26).
func GoClientSettings() []Setting {
	return []Setting{
		{SettingEnablePush, 0},
		{SettingInitialWindowSize, 4 << 20},
		{SettingMaxFrameSize, DefaultMaxFrameSize},
		{SettingMaxHeaderListSize, 10 << 20},
	}
}

// DefaultConfig mirrors Go's client and server.
func DefaultConfig() Config {
	return Config{
		ServerSettings:                 GoServerSettings(),
		ServerConnWindow:               1 << 20,
		ClientSettings:                 GoClientSettings(),
		ClientConnWindowIncr:           1 << 30,
		ClientMaxStreamsBeforeSettings: 100,
		ReadSize:                       8 << 10,
		HandlerChunk:                   4 << 10,
		NewScheduler:                   NewRoundRobinScheduler,
		Authority:                      "example.com",
		Date:                           "Sat, 28 Nov 2026 12:00:00 GMT",
	}
}

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
	q       []Frame
	hd      int
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
	active  int // client streams open (HEADERS sent, not done)
	waiting []int32
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

// checkSetting applies RFC 9113 §6.5.2's limits.
func checkSetting(s Setting) error {
	switch s.ID {
	case SettingMaxFrameSize:
		if s.Val < DefaultMaxFrameSize || s.Val > MaxFrameSizeLimit {
			return fmt.Errorf("http2: SETTINGS_MAX_FRAME_SIZE %d outside [16384, 2^24-1]", s.Val)
		}
	case SettingInitialWindowSize:
		if s.Val > MaxWindow {
			return fmt.Errorf("http2: SETTINGS_INITIAL_WINDOW_SIZE %d > 2^31-1", s.Val)
		}
	case SettingEnablePush:
		if s.Val > 1 {
			return fmt.Errorf("http2: SETTINGS_ENABLE_PUSH %d", s.Val)
		}
	}
	return nil
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
	w.q = append(w.q, f)
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

func (s *Set) writeTrace(c *Conn, side tcp.Side, f *Frame) {
	b := s.line[:0]
	b = append(b, `{"time":`...)
	b = strconv.AppendInt(b, int64(s.e.Now()), 10)
	b = append(b, `,"conn":`...)
	b = strconv.AppendInt(b, int64(c.ID), 10)
	b = append(b, `,"stream":`...)
	b = strconv.AppendUint(b, uint64(f.Stream), 10)
	b = append(b, `,"type":"`...)
	b = append(b, f.Type.String()...)
	b = append(b, `","flags":`...)
	b = strconv.AppendUint(b, uint64(f.Flags), 10)
	b = append(b, `,"length":`...)
	b = strconv.AppendUint(b, uint64(f.Length), 10)
	b = append(b, `,"from":"`...)
	b = append(b, side.String()...)
	b = append(b, "\"}\n"...)
	s.line = b
	s.trace.Write(b)
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

// clientStart mirrors http2Transport.newClientConn: preface, SETTINGS,
// connection WINDOW_UPDATE.
func (c *Conn) clientStart() {
	cfg := &c.set.cfg
	c.up = true
	c.send(tcp.Client, Frame{Type: framePreface})
	c.send(tcp.Client, Frame{Type: FrameSettings, Length: uint32(6 * len(cfg.ClientSettings))})
	if cfg.ClientConnWindowIncr > 0 {
		c.send(tcp.Client, Frame{Type: FrameWindowUpdate, Length: 4, Incr: cfg.ClientConnWindowIncr})
		c.cConnIn.avail += int32(cfg.ClientConnWindowIncr)
	}
	for _, st := range cfg.ClientSettings {
		if st.ID == SettingInitialWindowSize {
			c.cInitWinPeer = int32(st.Val) // our receive window per stream
		}
	}
	c.set.owner.Connected(c)
}

// serverStart mirrors the start of http2serverConn.serve: SETTINGS, then
// the connection WINDOW_UPDATE up to MaxUploadBufferPerConnection.
// With TLS it starts at the first bytes from the client: the server's
// handshake ends when the client's Finished arrives, just before them.
func (c *Conn) serverStart() {
	if c.started {
		return
	}
	c.started = true
	cfg := &c.set.cfg
	c.send(tcp.Server, Frame{Type: FrameSettings, Length: uint32(6 * len(cfg.ServerSettings))})
	c.sUnacked++
	if d := cfg.ServerConnWindow - InitialWindowSize; d > 0 {
		c.send(tcp.Server, Frame{Type: FrameWindowUpdate, Length: 4, Incr: uint32(d)})
	}
}

// OpenStream starts a GET on c and returns its index. Beyond the server's
// concurrency limit the stream waits for a slot on this conn
// (StrictMaxConcurrentStreams behaviour; a pool would dial instead).
func (c *Conn) OpenStream(path string) int32 {
	s := int32(len(c.streams))
	c.streams = append(c.streams, Stream{ID: uint32(2*s + 1)})
	st := &c.streams[s]
	st.in.avail = c.cInitWinPeer
	if uint32(c.active) >= c.cMaxStreams || c.goaway {
		st.pending = true
		c.waiting = append(c.waiting, s)
		return s
	}
	c.writeRequest(s)
	return s
}

// writeRequest writes stream s's HEADERS (+ CONTINUATION).
func (c *Conn) writeRequest(s int32) {
	st := &c.streams[s]
	st.pending = false
	st.Open = c.set.e.Now()
	c.active++
	n := c.enc[tcp.Client].size(GoRequestHeaders(c.set.cfg.Authority, "/"))
	c.writeHeaders(tcp.Client, st.ID, n, true, c.cPeerMaxFrm)
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

// Respond starts stream s's response with a body of n octets written in
// one Write call, the handler returning right after. Mirrors
// http2responseWriter + writeChunk: a body that fits HandlerChunk is
// flushed at handler return with content-length and END_STREAM on its
// DATA frame; a larger one sends HEADERS without content-length, the
// body, then an empty DATA frame with END_STREAM.
func (c *Conn) Respond(s int32, n int64) {
	st := &c.streams[s]
	cfg := &c.set.cfg
	small := n <= cfg.HandlerChunk
	cl := int64(-1)
	if small {
		cl = n
	}
	hb := c.enc[tcp.Server].size(GoResponseHeaders(cl, cfg.Date))
	c.writeHeaders(tcp.Server, st.ID, hb, n == 0, c.sPeerMaxFrm)
	if n == 0 {
		c.serverStreamEnd(s)
		return
	}
	st.body = n
	st.endQueued = true
	st.endOnLast = small
	c.sched.Open(s)
	c.schedulePump()
}

// CanWrite implements Writable for the server's scheduler.
func (c *Conn) CanWrite(s int32) bool {
	st := &c.streams[s]
	if st.body > 0 {
		return st.out.n > 0 && c.sConnOut.n > 0
	}
	return st.endQueued
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

// schedulePump runs pump after every frame that arrived at this instant
// was processed, as http2serverConn.serve handles the frames read so far
// before its next scheduleFrameWrite: WINDOW_UPDATEs that arrive together
// open the window together.
func (c *Conn) schedulePump() {
	if !c.pumpAt {
		c.pumpAt = true
		c.set.e.Schedule(c.set.e.Now(), c.set.h, kPump, c.ID, 0)
	}
}

// pump writes DATA frames while the scheduler finds a writable stream.
// Mirrors http2serverConn.scheduleFrameWrite + http2writeQueue.consume: one
// frame per turn, at most min(peer MAX_FRAME_SIZE, stream window,
// connection window) octets (RFC 9113 §6.9.1).
func (c *Conn) pump() {
	for {
		s := c.sched.Next(c)
		if s < 0 {
			for i := range c.streams {
				if st := &c.streams[i]; st.body > 0 && st.scheduledFlowBlocked(c) {
					c.Stats.FlowBlocked++
					break
				}
			}
			return
		}
		st := &c.streams[s]
		if st.body == 0 {
			st.endQueued = false
			c.send(tcp.Server, Frame{Type: FrameData, Flags: FlagEndStream, Stream: st.ID})
			c.serverStreamEnd(s)
			continue
		}
		k := min(st.body, int64(c.sPeerMaxFrm), int64(st.out.n), int64(c.sConnOut.n))
		st.body -= k
		st.out.n -= int32(k)
		c.sConnOut.n -= int32(k)
		f := Frame{Type: FrameData, Stream: st.ID, Length: uint32(k)}
		if st.body == 0 && st.endOnLast {
			f.Flags = FlagEndStream
			st.endQueued = false
			c.send(tcp.Server, f)
			c.serverStreamEnd(s)
			continue
		}
		c.send(tcp.Server, f)
	}
}

func (st *Stream) scheduledFlowBlocked(c *Conn) bool { return st.out.n <= 0 || c.sConnOut.n <= 0 }

func (c *Conn) serverStreamEnd(s int32) {
	c.sched.Close(s)
	c.sActive--
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
	for w.hd < len(w.q) {
		f := w.q[w.hd]
		if w.arrived < f.WireLen() {
			return
		}
		w.arrived -= f.WireLen()
		w.hd++
		if w.hd == len(w.q) {
			w.q, w.hd = w.q[:0], 0
		}
		if side == tcp.Server {
			c.serverFrame(&f)
		} else {
			c.clientFrame(&f)
		}
	}
}

// serverFrame handles a frame from the client (http2serverConn.processFrame).
func (c *Conn) serverFrame(f *Frame) {
	switch f.Type {
	case FrameSettings:
		if f.Flags&FlagAck != 0 {
			c.sUnacked--
			return
		}
		for _, st := range c.set.cfg.ClientSettings {
			switch st.ID {
			case SettingMaxFrameSize:
				c.sPeerMaxFrm = st.Val
			case SettingInitialWindowSize:
				// §6.9.2: shift every stream window by the delta.
				d := int32(st.Val) - c.sPeerInitWin
				c.sPeerInitWin = int32(st.Val)
				for i := range c.streams {
					if err := c.streams[i].out.add(d); err != nil {
						c.set.fail(err)
					}
				}
			}
		}
		c.send(tcp.Server, Frame{Type: FrameSettings, Flags: FlagAck})
		c.schedulePump()
	case FrameWindowUpdate:
		if f.Incr == 0 {
			c.set.fail(ErrZeroIncrement)
			return
		}
		var err error
		if f.Stream == 0 {
			err = c.sConnOut.add(int32(f.Incr))
		} else if s := int32(f.Stream-1) / 2; int(s) < len(c.streams) {
			err = c.streams[s].out.add(int32(f.Incr))
		}
		if err != nil {
			c.set.fail(err)
		}
		c.schedulePump()
	case FrameHeaders, FrameContinuation:
		if f.Flags&FlagEndHeaders == 0 {
			return
		}
		s := int32(f.Stream-1) / 2
		st := &c.streams[s]
		st.out.n = c.sPeerInitWin
		if uint32(c.sActive) >= c.sMaxStreams {
			// http2serverConn.processHeaders: over the limit.
			code := uint32(ErrCodeProtocol)
			if c.sUnacked > 0 {
				code = ErrCodeRefusedStream
			}
			c.send(tcp.Server, Frame{Type: FrameRSTStream, Stream: f.Stream, Length: 4, Incr: code})
			return
		}
		c.sActive++
		c.sLastStream = f.Stream
		c.set.owner.ServerRequest(c, s)
	case FramePing:
		if f.Flags&FlagAck == 0 {
			c.send(tcp.Server, Frame{Type: FramePing, Flags: FlagAck, Length: 8})
		}
	case FrameRSTStream:
		s := int32(f.Stream-1) / 2
		st := &c.streams[s]
		if st.body > 0 || st.endQueued {
			st.body, st.endQueued = 0, false
			c.serverStreamEnd(s)
		}
	}
}

// clientFrame handles a frame from the server (http2clientConnReadLoop).
func (c *Conn) clientFrame(f *Frame) {
	switch f.Type {
	case FrameSettings:
		if f.Flags&FlagAck != 0 {
			return
		}
		for _, st := range c.set.cfg.ServerSettings {
			switch st.ID {
			case SettingMaxConcurrentStreams:
				c.cMaxStreams = st.Val
			case SettingMaxFrameSize:
				c.cPeerMaxFrm = st.Val
			}
		}
		c.send(tcp.Client, Frame{Type: FrameSettings, Flags: FlagAck})
		c.startWaiting()
	case FrameHeaders:
		st := c.stream(f.Stream)
		if st.Response == 0 {
			st.Response = c.set.e.Now()
		}
		if f.Flags&FlagEndStream != 0 {
			c.clientStreamEnd(int32(f.Stream-1) / 2)
		}
	case FrameData:
		s := int32(f.Stream-1) / 2
		st := &c.streams[s]
		if !c.cConnIn.take(f.Length) || !st.in.take(f.Length) {
			c.set.fail(fmt.Errorf("http2: conn %d stream %d: peer overran the flow-control window", c.ID, f.Stream))
		}
		st.Received += int64(f.Length)
		// The body is consumed in ReadSize reads; each returns window
		// to the connection, then to the stream
		// (http2transportResponseBody.Read).
		for left := int(f.Length); left > 0; {
			r := min(left, c.set.cfg.ReadSize)
			left -= r
			if k := c.cConnIn.add(r); k > 0 {
				c.send(tcp.Client, Frame{Type: FrameWindowUpdate, Length: 4, Incr: uint32(k)})
			}
			if k := st.in.add(r); k > 0 {
				c.send(tcp.Client, Frame{Type: FrameWindowUpdate, Stream: st.ID, Length: 4, Incr: uint32(k)})
			}
		}
		if f.Flags&FlagEndStream != 0 {
			c.clientStreamEnd(s)
		}
	case FrameRSTStream:
		s := int32(f.Stream-1) / 2
		c.streams[s].Reset = true
		c.clientStreamEnd(s)
	case FrameGoAway:
		c.goaway = true
	case FramePing:
		if f.Flags&FlagAck == 0 {
			c.send(tcp.Client, Frame{Type: FramePing, Flags: FlagAck, Length: 8})
		}
	}
}

func (c *Conn) stream(id uint32) *Stream { return &c.streams[(id-1)/2] }

func (c *Conn) clientStreamEnd(s int32) {
	st := &c.streams[s]
	if st.Done != 0 {
		return
	}
	st.Done = c.set.e.Now()
	c.active--
	c.set.owner.StreamDone(c, s)
	c.startWaiting()
}

func (c *Conn) startWaiting() {
	for len(c.waiting) > 0 && uint32(c.active) < c.cMaxStreams && !c.goaway {
		s := c.waiting[0]
		c.waiting = c.waiting[1:]
		c.writeRequest(s)
	}
}

// Ping sends a PING from the client; the server answers with PING ACK.
func (c *Conn) Ping() { c.send(tcp.Client, Frame{Type: FramePing, Length: 8}) }

// Cancel resets stream s from the client (RST_STREAM CANCEL).
func (c *Conn) Cancel(s int32) {
	st := &c.streams[s]
	if st.Done != 0 {
		return
	}
	c.send(tcp.Client, Frame{Type: FrameRSTStream, Stream: st.ID, Length: 4, Incr: 0x8})
	st.Reset = true
	c.clientStreamEnd(s)
}

// Shutdown sends a graceful GOAWAY(NO_ERROR) from the server carrying the
// last stream it processed (http2serverConn.startGracefulShutdown); the
// client opens no new streams on c.
func (c *Conn) Shutdown() {
	c.send(tcp.Server, Frame{Type: FrameGoAway, Length: 8, Last: c.sLastStream})
}

// Elapsed returns how long stream s took from HEADERS to END_STREAM (0 if
// not done).
func (c *Conn) Elapsed(s int32) time.Duration {
	st := &c.streams[s]
	if st.Done == 0 {
		return 0
	}
	return st.Done.Sub(st.Open)
}
