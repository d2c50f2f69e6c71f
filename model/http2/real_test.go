package http2_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	xhttp2 "golang.org/x/net/http2"

	"github.com/gohttpsim/gohttpsim/model/http2"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/sim"
)

// frameRec is one frame as both the real log and the model's trace see it.
type frameRec struct {
	From   string // "client" or "server"
	Type   string
	Flags  uint8
	Stream uint32
	Length uint32
	Incr   uint32 // WINDOW_UPDATE only (real side)
}

// tapConn copies every byte read and written into pipes read by Framers.
type tapConn struct {
	net.Conn
	rd, wr *io.PipeWriter
}

func (t *tapConn) Read(p []byte) (int, error) {
	n, err := t.Conn.Read(p)
	if n > 0 {
		t.rd.Write(p[:n])
	}
	return n, err
}

func (t *tapConn) Write(p []byte) (int, error) {
	n, err := t.Conn.Write(p)
	if n > 0 {
		t.wr.Write(p[:n])
	}
	return n, err
}

func logFrames(r io.Reader, from string, skip int, mu *sync.Mutex, out *[]frameRec, wg *sync.WaitGroup) {
	defer wg.Done()
	if skip > 0 {
		io.ReadFull(r, make([]byte, skip))
	}
	fr := xhttp2.NewFramer(nil, r)
	fr.SetMaxReadFrameSize(1<<24 - 1)
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			io.Copy(io.Discard, r)
			return
		}
		h := f.Header()
		rec := frameRec{From: from, Type: h.Type.String(), Flags: uint8(h.Flags), Stream: h.StreamID, Length: h.Length}
		if wu, ok := f.(*xhttp2.WindowUpdateFrame); ok {
			rec.Incr = wu.Increment
		}
		mu.Lock()
		*out = append(*out, rec)
		mu.Unlock()
	}
}

// realH2 serves h2c with golang.org/x/net/http2's server on 127.0.0.1 and
// sends `streams` concurrent GETs through x/net's Transport, each answered
// with a body of size octets written in one Write. It returns every frame
// of the connection (both directions), the authority and the Date header
// ("" if it differed between responses).
func realH2(t *testing.T, size, streams int, bundled bool) (frames []frameRec, authority, date string) {
	t.Helper()
	body := bytes.Repeat([]byte("x"), size)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip("no loopback:", err)
	}
	defer ln.Close()
	srv := &xhttp2.Server{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	var served sync.WaitGroup
	if bundled {
		// net/http's own HTTP/2 server (h2_bundle.go) serving h2c with
		// prior knowledge.
		var p http.Protocols
		p.SetUnencryptedHTTP2(true)
		hs := &http.Server{Handler: h, Protocols: &p}
		served.Add(1)
		go func() { defer served.Done(); hs.Serve(ln) }()
		defer hs.Close()
	}
	go func() {
		for !bundled {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			served.Add(1)
			go func() {
				defer served.Done()
				srv.ServeConn(c, &xhttp2.ServeConnOpts{Handler: h})
			}()
		}
	}()
	var mu sync.Mutex
	var logs sync.WaitGroup
	var taps []*tapConn
	tr := &xhttp2.Transport{AllowHTTP: true, DialTLSContext: func(ctx context.Context, network, addr string, _ *tls.Config) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		rr, rw := io.Pipe()
		wr, ww := io.Pipe()
		logs.Add(2)
		go logFrames(rr, "server", 0, &mu, &frames, &logs)
		go logFrames(wr, "client", http2.PrefaceLen, &mu, &frames, &logs)
		tc := &tapConn{Conn: c, rd: rw, wr: ww}
		mu.Lock()
		taps = append(taps, tc)
		mu.Unlock()
		return tc, nil
	}}
	cl := &http.Client{Transport: tr, Timeout: 20 * time.Second}
	authority = ln.Addr().String()
	var wg sync.WaitGroup
	errs := make(chan error, streams)
	dates := make(chan string, streams)
	for range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := cl.Get("http://" + authority + "/")
			if err != nil {
				errs <- err
				return
			}
			dates <- resp.Header.Get("Date")
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	close(dates)
	date = <-dates
	for d := range dates {
		if d != date {
			date = "" // the Date header changed during the run
		}
	}
	tr.CloseIdleConnections()
	ln.Close()
	if !bundled {
		served.Wait()
	}
	for _, tc := range taps {
		tc.rd.Close()
		tc.wr.Close()
	}
	logs.Wait()
	if len(taps) != 1 {
		t.Fatalf("real client opened %d connections, want 1", len(taps))
	}
	return frames, authority, date
}

