package scene

import (
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/model/http2"
	"github.com/gohttpsim/gohttpsim/model/scenarios"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/model/transport"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/viz/si"
)

// Section 2: the same page over 6 HTTP/1.1 connections and over one HTTP/2
// connection (scenario h1-vs-h2: model/tcp, model/http2, model/transport).
// Both lossy worlds are drawn side by side from the scenario's read-only
// [scenarios.PageView]: one lane per HTTP/1.1 connection showing the
// resources it carried on a common time axis (the part of each that came
// after its lossless twin had finished is the stall loss caused) and the
// requests queued for a connection; one cell per HTTP/2 stream with its
// state and bytes received, outlined while it is behind its lossless twin.
// Below, the lossy HTTP/2 connection's frames per stream.
func newProtocols() *scen {
	return &scen{
		id: "protocols", name: "h1-vs-h2", slice: 2 * time.Millisecond, trace: true,
		fixed: []string{"duration=60s"},
		controls: fromRegistry("h1-vs-h2", []Control{
			{Key: "net.rtt", Label: "RTT", Kind: Select, Options: []string{"10ms", "50ms", "100ms", "200ms"}},
			{Key: "net.loss", Label: "packet loss", Kind: Slider, Step: 0.005},
			{Key: "page.resources", Label: "resources on the page", Kind: Slider, Step: 1},
			{Key: "page.size", Label: "resource size", Kind: Select, Default: "20KiB", Options: []string{"2KiB", "20KiB", "200KiB"}},
		}),
		draw:  drawProtocols,
		extra: &scenarios.PageView{},
	}
}

// pageViewer is the optional capability of the h1-vs-h2 model the section
// draws from (detected by type assertion, as plot.Add detects DataRanger).
type pageViewer interface {
	PageView(v *scenarios.PageView)
}

func drawProtocols(s *scen, l *List, w, h, y float32) {
	c := s.cfg.(*scenarios.H1vsH2Config)
	n := float64(c.Resources)
	h1, h2 := s.probe("h1_left"), s.probe("h2_left")
	if h1 == 0 && h2 == 0 && s.ticks > 0 {
		s.done = true
	}
	line := func(label string, left, t float64) {
		state := fmt.Sprintf("%s %d/%d loaded", label, int(n-left), int(n))
		if left == 0 && t > 0 {
			state += fmt.Sprintf(" in %v", roundDur(time.Duration(t)))
		}
		y = wrap(l, 8, y, w-16, state, Ink)
	}
	line("HTTP/1.1:", h1, s.metric("page_time_h1_ns"))
	line("HTTP/2:", h2, s.metric("page_time_h2_ns"))
	y = wrap(l, 8, y, w-16, fmt.Sprintf("segments lost h1 %d, h2 %d; RTOs h1 %d, h2 %d; h2 stall/stream %v",
		int(s.metric("segments_lost_h1")), int(s.metric("segments_lost_h2")), int(s.metric("rtos_h1")), int(s.metric("rtos_h2")),
		roundDur(time.Duration(s.metric("stall_per_stream_h2_ns")))), Muted)
	y += 4

	var v *scenarios.PageView
	if pv, ok := s.m.(pageViewer); ok {
		v = s.extra.(*scenarios.PageView)
		pv.PageView(v)
		// Side by side when the canvas is wide, stacked when narrow; the
		// frame chart takes what is left.
		if w >= 720 {
			half := (w - 24) / 2
			y1 := drawH1Lanes(l, v, Box{8, y, half, h - y}, c.H1Conns)
			y2 := drawH2Streams(l, v, Box{16 + half, y, half, h - y})
			y = max(y1, y2)
		} else {
			y = drawH1Lanes(l, v, Box{8, y, w - 16, h - y}, c.H1Conns)
			y = drawH2Streams(l, v, Box{8, y + 4, w - 16, h - y})
		}
		y += 6
	}
	if h-y > 4*LineH {
		drawFrames(s, l, w, h, y, v)
	} else {
		s.mo.End(nil, nil)
	}
}

