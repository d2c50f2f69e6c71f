package scene

import (
	"strings"
	"testing"

	"github.com/gohttpsim/gohttpsim/model/http2"
	"github.com/gohttpsim/gohttpsim/model/scenarios"
	"github.com/gohttpsim/gohttpsim/model/transport"
)

// rects returns the rectangles of colour c, in drawing order.
func rects(l *List, c Color) []Prim {
	var out []Prim
	for _, p := range l.Prims {
		if p.Kind == PrimRect && p.C == c {
			out = append(out, p)
		}
	}
	return out
}

func near(a, b float32) bool { return a-b < 0.01 && b-a < 0.01 }

func hasText(l *List, sub string) bool {
	for _, s := range l.Texts() {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// Each HTTP/1.1 resource is a segment on its connection's lane, placed on
// the time axis 0..Now; the part after the lossless twin finished is Bad;
// queued requests are dots.
func TestDrawH1Lanes(t *testing.T) {
	v := &scenarios.PageView{
		Now:   100,
		Sizes: []int64{10, 10, 10},
		H1Conns: []scenarios.H1ConnView{
			{ConnView: transport.ConnView{ID: 0, State: transport.Idle}, Resource: -1},
			{ConnView: transport.ConnView{ID: 1, State: transport.Active}, Resource: 1},
		},
		H1Queued: 3,
		H1Resources: []scenarios.H1Resource{
			{Conn: 0, Start: 0, Done: 40, Twin: 30},
			{Conn: 1, Start: 50, Twin: 60},
			{Conn: transport.NoConn},
		},
	}
	var l List
	const x, w = 8, 400
	y := drawH1Lanes(&l, v, Box{x, 100, w, 400}, 2)
	x0, pw := float32(x+3*CharW), float32(w-3*CharW)
	px := func(t float32) float32 { return x0 + pw*t/100 }
	if got := rects(&l, Panel); len(got) != 2 {
		t.Fatalf("%d lanes, want 2", len(got))
	}
	lane0, lane1 := rects(&l, Panel)[0].Y, rects(&l, Panel)[1].Y
	done := rects(&l, Accent)
	if len(done) != 1 || done[0].X != px(0) || done[0].W != px(40)-px(0)-1 || done[0].Y != lane0 {
		t.Errorf("finished resource: %+v, want x %v w %v on lane 0", done, px(0), px(40)-px(0)-1)
	}
	loading := rects(&l, Running)
	if len(loading) != 1 || loading[0].X != px(50) || loading[0].W != px(100)-px(50)-1 || loading[0].Y != lane1 {
		t.Errorf("loading resource: %+v, want x %v on lane 1", loading, px(50))
	}
	stall := rects(&l, Bad)
	if len(stall) != 2 || !near(stall[0].X, px(30)) || !near(stall[1].X, px(60)) {
		t.Errorf("stalls: %+v, want from %v and %v", stall, px(30), px(60))
	}
	if !hasText(&l, "2 conns, 1 busy") || !hasText(&l, "queued for a conn: 3") {
		t.Errorf("texts: %q", l.Texts())
	}
	if l.Count(PrimDots, Runnable) != 1 || y <= lane1 {
		t.Errorf("queued dots %d, y %v", l.Count(PrimDots, Runnable), y)
	}
}

// Each HTTP/2 stream is a cell filled by its bytes received, coloured by
// state, outlined while it is behind its lossless twin.
func TestDrawH2Streams(t *testing.T) {
	v := &scenarios.PageView{
		Sizes: []int64{100, 100, 100, 0},
		H2Streams: []scenarios.H2StreamView{
			{StreamView: http2.StreamView{ID: 1, State: http2.StreamClosed, Received: 100}, Done: 5},
			{StreamView: http2.StreamView{ID: 3, State: http2.StreamReceiving, Received: 50}, Behind: 20},
			{StreamView: http2.StreamView{ID: 5, State: http2.StreamReceiving, Received: 25}},
			{StreamView: http2.StreamView{ID: 7, State: http2.StreamWaiting}},
		},
	}
	var l List
	drawH2Streams(&l, v, Box{8, 0, 400, 400})
	full := float32(26 - 3)
	if got := rects(&l, Accent); len(got) != 1 || got[0].W != full {
		t.Errorf("closed: %+v", got)
	}
	if got := rects(&l, Running); len(got) != 2 || got[0].W != full/2 || got[1].W != full/4 {
		t.Errorf("receiving: %+v, want widths %v and %v", got, full/2, full/4)
	}
	if got := rects(&l, Idle); len(got) != 1 {
		t.Errorf("waiting: %+v", got)
	}
	var got []Prim
	for _, p := range l.Prims {
		if p.Kind == PrimStroke && p.C == Bad {
			got = append(got, p)
		}
	}
	if len(got) != 1 || got[0].X != 8+26 {
		t.Errorf("behind outline: %+v, want one frame on the second cell", got)
	}
	if !hasText(&l, "3 streams open") || !hasText(&l, "1 of 3 behind") {
		t.Errorf("texts: %q", l.Texts())
	}
}

// Live: with loss, the section shows HTTP/2 streams behind their twin at
// some tick and draws six HTTP/1.1 lanes; without loss it never shows a
// stall.
func TestProtocolsLive(t *testing.T) {
	for _, loss := range []string{"0", "0.05"} {
		a := run(t, "s=protocols&seed=3&protocols.net.loss="+loss, 0)
		stalled, stallRect := false, false
		for range 2000 {
			if a.State()["view"].(map[string]any)["done"] == true {
				break
			}
			a.Step(1)
			l := a.Draw(1280, 720)
			stalled = stalled || hasText(l, "behind the no-loss twin (TCP HOL)")
			stallRect = stallRect || l.Count(PrimRect, Bad) > 0
			if !hasText(l, "c6") || hasText(l, "c7") {
				t.Fatalf("loss %s: lanes: %q", loss, l.Texts())
			}
		}
		if want := loss != "0"; stalled != want || stallRect != want {
			t.Errorf("loss %s: stall shown %v (rects %v), want %v", loss, stalled, stallRect, want)
		}
		if a.State()["view"].(map[string]any)["done"] != true {
			t.Errorf("loss %s: page not loaded after 2000 ticks (t=%v ns)", loss, a.State()["now_ns"])
		}
	}
}

// wireCross reports whether l has a lost-segment cross (two Lost lines).
func wireCross(l *List) bool {
	n := 0
	for _, p := range l.Prims {
		if p.Kind == PrimLine && p.C == Lost {
			n++
		}
	}
	return n >= 2
}

// Live, at a fixed seed with loss: a segment of the HTTP/2 connection is
// lost (a cross on the wire and its bytes named), every open stream is
// then marked waiting for it, and its retransmission travels toward the
// client along the wire between two ticks; later the cross is gone.
func TestProtocolsLostSegment(t *testing.T) {
	a := run(t, "s=protocols&seed=3&protocols.net.loss=0.05", 0)
	lostAt, resentAt, clearedAt := -1, -1, -1
	var resent EntityPos
	for i := 0; i < 3000 && clearedAt < 0; i++ {
		a.Step(1)
		l := a.Draw(1280, 720)
		cross := wireCross(l) && hasText(l, "lost: bytes")
		switch {
		case lostAt < 0 && cross:
			lostAt = i
			if !hasText(l, "open streams wait for the retransmission") || l.Count(PrimStroke, Lost) == 0 {
				t.Fatalf("tick %d: a lost segment but no stream marked waiting: %q", i, l.Texts())
			}
		case lostAt >= 0 && resentAt < 0 && l.Count(PrimRect, Warn) > 0:
			for _, p := range a.Positions() {
				if p.Kind == EntSegment && p.ToX < p.FromX && p.X > p.ToX {
					// server -> client, not yet arrived: is it the
					// retransmission? It is the Warn rect at p.X.
					for _, r := range rects(l, Warn) {
						if near(r.X+3, p.X) {
							resentAt, resent = i, p
						}
					}
				}
			}
		case resentAt >= 0 && !cross:
			clearedAt = i
		}
		if resentAt == i {
			a.Step(1)
			a.Draw(1280, 720)
			moved := false
			for _, q := range a.Positions() {
				if q.Key == resent.Key && q.X < resent.X && q.Y == resent.Y {
					moved = true
				}
			}
			if !moved {
				t.Errorf("retransmission %x did not move toward the client in a tick", resent.Key)
			}
		}
	}
	if lostAt < 0 || resentAt < lostAt || clearedAt < resentAt {
		t.Fatalf("lost at tick %d, retransmission seen at %d, cross cleared at %d", lostAt, resentAt, clearedAt)
	}
	t.Logf("lost at tick %d, retransmission at %d, repaired by %d", lostAt, resentAt, clearedAt)
}
