package http2

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/sim"
)

// owner opens n streams on connect and answers each with size octets.
type owner struct {
	n     int
	size  int64
	done  []int32
	onReq func(c *Conn, s int32) bool // return false to not answer
}

func (o *owner) Connected(c *Conn) {
	for range o.n {
		c.OpenStream("/")
	}
}

func (o *owner) ServerRequest(c *Conn, s int32) {
	if o.onReq != nil && !o.onReq(c, s) {
		return
	}
	c.Respond(s, o.size)
}

func (o *owner) StreamDone(c *Conn, s int32) { o.done = append(o.done, s) }

type rig struct {
	e     *sim.Engine
	set   *Set
	c     *Conn
	o     *owner
	trace bytes.Buffer
}

func newRig(t *testing.T, cfg Config, o *owner, tc tcp.Config) *rig {
	t.Helper()
	r := &rig{e: sim.NewEngine(1), o: o}
	nw, err := tcp.New(r.e, tc)
	if err != nil {
		t.Fatal(err)
	}
	r.set, err = NewSet(r.e, nw, cfg, o, &r.trace)
	if err != nil {
		t.Fatal(err)
	}
	r.c = r.set.Dial()
	return r
}

func (r *rig) run(t *testing.T) {
	t.Helper()
	r.e.Run()
	if err := r.set.Err(); err != nil {
		t.Fatal(err)
	}
}

// frames returns the trace as "from TYPE stream len flags" lines.
func (r *rig) frames(t *testing.T, from string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(r.trace.String()), "\n") {
		var f struct {
			Stream uint32
			Type   string
			Flags  uint8
			Length uint32
			From   string
		}
		if err := json.Unmarshal([]byte(l), &f); err != nil {
			t.Fatal(err)
		}
		if from == "" || f.From == from {
			out = append(out, fmt.Sprintf("%s %d %d %d", f.Type, f.Stream, f.Length, f.Flags))
		}
	}
	return out
}

// inflow.add mirrors http2inflow.add: held back below 4 KiB unless the
// update at least doubles the window.
func TestInflowAdd(t *testing.T) {
	f := inflow{avail: 10 * inflowMinRefresh}
	for _, c := range []struct {
		n    int
		want int32
	}{{inflowMinRefresh - 1, 0}, {1, inflowMinRefresh}, {100, 0}, {inflowMinRefresh, inflowMinRefresh + 100}} {
		if got := f.add(c.n); got != c.want {
			t.Fatalf("add(%d) = %d, want %d", c.n, got, c.want)
		}
	}
	small := inflow{avail: 10}
	if got := small.add(10); got != 10 {
		t.Fatalf("doubling update held back: %d", got)
	}
	var o outflow
	if o.add(MaxWindow) != nil || o.add(1) != ErrFlowControl {
		t.Fatal("outflow over 2^31-1 not rejected")
	}
	o = outflow{n: 100}
	if o.add(-200) != nil || o.n != -100 {
		t.Fatal("SETTINGS delta may take a window negative (RFC 9113 §6.9.2)")
	}
}

