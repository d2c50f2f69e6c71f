package scenarios

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/gohttpsim/gohttpsim/model/http2"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/model/transport"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// Header sizes on the HTTP/1.1 side: a browser's GET (Host, User-Agent,
// Accept, Accept-Language, Accept-Encoding, Referer, Cookie-less) and a
// response status line with Date, Content-Type, Content-Length, caching
// headers. HTTP/2 header blocks are sized by the real HPACK encoder.
const (
	h1ReqBytes  = 420
	h1RespBytes = 200
)

func init() {
	scenario.Register(scenario.New("h1-vs-h2",
		"a page of N resources over HTTP/1.1 (6 conns) vs HTTP/2 (1 conn): multiplexing vs TCP head-of-line blocking under loss",
		defaultH1vsH2Config, buildH1vsH2))
}

// H1vsH2Config is a page load over one path. The HTTP/1.1 connections
// share the path's bandwidth equally (model/tcp gives each connection the
// whole of it).
type H1vsH2Config struct {
	Resources int       `key:"page.resources" min:"1" max:"10000" range:"1,100" help:"resources fetched at once"`
	Size      dist.Dist `key:"page.size" unit:"B" help:"size of each resource body (a distribution is sampled per resource)"`
	Net       NetConfig `omit:"tcp.congestion,tls"`
	TLS       string    `key:"net.tls" enum:"none,1.2,1.3" help:"TLS handshake before the first request"`
	H1Conns   int       `key:"h1.conns" min:"1" max:"1000" help:"HTTP/1.1 connections per host (browsers: 6)"`
	Think     dist.Dist `key:"server.think" help:"handler time before each response"`
	scenario.Run
}

func defaultH1vsH2Config() H1vsH2Config {
	return H1vsH2Config{
		Resources: 30,
		Size:      dist.Const{V: 20 << 10},
		Net:       NetConfig{RTT: 50 * time.Millisecond, Bandwidth: 1.25e6, Loss: 0.01},
		TLS:       "1.3",
		H1Conns:   6,
		Think:     dist.Const{},
		Run:       scenario.Run{Duration: 10 * time.Minute},
	}
}

// h1vsh2 runs four worlds on one engine: HTTP/1.1 and HTTP/2, each over a
// lossy path and over the same path without loss. The lossless twin gives
// each resource's completion time had no segment been lost, so
// stall = completion(lossy) - completion(lossless) isolates what loss (and
// TCP's in-order delivery) cost each stream.
type h1vsh2 struct {
	e      *sim.Engine
	h      sim.HandlerID
	sizes  []int64
	think  dist.Dist
	rng    *rand.Rand
	end    sim.Time
	worlds [4]*world // h1 lossy, h1 ideal, h2 lossy, h2 ideal
	left   int

	// Scratch for PageView (read-only drawing), reused between calls.
	pcs           []transport.ConnView
	carrying      []int32
	streams, twin []http2.StreamView
}

// world is one protocol on one path.
type world struct {
	m    *h1vsh2
	idx  int32
	net  *tcp.Net
	h1   *transport.H1
	key  transport.KeyID
	set  *http2.Set
	conn *http2.Conn
	done []sim.Time
	left int
	// completed and failed count finished resources independently of
	// done, so that Conservation can catch a resource finished twice.
	completed, failed uint64
	fin               []bool // resource r has finished
	last              sim.Time
	start             sim.Time
	// carrier and got record, for the view only, the connection each
	// HTTP/1.1 resource was sent on and when it got it.
	carrier []transport.PConnID
	got     []sim.Time
}