// drawH1Lanes draws one lane per HTTP/1.1 connection of the lossy world:
// every resource it carried as a segment from when it got the connection
// to its last byte (Accent; still loading: Running; after the lossless
// twin's copy had finished: Bad), then the requests queued for a
// connection. It returns the y below.
func drawH1Lanes(l *List, v *scenarios.PageView, b Box, conns int) float32 {
	y := b.Y
	busy := 0
	for _, c := range v.H1Conns {
		if c.Resource >= 0 {
			busy++
		}
	}
	y = wrap(l, b.X, y, b.W, fmt.Sprintf("HTTP/1.1: %d conns, %d busy, one request each", len(v.H1Conns), busy), Ink)
	lanes := conns
	for _, r := range v.H1Resources {
		lanes = max(lanes, int(r.Conn)+1)
	}
	lanes = min(lanes, max(1, int((b.H-3*LineH)/12)))
	x0, pw := b.X+3*CharW, b.W-3*CharW
	t1 := max(v.Now, 1)
	for i := range lanes {
		ly := y + float32(i)*12
		l.Text(b.X, ly-2, fmt.Sprintf("c%d", i+1), Muted)
		l.Rect(x0, ly, pw, 10, Panel)
	}
	px := func(t sim.Time) float32 { return x0 + pw*float32(float64(t)/float64(t1)) }
	for _, x := range v.H1Resources {
		if x.Conn == transport.NoConn || int(x.Conn) >= lanes {
			continue
		}
		ly := y + float32(x.Conn)*12
		end, c := x.Done, Accent
		if end == 0 {
			end, c = v.Now, Running
		}
		a, z := px(x.Start), px(end)
		l.Rect(a, ly, max(z-a-1, 1), 10, c)
		if x.Twin > 0 && x.Twin < end {
			// The stall: loading after the lossless twin had finished.
			t := px(max(x.Twin, x.Start))
			l.Rect(t, ly, max(z-t-1, 1), 10, Bad)
		}
	}
	y += float32(lanes)*12 + 2
	y = wrap(l, b.X, y, b.W, fmt.Sprintf("queued for a conn: %d", v.H1Queued), Muted)
	if v.H1Queued > 0 {
		y += l.Dots(b.X, y, b.W, v.H1Queued, Runnable) + 2
	}
	return y
}

// drawH2Streams draws one cell per stream of the lossy HTTP/2 connection,
// filled by the share of its body received and coloured by state
// (waiting Idle, open Runnable, receiving Running, closed Accent),
// outlined in Bad while it has received less than its lossless twin: on
// one TCP connection a lost segment holds back every stream. It returns
// the y below.
func drawH2Streams(l *List, v *scenarios.PageView, b Box) float32 {
	y := b.Y
	hol, holSeq := holdingLoss(v.H2Segments[tcp.Server])
	open, behind := 0, 0
	for _, st := range v.H2Streams {
		if st.State != http2.StreamClosed {
			open++
			if st.Behind > 0 {
				behind++
			}
		}
	}
	y = wrap(l, b.X, y, b.W, fmt.Sprintf("HTTP/2: 1 conn, %d streams open", open), Ink)
	if hol && open > 0 {
		y = wrap(l, b.X, y, b.W, fmt.Sprintf("all %d open streams wait for the retransmission of byte %s (TCP HOL)", open, si.Format(float64(holSeq))), Lost)
	}
	if behind > 0 {
		y = wrap(l, b.X, y, b.W, fmt.Sprintf("%d of %d behind the no-loss twin (TCP HOL)", behind, open), Warn)
	} else {
		y = wrap(l, b.X, y, b.W, "no stream behind the no-loss twin", Muted)
	}
	const cw, ch = 26, 12
	per := max(1, int(b.W)/cw)
	rows := (len(v.H2Streams) + per - 1) / per
	rows = min(rows, max(1, int((b.H-2*LineH)/ch)))
	for i, st := range v.H2Streams {
		if i/per >= rows {
			break
		}
		x, cy := b.X+float32(i%per)*cw, y+float32(i/per)*ch
		l.Rect(x, cy, cw-3, ch-3, Panel)
		c := [...]Color{http2.StreamWaiting: Idle, http2.StreamOpen: Runnable, http2.StreamReceiving: Running, http2.StreamClosed: Accent}[st.State]
		f := float32(1)
		if size := v.Sizes[i]; size > 0 {
			f = float32(float64(st.Received) / float64(size))
		}
		if st.State == http2.StreamWaiting || st.State == http2.StreamOpen {
			f = max(f, 0.15) // show the state before any byte
		}
		l.Rect(x, cy, (cw-3)*f, ch-3, c)
		if st.Behind > 0 && st.State != http2.StreamClosed {
			l.Frame(x, cy, cw-3, ch-3, Bad)
		}
		if hol && st.State != http2.StreamClosed {
			// Waiting behind the lost segment: nothing more reaches any
			// stream until its retransmission arrives.
			l.Stroke(x-1, cy-1, cw-1, ch-1, 2, Lost)
		}
	}
	return y + float32(rows)*ch + 2
}