// The trace carries exactly the contract's keys (plus "from"), one JSON
// line per frame.
func TestTraceContract(t *testing.T) {
	r := newRig(t, DefaultConfig(), &owner{n: 1, size: 100}, tcp.Config{RTT: time.Millisecond})
	r.run(t)
	for _, l := range strings.Split(strings.TrimSpace(r.trace.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if want := []string{"conn", "flags", "from", "length", "stream", "time", "type"}; !slices.Equal(keys, want) {
			t.Fatalf("keys %v, want %v", keys, want)
		}
	}
}

// One small response: the whole exchange, frame by frame, as go1.26's
// client and bundled server write it.
func TestSmallResponseFrames(t *testing.T) {
	r := newRig(t, DefaultConfig(), &owner{n: 1, size: 1024}, tcp.Config{RTT: time.Millisecond})
	r.run(t)
	got := strings.Join(r.frames(t, ""), "\n")
	want := strings.TrimSpace(`
SETTINGS 0 24 0
WINDOW_UPDATE 0 4 0
HEADERS 1 33 5
SETTINGS 0 30 0
WINDOW_UPDATE 0 4 0
SETTINGS 0 0 1
HEADERS 1 50 4
DATA 1 1024 1
SETTINGS 0 0 1`)
	if got != want {
		t.Fatalf("frames:\n%s\nwant:\n%s", got, want)
	}
	if st := r.c.Stream(0); st.Received != 1024 || st.Done == 0 {
		t.Fatalf("stream: %+v", st)
	}
}

// A large body: DATA frames of the peer's 16384-octet max frame size, an
// empty END_STREAM frame after the body, and the stream window (4 MiB)
// limiting the server until the client's WINDOW_UPDATEs (one per 8 KiB
// read, for the connection and the stream) return credit.
func TestLargeBodyFlowControl(t *testing.T) {
	const size = 5_000_000
	r := newRig(t, DefaultConfig(), &owner{n: 1, size: size}, tcp.Config{RTT: time.Millisecond})
	r.run(t)
	var data, wu, full int
	var total int64
	for _, f := range r.frames(t, "") {
		var typ string
		var stream, n, flags int
		fmt.Sscan(f, &typ, &stream, &n, &flags)
		switch typ {
		case "DATA":
			data++
			total += int64(n)
			if n == DefaultMaxFrameSize {
				full++
			}
			if n > DefaultMaxFrameSize {
				t.Fatalf("DATA of %d > MAX_FRAME_SIZE", n)
			}
		case "WINDOW_UPDATE":
			wu++
		}
	}
	if total != size {
		t.Fatalf("DATA total %d", total)
	}
	// 5e6 = 305·16384 + 2880; plus the empty END_STREAM frame.
	if full != 305 || data != 307 {
		t.Fatalf("%d full frames of %d DATA frames, want 305 of 307", full, data)
	}
	// floor(5e6/8192) = 610 reads return credit to the connection and
	// the stream each; plus 1 initial connection update from each side.
	if wu != 2*610+2 {
		t.Fatalf("%d WINDOW_UPDATEs, want %d", wu, 2*610+2)
	}
	if r.c.Stats.FlowBlocked == 0 {
		t.Fatal("the 4 MiB stream window never blocked the server")
	}
}

// Header blocks beyond the peer's MAX_FRAME_SIZE are split into HEADERS
// + CONTINUATION, END_HEADERS on the last (RFC 9113 §6.10).
func TestContinuation(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Authority = strings.Repeat("a", 40000) // a 40 KB literal
	r := newRig(t, cfg, &owner{n: 1, size: 10}, tcp.Config{RTT: time.Millisecond})
	r.run(t)
	var got []string
	for _, f := range r.frames(t, "client") {
		if strings.HasPrefix(f, "HEADERS") || strings.HasPrefix(f, "CONTINUATION") {
			got = append(got, f)
		}
	}
	// 40000 'a's Huffman-code to 25000 octets: 16384 + 8616 + the rest.
	if len(got) != 2 || got[0] != "HEADERS 1 16384 1" || !strings.HasPrefix(got[1], "CONTINUATION 1 ") || !strings.HasSuffix(got[1], " 4") {
		t.Fatalf("header frames: %q", got)
	}
}

// The client keeps to 100 streams until the server's SETTINGS arrive,
// then to the server's MAX_CONCURRENT_STREAMS; a server over its limit
// refuses streams with RST_STREAM.
func TestConcurrencyLimits(t *testing.T) {
	o := &owner{n: 300, size: 10}
	var maxActive int
	o.onReq = func(c *Conn, s int32) bool { maxActive = max(maxActive, c.sActive); return true }
	r := newRig(t, DefaultConfig(), o, tcp.Config{RTT: time.Millisecond})
	first := 0
	r.e.RunUntil(sim.Time(1500 * time.Microsecond)) // connected, no SETTINGS yet
	for _, f := range r.frames(t, "client") {
		if strings.HasPrefix(f, "HEADERS") {
			first++
		}
	}
	if first != 100 {
		t.Fatalf("%d streams opened before the server's SETTINGS, want 100", first)
	}
	r.run(t)
	if len(o.done) != 300 {
		t.Fatalf("%d streams done", len(o.done))
	}

	// A server that never answers and allows 2 streams: the third is
	// refused (REFUSED_STREAM while its SETTINGS are unacknowledged, else
	// PROTOCOL_ERROR).
	cfg := DefaultConfig()
	cfg.ServerSettings = []Setting{{SettingMaxConcurrentStreams, 2}}
	cfg.ClientMaxStreamsBeforeSettings = 3
	o = &owner{n: 3, onReq: func(*Conn, int32) bool { return false }}
	r = newRig(t, cfg, o, tcp.Config{RTT: time.Millisecond})
	r.run(t)
	if got := r.frames(t, "server"); !slices.Contains(got, "RST_STREAM 5 4 0") {
		t.Fatalf("no RST_STREAM for stream 5: %q", got)
	}
	if len(o.done) != 1 || !r.c.Stream(2).Reset {
		t.Fatalf("done %v", o.done)
	}
}

// GOAWAY stops new streams on the conn; PING is answered with PING ACK.
func TestGoAwayAndPing(t *testing.T) {
	o := &owner{n: 1, size: 10}
	r := newRig(t, DefaultConfig(), o, tcp.Config{RTT: time.Millisecond})
	r.run(t)
	r.c.Ping()
	r.c.Shutdown()
	r.run(t)
	s := r.c.OpenStream("/")
	r.run(t)
	if !r.c.Stream(s).pending || r.c.View().Waiting != 1 {
		t.Fatal("stream opened after GOAWAY")
	}
	srv := r.frames(t, "server")
	if !slices.Contains(srv, "PING 0 8 1") || !slices.Contains(srv, "GOAWAY 0 8 0") {
		t.Fatalf("server frames %q", srv)
	}
}

// The round-robin scheduler interleaves streams one frame each; the
// sequential one finishes the oldest stream first.
func TestSchedulers(t *testing.T) {
	order := func(ns func() WriteScheduler) string {
		cfg := DefaultConfig()
		cfg.NewScheduler = ns
		r := newRig(t, cfg, &owner{n: 3, size: 3 * DefaultMaxFrameSize}, tcp.Config{RTT: time.Millisecond})
		r.run(t)
		var ids []string
		for _, f := range r.frames(t, "server") {
			if strings.HasPrefix(f, "DATA") && !strings.HasSuffix(f, " 0 1") {
				ids = append(ids, strings.Fields(f)[1])
			}
		}
		return strings.Join(ids, "")
	}
	if got := order(NewRoundRobinScheduler); got != "135135135" {
		t.Errorf("round-robin order %s", got)
	}
	if got := order(NewSequentialScheduler); got != "111333555" {
		t.Errorf("sequential order %s", got)
	}
}

// The HPACK sizes come from the real encoder and its dynamic table: the
// first request and response carry literals, later ones are indexed.
func TestHeaderSizes(t *testing.T) {
	c, s := newHeaderEncoder(), newHeaderEncoder()
	date := "Sat, 28 Nov 2026 11:20:00 GMT"
	got := []int{c.size(GoRequestHeaders("127.0.0.1:40123", "/")), c.size(GoRequestHeaders("127.0.0.1:40123", "/")),
		s.size(GoResponseHeaders(-1, date)), s.size(GoResponseHeaders(-1, date))}
	// Measured on the real client/server (real_test.go): 36, 6, 45, 3.
	if !slices.Equal(got, []int{36, 6, 45, 3}) {
		t.Fatalf("header block sizes %v", got)
	}
}

func TestBadConfig(t *testing.T) {
	e := sim.NewEngine(1)
	nw, _ := tcp.New(e, tcp.Config{})
	cfg := DefaultConfig()
	cfg.ServerSettings = []Setting{{SettingMaxFrameSize, 100}}
	if _, err := NewSet(e, nw, cfg, &owner{}, nil); err == nil {
		t.Fatal("MAX_FRAME_SIZE 100 accepted")
	}
	cfg = DefaultConfig()
	cfg.ReadSize = 0
	if _, err := NewSet(e, nw, cfg, &owner{}, nil); err == nil {
		t.Fatal("ReadSize 0 accepted")
	}
}

// Views read state without changing it.
func TestViews(t *testing.T) {
	r := newRig(t, DefaultConfig(), &owner{n: 4, size: 100000}, tcp.Config{RTT: 10 * time.Millisecond})
	r.e.RunUntil(sim.Time(25 * time.Millisecond))
	v := r.c.View()
	if v.Streams != 4 || v.Active != 4 || v.FramesInFlight[tcp.Server] == 0 {
		t.Fatalf("view mid-run: %+v", v)
	}
	ss := r.c.AppendStreams(nil)
	if len(ss) != 4 || ss[0].State == StreamClosed {
		t.Fatalf("streams %+v", ss)
	}
	r.run(t)
	for _, s := range r.c.AppendStreams(ss[:0]) {
		if s.State != StreamClosed || s.Received != 100000 {
			t.Fatalf("stream at end: %+v", s)
		}
	}
}