func buildH1vsH2(e *sim.Engine, c *H1vsH2Config, env *scenario.Env) (scenario.Model, error) {
	tls, err := tcp.ParseTLS(c.TLS)
	if err != nil {
		return nil, err
	}
	n := c.Resources
	m := &h1vsh2{e: e, think: c.Think, end: sim.Time(c.Duration), sizes: make([]int64, n)}
	rng := e.Stream("h1vsh2/sizes")
	for i := range m.sizes {
		m.sizes[i] = max(0, int64(c.Size.Sample(rng)))
	}
	m.rng = e.Stream("h1vsh2/think")
	m.h = e.Register(m)
	bw := c.Net.Bandwidth
	conns := c.H1Conns
	for i := range m.worlds {
		h2 := i >= 2
		loss := c.Net.Loss
		if i%2 == 1 {
			loss = 0
		}
		cfg := tcp.Config{RTT: c.Net.RTT, Bandwidth: bw, LossRate: loss, TLS: tls}
		if !h2 && bw > 0 {
			// tcp gives every connection the whole link; the HTTP/1.1
			// connections share it, so each gets an equal share.
			cfg.Bandwidth = bw / float64(conns)
		}
		net, err := tcp.New(e, cfg)
		if err != nil {
			return nil, err
		}
		w := &world{m: m, idx: int32(i), net: net, done: make([]sim.Time, n), fin: make([]bool, n), left: n}
		m.worlds[i] = w
		if !h2 {
			w.carrier, w.got = make([]transport.PConnID, n), make([]sim.Time, n)
			for r := range w.carrier {
				w.carrier[r] = transport.NoConn
			}
			w.h1 = transport.NewH1(e, net, w)
			tc := transport.Config{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
			tr, err := w.h1.Pool.NewTransport(tc)
			if err != nil {
				return nil, err
			}
			w.key = w.h1.Pool.Key(tr, 0)
			for r := range n {
				w.h1.Do(w.key, int32(r), h1ReqBytes)
			}
			continue
		}
		var trace io.Writer
		if i == 2 && env != nil {
			trace = env.Trace // the lossy HTTP/2 world only
		}
		hc := http2.DefaultConfig()
		w.set, err = http2.NewSet(e, net, hc, h2owner{w}, trace)
		if err != nil {
			return nil, err
		}
		w.conn = w.set.Dial()
		if i == 2 {
			// For PageView's segments: watching records the
			// connection's rounds and changes no result.
			net.Watch(w.conn.TCP())
		}
	}
	m.left = len(m.worlds)
	return m, nil
}

// Handle implements sim.Handler: a handler's think time ended; entity is
// the resource, arg the world.
func (m *h1vsh2) Handle(ev sim.Event) { m.worlds[ev.Arg].respond(ev.Entity) }

func (w *world) serve(r int32) {
	m := w.m
	d := dist.SampleDuration(m.think, m.rng)
	if d <= 0 {
		w.respond(r)
		return
	}
	m.e.After(d, m.h, 0, r, int64(w.idx))
}

func (w *world) respond(r int32) {
	if w.h1 != nil {
		w.h1.Respond(r, h1RespBytes+w.m.sizes[r])
		return
	}
	w.conn.Respond(r, w.m.sizes[r])
}

func (w *world) finished(r int32) {
	now := w.m.e.Now()
	w.completed++
	w.done[r] = now
	w.fin[r] = true
	w.left--
	if w.left == 0 {
		w.last = now
		w.m.left--
		if w.m.left == 0 {
			w.m.e.Stop()
		}
	}
}

// GotConn implements transport.H1Owner.
func (w *world) GotConn(r int32, reused, ok bool) {
	if ok {
		w.carrier[r], w.got[r] = w.h1.Conn(r), w.m.e.Now()
	}
	if !ok {
		w.failed++
		w.completed-- // finished counts it; it failed
		w.finished(r)
	}
}

// ServerRequest implements transport.H1Owner.
func (w *world) ServerRequest(r int32) { w.serve(r) }

// GotResponse implements transport.H1Owner.
func (w *world) GotResponse(r int32) {
	w.h1.Release(r, transport.BodyDrain)
	w.finished(r)
}

// h2owner adapts a world to http2.Owner.
type h2owner struct{ w *world }

// Connected implements http2.Owner: the browser sends every request at once.
func (o h2owner) Connected(c *http2.Conn) {
	for range o.w.m.sizes {
		c.OpenStream("/")
	}
}

// ServerRequest implements http2.Owner.
func (o h2owner) ServerRequest(c *http2.Conn, s int32) { o.w.serve(s) }

// StreamDone implements http2.Owner.
func (o h2owner) StreamDone(c *http2.Conn, s int32) { o.w.finished(s) }

func (m *h1vsh2) End() sim.Time { return m.end }

// Conservation accounts for every resource of every world: all are
// requested at time zero; a resource is in flight until its finish time
// is recorded.
func (m *h1vsh2) Conservation() (arrived, completed, failed uint64, inFlight int) {
	for _, w := range m.worlds {
		arrived += uint64(len(w.done))
		completed += w.completed
		failed += w.failed
		for _, f := range w.fin {
			if !f {
				inFlight++
			}
		}
	}
	return
}

func (m *h1vsh2) stall(lossy, ideal *world) (mean, frac float64) {
	n := 0
	for r := range lossy.done {
		if lossy.done[r] == 0 || ideal.done[r] == 0 {
			continue
		}
		d := float64(lossy.done[r] - ideal.done[r])
		mean += d
		if d > float64(time.Millisecond) {
			frac++
		}
		n++
	}
	if n == 0 {
		return 0, 0
	}
	return mean / float64(n), frac / float64(n)
}

func pageTime(w *world) float64 {
	if w.left > 0 {
		return -1 // did not finish
	}
	return float64(w.last)
}

func (m *h1vsh2) Metrics() []scenario.Metric {
	s1, f1 := m.stall(m.worlds[0], m.worlds[1])
	s2, f2 := m.stall(m.worlds[2], m.worlds[3])
	c := m.worlds[2].conn
	ts1, ts2 := m.worlds[0].net.Stats(), m.worlds[2].net.Stats()
	return scenario.MetricsOf(h1vsh2Metrics{
		PageTimeH1: pageTime(m.worlds[0]), PageTimeH2: pageTime(m.worlds[2]),
		PageTimeH1NoLoss: pageTime(m.worlds[1]), PageTimeH2NoLoss: pageTime(m.worlds[3]),
		StallH1: s1, StallH2: s2, StalledH1: f1, StalledH2: f2,
		LostH1: float64(ts1.Lost), LostH2: float64(ts2.Lost), RTOsH1: float64(ts1.RTOs), RTOsH2: float64(ts2.RTOs),
		H1Dials:        float64(m.worlds[0].h1.Pool.Stats().Dials),
		H2FramesServer: float64(sumFrames(c.Stats.Frames[tcp.Server])), H2FramesClient: float64(sumFrames(c.Stats.Frames[tcp.Client])),
		H2WindowUpdates: float64(c.Stats.Frames[tcp.Client][http2.FrameWindowUpdate]),
		H2WireServer:    float64(c.Stats.WireOctets[tcp.Server]),
	})
}

// h1vsh2Metrics compare the page over HTTP/1.1 and HTTP/2, with and
// without loss. A page that did not finish has page time -1.
type h1vsh2Metrics struct {
	PageTimeH1       float64 `metric:"page_time_h1_ns" unit:"ns"`
	PageTimeH2       float64 `metric:"page_time_h2_ns" unit:"ns"`
	PageTimeH1NoLoss float64 `metric:"page_time_h1_noloss_ns" unit:"ns"`
	PageTimeH2NoLoss float64 `metric:"page_time_h2_noloss_ns" unit:"ns"`
	StallH1          float64 `metric:"stall_per_stream_h1_ns" unit:"ns"`
	StallH2          float64 `metric:"stall_per_stream_h2_ns" unit:"ns"`
	StalledH1        float64 `metric:"stalled_streams_h1" unit:"1"`
	StalledH2        float64 `metric:"stalled_streams_h2" unit:"1"`
	LostH1           float64 `metric:"segments_lost_h1" unit:"{segment}"`
	LostH2           float64 `metric:"segments_lost_h2" unit:"{segment}"`
	RTOsH1           float64 `metric:"rtos_h1" unit:"{RTO}"`
	RTOsH2           float64 `metric:"rtos_h2" unit:"{RTO}"`
	H1Dials          float64 `metric:"h1_conns_dialed" unit:"{conn}"`
	H2FramesServer   float64 `metric:"h2_frames_server" unit:"{frame}"`
	H2FramesClient   float64 `metric:"h2_frames_client" unit:"{frame}"`
	H2WindowUpdates  float64 `metric:"h2_window_updates" unit:"{frame}"`
	H2WireServer     float64 `metric:"h2_wire_octets_server" unit:"B"`
}

func sumFrames(a [10]int64) int64 {
	var n int64
	for _, x := range a {
		n += x
	}
	return n
}

// Probes implements scenario.Prober: resources still loading per world.
func (m *h1vsh2) Probes() []string {
	return []string{"h1_left", "h2_left", "h2_streams_active", "h1_conns_active"}
}

// ProbeUnits implements scenario.Prober.
func (m *h1vsh2) ProbeUnits() []string {
	return []string{"{resource}", "{resource}", "{stream}", "{conn}"}
}

// Probe implements scenario.Prober.
func (m *h1vsh2) Probe(row []float64) {
	row[0] = float64(m.worlds[0].left)
	row[1] = float64(m.worlds[2].left)
	row[2] = float64(m.worlds[2].conn.Active())
	row[3] = float64(m.worlds[0].h1.Pool.Total().Active)
}

func (m *h1vsh2) String() string { return fmt.Sprintf("h1-vs-h2(%d resources)", len(m.sizes)) }

// PageView is a read-only snapshot of the two lossy worlds, for drawing
// (viz/scene's section 2): the HTTP/1.1 connections with the resource each
// carries, and the one HTTP/2 connection's streams.
//
// Stalls are measured against the lossless twin. model/tcp does not expose
// whether a flow is waiting for a retransmission, but each lossy world has
// a twin running the same page on the same engine without loss, so a
// stream that has received less than its twin at the same instant is
// behind because of loss; on HTTP/2 one lost segment holds back every
// stream (TCP delivers in order), on HTTP/1.1 only the resource on that
// connection.
type PageView struct {
	Now   sim.Time
	Sizes []int64 // body size by resource (the model's; do not modify)

	H1Conns     []H1ConnView // open connections of the lossy HTTP/1.1 world, in ID order
	H1Queued    int          // requests waiting for a connection
	H1Resources []H1Resource // by resource
	H1Left      int          // resources not finished

	H2        http2.ConnView
	H2Streams []H2StreamView // by stream index: stream i (ID 2i+1) carries resource i
	H2Left    int
	// The HTTP/2 connection's TCP segments on the wire or waiting at the
	// receiver, by sender (tcp.Client: requests, tcp.Server: responses):
	// see tcp.Net.AppendSegments.
	H2Segments [2][]tcp.Segment
}

// H1ConnView is one pooled HTTP/1.1 connection.
type H1ConnView struct {
	transport.ConnView
	Resource int32 // the resource it carries now, -1 if none
	Behind   bool  // the lossless twin has already finished Resource
}

// H1Resource is one resource fetched over HTTP/1.1.
type H1Resource struct {
	Conn  transport.PConnID // the connection it was sent on (NoConn: still queued)
	Start sim.Time          // when it got the connection
	Done  sim.Time          // when its last byte arrived (0: not yet)
	Twin  sim.Time          // when the lossless twin's copy finished (0: not yet)
}

// H2StreamView is one HTTP/2 stream.
type H2StreamView struct {
	http2.StreamView
	Behind int64    // body octets the lossless twin's stream has received beyond this one
	Done   sim.Time // when its END_STREAM was read (0: not yet)
}

// PageView fills v with the current state, reusing v's slices so that a
// steady redraw allocates nothing. It only reads the model.
func (m *h1vsh2) PageView(v *PageView) {
	v.Now, v.Sizes = m.e.Now(), m.sizes
	h1, h1t := m.worlds[0], m.worlds[1]
	m.pcs = h1.h1.Pool.AppendConns(m.pcs[:0])
	v.H1Queued = h1.h1.Pool.View(h1.key).Waiting
	v.H1Left = h1.left
	// carrying[pc] is the resource on pc now (one pass over resources).
	m.carrying = m.carrying[:0]
	v.H1Resources = v.H1Resources[:0]
	for r, pc := range h1.carrier {
		v.H1Resources = append(v.H1Resources, H1Resource{Conn: pc, Start: h1.got[r], Done: h1.done[r], Twin: h1t.done[r]})
		if pc == transport.NoConn || h1.fin[r] {
			continue
		}
		for int(pc) >= len(m.carrying) {
			m.carrying = append(m.carrying, -1)
		}
		m.carrying[pc] = int32(r)
	}
	v.H1Conns = v.H1Conns[:0]
	for _, c := range m.pcs {
		cv := H1ConnView{ConnView: c, Resource: -1}
		if int(c.ID) < len(m.carrying) {
			cv.Resource = m.carrying[c.ID]
		}
		if cv.Resource >= 0 {
			cv.Behind = h1t.fin[cv.Resource]
		}
		v.H1Conns = append(v.H1Conns, cv)
	}

	h2, h2t := m.worlds[2], m.worlds[3]
	v.H2, v.H2Left = h2.conn.View(), h2.left
	for d := range v.H2Segments {
		v.H2Segments[d] = h2.net.AppendSegments(v.H2Segments[d][:0], h2.conn.TCP(), tcp.Side(d))
	}
	m.twin = h2t.conn.AppendStreams(m.twin[:0])
	m.streams = h2.conn.AppendStreams(m.streams[:0])
	v.H2Streams = v.H2Streams[:0]
	for i, s := range m.streams {
		sv := H2StreamView{StreamView: s}
		if i < len(m.twin) {
			sv.Behind = max(0, m.twin[i].Received-s.Received)
		}
		if i < len(h2.done) {
			sv.Done = h2.done[i]
		}
		v.H2Streams = append(v.H2Streams, sv)
	}
}