// holdingLoss reports whether a lost segment among segs has not yet been
// repaired (its bytes and every byte after it wait at the receiver), and
// the first byte it carries.
func holdingLoss(segs []tcp.Segment) (bool, int64) {
	for _, sg := range segs {
		if sg.Lost {
			return true, sg.Seq
		}
	}
	return false, 0
}

// drawFrames draws the lossy HTTP/2 connection as a wire between the
// client (left) and the server (right). Every frame the trace says was
// written travels along it for the one-way delay (RTT/2: the model's
// propagation), server-to-client frames on the upper track, client's on
// the lower, coloured by type. Outside them run the TCP segments carrying
// them, from the model's record of the connection (tcp.Net.AppendSegments):
// each where its send time and the clock put it; a lost one stops half way
// and stays marked with a cross until its retransmission (Warn) has
// arrived; segments that arrived after it wait beside the receiver, not
// yet readable (in-order delivery: TCP's head-of-line blocking). Nothing is
// animated that the model did not send.
func drawFrames(s *scen, l *List, w, h, y float32, v *scenarios.PageView) {
	keys := []KeyEntry{KeyData, KeyHeaders, KeyWindow, KeyCtrl, KeySegment, KeyLost, KeyRetransmit}
	legH := legendHeight(w-16, keys...)
	b := Box{8, y, w - 16, min(h-y-legH-8, 150)}
	l.RoundRect(b.X, b.Y, b.W, b.H, 5, Panel)
	l.TextAt(b.X+8, b.Y+4, "the HTTP/2 connection's frames and TCP segments on the wire", SizeNormal, Left, Ink)
	ex := float32(70)
	cx, sx := b.X+ex, b.X+b.W-ex
	mid := b.Y + LineH + 8 + (b.H-LineH-8)/2
	up, down := mid-10, mid+10
	upSeg, downSeg := mid-22, mid+22
	l.RoundRect(b.X+8, mid-30, ex-16, 60, 5, Background)
	l.TextAt(b.X+ex/2, mid-8, "client", SizeSmall, Center, Ink)
	l.RoundRect(sx+8, mid-30, ex-16, 60, 5, Background)
	l.TextAt(sx+ex/2, mid-8, "server", SizeSmall, Center, Ink)
	for _, ty := range [...]float32{upSeg, up, down, downSeg} {
		l.LineW(cx, ty, sx, ty, 1, Grid)
	}
	l.TextAt(sx-4, upSeg-20, "server -> client", SizeSmall, Right, Muted)
	l.TextAt((cx+sx)/2, downSeg+8, "client -> server", SizeSmall, Center, Muted)
	owd := sim.Time(s.cfg.(*scenarios.H1vsH2Config).Net.RTT / 2)
	now := s.e.Now()
	fr := s.frames.f
	// Frames are appended in write order: only the tail can be in flight.
	i0 := len(fr)
	for i0 > 0 && now-fr[i0-1].T <= owd {
		i0--
	}
	for i := i0; i < len(fr); i++ {
		f := fr[i]
		t := float32(now-f.T) / float32(max(owd, 1))
		if t < 0 || t > 1 {
			continue
		}
		fx, tx, yy := cx, sx, down
		if f.Server {
			fx, tx, yy = sx, cx, up
		}
		x := fx + (tx-fx)*t
		s.mo.Pin(EntKey(EntFrame, int64(i)), x, yy, fx, yy, tx, yy)
		c := FrameCtrl
		switch f.Type {
		case "DATA":
			c = FrameData
		case "HEADERS", "CONTINUATION":
			c = FrameHeaders
		case "WINDOW_UPDATE":
			c = FrameWindow
		case "RST_STREAM", "GOAWAY":
			c = Bad
		}
		fw := float32(6)
		if f.Type == "DATA" {
			fw = min(4+float32(f.Len)/1024, 14)
		}
		l.Rect(x-fw/2, yy-4, fw, 8, c)
	}
	if v != nil {
		drawSegments(s, l, v.H2Segments[tcp.Server], now, sx, cx, upSeg, upSeg-10, tcp.Server)
		drawSegments(s, l, v.H2Segments[tcp.Client], now, cx, sx, downSeg, downSeg+10, tcp.Client)
	}
	s.mo.End(nil, nil)
	legend(l, 8, h-legH-4, w-16, append(keys, KeyRequest)...)
}