// modelOwner opens n streams at once and answers each with size octets.
type modelOwner struct {
	n    int
	size int64
}

func (o *modelOwner) Connected(c *http2.Conn) {
	for range o.n {
		c.OpenStream("/")
	}
}
func (o *modelOwner) ServerRequest(c *http2.Conn, s int32) { c.Respond(s, o.size) }
func (o *modelOwner) StreamDone(*http2.Conn, int32)        {}

// modelH2 runs the same exchange on the model configured as x/net's peers
// and returns its frames, read back from the JSON trace.
func modelH2(t *testing.T, size, streams int, authority, date string, bundled bool) []frameRec {
	t.Helper()
	e := sim.NewEngine(1)
	nw, err := tcp.New(e, tcp.Config{RTT: 50 * time.Microsecond})
	if err != nil {
		t.Fatal(err)
	}
	cfg := http2.DefaultConfig()
	if !bundled {
		cfg.ServerSettings = http2.XNetServerSettings()
		cfg.NewScheduler = http2.NewSequentialScheduler // x/net's RFC 9218 default
	}
	cfg.Authority, cfg.Date = authority, date
	var trace bytes.Buffer
	set, err := http2.NewSet(e, nw, cfg, &modelOwner{n: streams, size: int64(size)}, &trace)
	if err != nil {
		t.Fatal(err)
	}
	set.Dial()
	e.Run()
	if err := set.Err(); err != nil {
		t.Fatal(err)
	}
	var out []frameRec
	sc := bufio.NewScanner(&trace)
	for sc.Scan() {
		var line struct {
			Time   int64  `json:"time"`
			Conn   int32  `json:"conn"`
			Stream uint32 `json:"stream"`
			Type   string `json:"type"`
			Flags  uint8  `json:"flags"`
			Length uint32 `json:"length"`
			From   string `json:"from"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("trace line %q: %v", sc.Text(), err)
		}
		out = append(out, frameRec{From: line.From, Type: line.Type, Flags: line.Flags, Stream: line.Stream, Length: line.Length})
	}
	return out
}

// summary reduces a frame log to what must match: control frames exactly,
// per-stream HEADERS and DATA, and the client's WINDOW_UPDATE count.
type summary struct {
	first       []string       // the first frame of each side
	control     map[string]int // non-DATA, non-WINDOW_UPDATE frames: from type flags stream
	respHeaders map[uint32]uint32
	dataTotal   map[uint32]int64
	dataFrames  map[uint32]int
	dataEnd     map[uint32]string // the END_STREAM frame: "DATA len"
	lengths     map[uint32][]uint32
	wu          map[string]int // WINDOW_UPDATEs by sender and stream (0 = conn)
}

func summarize(fs []frameRec) summary {
	s := summary{control: map[string]int{}, respHeaders: map[uint32]uint32{}, dataTotal: map[uint32]int64{},
		dataFrames: map[uint32]int{}, dataEnd: map[uint32]string{}, lengths: map[uint32][]uint32{}, wu: map[string]int{}}
	firsts := map[string]int{}
	for _, f := range fs {
		if firsts[f.From] < 1 {
			firsts[f.From]++
			s.first = append(s.first, fmt.Sprintf("%s %s flags=%d stream=%d len=%d", f.From, f.Type, f.Flags, f.Stream, f.Length))
		}
		switch f.Type {
		case "DATA":
			s.dataTotal[f.Stream] += int64(f.Length)
			s.dataFrames[f.Stream]++
			s.lengths[f.Stream] = append(s.lengths[f.Stream], f.Length)
			if f.Flags&1 != 0 {
				s.dataEnd[f.Stream] = fmt.Sprint("DATA ", f.Length)
			}
		case "WINDOW_UPDATE":
			s.wu[fmt.Sprint(f.From, " stream ", f.Stream)]++
		default:
			if f.Type == "HEADERS" && f.From == "server" {
				s.respHeaders[f.Stream] = f.Length
			}
			s.control[fmt.Sprintf("%s %s flags=%d stream=%d", f.From, f.Type, f.Flags, f.Stream)]++
		}
	}
	slices.Sort(s.first)
	return s
}

// The model's frame sequence against real servers (golang.org/x/net/http2's
// and net/http's bundled one, go1.26) and x/net's client over h2c on
// 127.0.0.1: connection setup frames, per-stream
// HEADERS sizes (real HPACK), DATA frames (lengths split by the 16384 max
// frame size, END_STREAM placement), and the client's WINDOW_UPDATEs.
// When the 4 MiB stream window binds (5 MB), how many DATA frames are cut
// short by late WINDOW_UPDATEs depends on timing (real runs gave 307-315
// frames for one 5 MB stream; the model, whose paired updates always
// arrive together, gives the minimum 307), so only totals and a ±5% frame
// count are compared there. The order of the server's
// WINDOW_UPDATE and SETTINGS ACK varies between real runs, so setup frames
// are compared as the first frame of each side plus the frame counts.
func TestFramesMatchRealServer(t *testing.T) {
	if testing.Short() {
		t.Skip("real network runs")
	}
	cases := []struct{ size, streams int }{
		{1 << 10, 1}, {1 << 10, 8}, {100 << 10, 1}, {100 << 10, 4}, {5_000_000, 1}, {5_000_000, 2},
	}
	for _, server := range []string{"x/net", "net/http"} {
		bundled := server == "net/http"
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s,size=%d,streams=%d", server, c.size, c.streams), func(t *testing.T) {
				compareFrames(t, c.size, c.streams, bundled)
			})
		}
	}
}

func compareFrames(t *testing.T, size, streams int, bundled bool) {
	c := struct{ size, streams int }{size, streams}
	{
		{
			realFrames, authority, date := realH2(t, c.size, c.streams, bundled)
			checkHeaders := date != ""
			if !checkHeaders {
				t.Log("the real Date header changed between responses: response HEADERS lengths not compared")
				date = "Sat, 28 Nov 2026 12:00:00 GMT"
			}
			r := summarize(realFrames)
			m := summarize(modelH2(t, c.size, c.streams, authority, date, bundled))
			if !slices.Equal(r.first, m.first) {
				t.Errorf("setup frames:\nreal  %q\nmodel %q", r.first, m.first)
			}
			if !mapsEqual(r.control, m.control) {
				t.Errorf("control frames:\nreal  %v\nmodel %v", r.control, m.control)
			}
			// Which stream's response is encoded first (and carries the
			// literal fields into the dynamic table) depends on handler
			// timing: compare the lengths as a multiset.
			if checkHeaders && !slices.Equal(sortedValues(r.respHeaders), sortedValues(m.respHeaders)) {
				t.Errorf("response HEADERS lengths:\nreal  %v\nmodel %v", r.respHeaders, m.respHeaders)
			}
			if !mapsEqual(r.dataTotal, m.dataTotal) || !mapsEqual(r.dataEnd, m.dataEnd) {
				t.Errorf("DATA totals / END_STREAM frames:\nreal  %v %v\nmodel %v %v", r.dataTotal, r.dataEnd, m.dataTotal, m.dataEnd)
			}
			blocked := c.size > 4<<20
			for id, rl := range r.lengths {
				ml := m.lengths[id]
				if !blocked && !slices.Equal(rl, ml) {
					t.Errorf("stream %d DATA lengths:\nreal  %v\nmodel %v", id, rl, ml)
				}
				if blocked {
					rn, mn := float64(len(rl)), float64(len(ml))
					if mn < rn*0.95 || mn > rn*1.05 {
						t.Errorf("stream %d: %v DATA frames, real %v", id, mn, rn)
					}
				}
			}
			// Body reads that straddle frames can merge two held-back
			// tails into one connection-level update: allow ±1.
			if !wuClose(r.wu, m.wu) {
				t.Errorf("client WINDOW_UPDATEs per stream:\nreal  %v\nmodel %v", r.wu, m.wu)
			}
			t.Logf("%d real frames; DATA frames per stream: real %v model %v", len(realFrames), r.dataFrames, m.dataFrames)
		}
	}
}

func sortedValues(m map[uint32]uint32) []uint32 {
	var v []uint32
	for _, x := range m {
		v = append(v, x)
	}
	slices.Sort(v)
	return v
}

func wuClose(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if d := v - b[k]; d < -1 || d > 1 {
			return false
		}
	}
	return true
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