// drawSegments draws one direction's segments on the track at y, from the
// sender at fx to the receiver at tx; segments waiting at the receiver
// are stacked on the row at heldY.
func drawSegments(s *scen, l *List, segs []tcp.Segment, now sim.Time, fx, tx, y, heldY float32, d tcp.Side) {
	dir := float32(1)
	if tx < fx {
		dir = -1
	}
	held := 0
	for _, sg := range segs {
		id := (sg.Seq*2+b2i(sg.Retransmit))*2 + int64(d)
		p := float32(now-sg.Sent) / float32(max(sg.Arrive-sg.Sent, 1))
		switch {
		case sg.Lost:
			// Dropped half way: a cross where it was lost, until its
			// retransmission is delivered.
			if p >= 0.5 {
				x := fx + (tx-fx)*0.5
				glyph(l, ShapeLost, Lost, x, y)
				l.TextAt(x+8, y-20, fmt.Sprintf("lost: bytes %s-%s", si.Format(float64(sg.Seq)), si.Format(float64(sg.Seq+sg.Len))), SizeSmall, Left, Lost)
				continue
			}
		case p >= 1:
			// Arrived, not readable: waits for the bytes before it.
			x := tx - dir*(4+float32(held%40)*5)
			l.Rect(x-2, heldY-3, 4, 6, Muted)
			held++
			continue
		}
		p = max(0, min(p, 1))
		x := fx + (tx-fx)*p
		s.mo.Pin(EntKey(EntSegment, id), x, y, fx, y, tx, y)
		if sg.Retransmit {
			l.Rect(x-3, y-4, 6, 8, Warn)
		} else {
			l.Rect(x-2, y-3, 4, 6, Muted)
		}
	}
	if held > 0 {
		// Beside the stack, on the wire's side.
		a := Left
		if dir > 0 {
			a = Right
		}
		l.TextAt(tx-dir*(8+float32(min(held, 40))*5), heldY-6, fmt.Sprintf("%d held (in-order delivery)", held), SizeSmall, a, Muted)
	}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
