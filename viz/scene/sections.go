package scene

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/gohttpsim/gohttpsim/model/scenarios"
	"github.com/gohttpsim/gohttpsim/model/transport"
)

// Section 3: http.Transport's pool (scenario pool: model/transport over
// model/tcp), with the classic bugs as switches.
func newPool() *scen {
	return &scen{
		id: "pool", name: "pool", slice: 200 * time.Microsecond,
		fixed: []string{"duration=60s"},
		controls: fromRegistry("pool", []Control{
			{Key: "Transport.MaxIdleConnsPerHost", Label: "MaxIdleConnsPerHost", Kind: Slider, Step: 1},
			{Key: "Transport.MaxConnsPerHost", Label: "MaxConnsPerHost", Kind: Slider, Step: 1},
			{Key: "client.drain_body", Label: "read the body to EOF", Kind: Toggle},
			{Key: "client.new_per_request", Label: "new Transport per request", Kind: Toggle},
			{Key: "load.clients", Label: "client goroutines", Kind: Slider, Step: 1},
			{Key: "load.requests", Label: "requests per client", Kind: Slider, Default: "100", Step: 1},
			{Key: "client.protocol", Label: "protocol", Kind: Select},
		}),
		draw: drawPool,
	}
}

// poolRequests is how many requests the run sends in all.
func poolRequests(s *scen) int {
	c := s.cfg.(*scenarios.PoolConfig)
	return c.Load.Clients * c.Requests
}

// poolConner is the pool scenario's read-only view of its connections.
type poolConner interface {
	PoolConns(dst []transport.ConnView) []transport.ConnView
}

// poolExtra is the pool section's drawing state.
type poolExtra struct {
	conns []transport.ConnView
	idle  []transport.ConnView
}

// drawPool draws http.Transport's pool for the one host as lanes: the idle
// list as a LIFO stack (the most recently returned connection on the left:
// it is the one the next request gets, mirroring queueForIdleConn taking
// the list's last entry), connections carrying a request, connections being
// dialed, and closed ones in TIME_WAIT; below, the requests queued for a
// connection. A connection moves between lanes when the model changes its
// state.
func drawPool(s *scen, l *List, w, h, y float32) {
	y = wrap(l, 8, y, w-16, fmt.Sprintf("dials %d   reuses %d   closed (idle list full) %d   done %d/%d",
		int(s.metric("conns_dialed")), int(s.metric("conns_reused")), int(s.metric("conns_closed_idle_full")),
		int(s.metric("requests_completed")), poolRequests(s)), Ink)
	y = wrapAt(l, 8, y, w-16, fmt.Sprintf("wait for a conn p99 %v   latency p50 %v  p99 %v", s.shown("pool_wait_p99_ns"),
		s.shown("latency_p50_ns"), s.shown("latency_p99_ns")), SizeSmall, Muted)
	y += 6
	legH := legendHeight(w-16, KeyConnIdle, KeyConnActive, KeyConnDialing, KeyTimeWait, KeyRequest)
	pe, _ := s.extra.(*poolExtra)
	if pe == nil {
		pe = &poolExtra{}
		s.extra = pe
	}
	pc, ok := s.m.(poolConner)
	if ok {
		pe.conns = pc.PoolConns(pe.conns[:0])
	}
	const pitch, laneH = 20, 26
	lx := float32(150)
	per := max(1, int((w-lx-16-40)/pitch)) // the count sits after the lane's last place
	lanes := [...]struct {
		name string
		c    Color
	}{{"idle (LIFO)", ConnIdle}, {"active", ConnActive}, {"dialing", ConnDialing}, {"TIME_WAIT", TimeWait}, {"queued requests", Request}}
	laneY := [len(lanes)]float32{}
	for i, ln := range lanes {
		laneY[i] = y + float32(i)*(laneH+4)
		l.RoundRect(8, laneY[i], w-16, laneH, 5, Panel)
		l.TextAt(16, laneY[i]+6, ln.name, SizeNormal, Left, Ink)
	}
	pos := func(lane, k int) (float32, float32) {
		k = min(k, per-1)
		return lx + float32(k)*pitch + 8, laneY[lane] + laneH/2
	}
	counts := [len(lanes)]int{}
	pe.idle = pe.idle[:0]
	for _, c := range pe.conns {
		if c.State == transport.Idle {
			pe.idle = append(pe.idle, c)
		}
	}
	// Top of the stack first: the latest IdleAt (ties by ID, stable).
	slices.SortStableFunc(pe.idle, func(a, b transport.ConnView) int { return cmp.Compare(b.IdleAt, a.IdleAt) })
	draw := func(lane int, c transport.ConnView, col Color) {
		k := counts[lane]
		counts[lane]++
		if k >= per {
			return
		}
		x, yy := pos(lane, k)
		fx, fy := pos(2, counts[2]) // a new connection comes from a dial
		px, py := s.mo.Place(EntKey(EntConn, int64(c.ID)), x, yy, fx, fy)
		l.RoundRect(px-8, py-5, 16, 10, 5, col)
	}
	for _, c := range pe.idle {
		draw(0, c, ConnIdle)
	}
	for _, c := range pe.conns {
		switch c.State {
		case transport.Active:
			draw(1, c, ConnActive)
		case transport.Dialing:
			draw(2, c, ConnDialing)
		}
	}
	tw := int(s.probe("time_wait"))
	for k := range min(tw, per) {
		x, yy := pos(3, k)
		l.RoundRect(x-8, yy-5, 16, 10, 5, TimeWait)
	}
	counts[3] = tw
	q := int(s.probe("waiting"))
	for k := range min(q, per) {
		x, yy := pos(4, k)
		l.Ring(x, yy, 5, 2, Request)
	}
	counts[4] = q
	for i, n := range counts {
		l.TextAt(w-16, laneY[i]+6, strconv.Itoa(n), SizeNormal, Right, Ink)
	}
	// Closed connections leave for TIME_WAIT.
	twx, twy := pos(3, min(tw, per-1))
	s.mo.End(func(uint64) (float32, float32, bool) { return twx, twy, true },
		func(_ uint64, x, yy float32) { l.RoundRect(x-8, yy-5, 16, 10, 5, TimeWait) })
	y = laneY[len(lanes)-1] + laneH + 8
	ch := h - y - legH - 8
	if ch > 60 {
		plot(l, Box{8, y, w - 16, ch}, plotSpec{title: "connections over time", q: Count, dt: s.slice,
			series: []*series{s.histOf("idle"), s.histOf("active"), s.histOf("waiting")},
			colors: []Color{ConnIdle, ConnActive, Request}, names: []string{"idle", "active", "queued requests"}})
	}
	legend(l, 8, h-legH-4, w-16, KeyConnIdle, KeyConnActive, KeyConnDialing, KeyTimeWait, KeyRequest)
}

// Section 4: throughput of a net/http server on the GMP model (scenario
// throughput). Each run the user ends by changing the load adds a point
// to the offered-versus-served curve, whose knee is marked.
func newThroughput() *scen {
	return &scen{
		id: "throughput", name: "throughput", slice: time.Millisecond,
		fixed: []string{"duration=1h"},
		controls: fromRegistry("throughput", []Control{
			{Key: "handler.kind", Label: "handler", Kind: Select, Options: []string{"hello", "json", "db", "sleep"}},
			{Key: "GOMAXPROCS", Label: "GOMAXPROCS", Kind: Slider, Default: "2", Step: 1},
			{Key: "load.rate", Label: "offered load (req/s)", Kind: Slider, Default: "50000", Step: 1000},
		}),
		draw:    drawThroughput,
		mnames:  []string{"latency_p50_ns", "latency_p99_ns"},
		onBuild: recordKnee,
		extra:   &kneeCurve{},
	}
}

type kneePoint struct{ offered, served, p99 float64 }

// kneeCurve keeps (offered, served) points across runs with the same
// handler and GOMAXPROCS.
type kneeCurve struct {
	key string
	pts []kneePoint
}

func recordKnee(s *scen) {
	kc := s.extra.(*kneeCurve)
	if s.e.Now() < 200*1e6 { // under 200 ms simulated: not a steady state
		return
	}
	c := s.cfg.(*scenarios.HTTPConfig)
	key := c.Handler.Kind + "/" + fmt.Sprint(c.Runtime.GOMAXPROCS)
	if key != kc.key {
		kc.key, kc.pts = key, kc.pts[:0]
	}
	kc.pts = append(kc.pts, kneePoint{c.Load.Rate, s.metric("throughput_rps"), s.metric("latency_p99_ns")})
	if len(kc.pts) > 40 {
		kc.pts = kc.pts[1:]
	}
}

func drawThroughput(s *scen, l *List, w, h, y float32) {
	offered := s.cfg.(*scenarios.HTTPConfig).Load.Rate
	y = wrap(l, 8, y, w-16, fmt.Sprintf("served %s now (offered %s)   p50 %v   p99 %v", value(Rate, s.probe("served_rps")), value(Rate, offered),
		s.shown("latency_p50_ns"), s.shown("latency_p99_ns")), Ink)
	y = wrapAt(l, 8, y, w-16, fmt.Sprintf("CPU %.0f%%   GC %.1f%% of CPU   goroutines %d   heap %s   in flight %d",
		100*s.metric("cpu_utilization"), 100*s.metric("gc_cpu_fraction"), int(s.probe("goroutines")),
		bytesStr(int64(s.probe("heap_bytes"))), int(s.probe("in_flight"))), SizeSmall, Muted)
	y += 6
	kc := s.extra.(*kneeCurve)
	ph := h - y - 8
	var left, right, curve Box
	if w >= 720 {
		cw := (w - 24) / 2
		left = Box{8, y, cw, ph/2 - 4}
		right = Box{8, y + ph/2 + 4, cw, ph/2 - 4}
		curve = Box{16 + cw, y, cw, ph}
	} else {
		third := (ph - 16) / 3
		left = Box{8, y, w - 16, third}
		right = Box{8, y + third + 8, w - 16, third}
		curve = Box{8, y + 2*third + 16, w - 16, third}
	}
	plot(l, left, plotSpec{title: "served req/s", q: Rate, dt: s.dt, series: []*series{s.histOf("served_rps")},
		colors: []Color{Running}, names: []string{"served"}, mark: offered, markLabel: "offered " + value(Rate, offered)})
	plot(l, right, plotSpec{title: "latency since start", q: QuantityOf(s.metricUnit("latency_p50_ns")), dt: s.dt * metricEvery,
		series: []*series{s.mhistOf("latency_p50_ns"), s.mhistOf("latency_p99_ns")},
		colors: []Color{Waiting, Bad}, names: []string{"p50", "p99"}})
	// The curve built from previous runs, and this run's point moving as
	// its served rate settles.
	top := offered
	for _, p := range kc.pts {
		top = max(top, p.offered, p.served)
	}
	xy := xyAxes(l, curve, "served vs offered (one point per run)", top, Rate)
	xy.line(l, 0, 0, top, top, Idle)
	knee := -1.0
	for _, p := range kc.pts {
		c := Running
		if p.served < 0.95*p.offered {
			c = Bad
			if knee < 0 || p.offered < knee {
				knee = p.offered
			}
		}
		x, yy := xy.at(p.offered, p.served)
		l.Circle(x, yy, 4, c)
	}
	if knee > 0 {
		x, _ := xy.at(knee, 0)
		l.LineW(x, xy.b.Y, x, xy.b.Y+xy.b.H, 1.5, Warn)
		l.TextAt(x+4, xy.b.Y+2, "knee "+value(Rate, knee), SizeSmall, Left, Warn)
	}
	cx, cy := xy.at(offered, s.probe("served_rps"))
	px, py := s.mo.Place(EntKey(EntToken, 1), cx, cy, cx, xy.b.Y+xy.b.H)
	l.Ring(px, py, 6, 2, Request)
	l.TextAt(px+8, py-6, "this run", SizeSmall, Left, Ink)
	s.mo.End(nil, nil)
}

// metricEvery is how many ticks apart a section refreshes its metrics.
const metricEvery = 10

// xyPlot maps data to a plot area with axes drawn by xyAxes.
type xyPlot struct {
	b   Box // the data area
	top float64
}

func (p xyPlot) at(x, y float64) (float32, float32) {
	return p.b.X + float32(x/p.top)*p.b.W, p.b.Y + p.b.H - float32(y/p.top)*p.b.H
}

func (p xyPlot) line(l *List, x0, y0, x1, y1 float64, c Color) {
	a, b := p.at(x0, y0)
	cx, d := p.at(x1, y1)
	l.LineW(a, b, cx, d, 1, c)
}

// xyAxes draws a panel with a title and square axes from 0 to a 1-2-5
// rounded top on both x and y, ticks labelled as q.
func xyAxes(l *List, b Box, title string, top float64, q Quantity) xyPlot {
	l.RoundRect(b.X, b.Y, b.W, b.H, 4, Panel)
	l.TextAt(b.X+8, b.Y+4, title, SizeNormal, Left, Ink)
	if top <= 0 {
		top = 1
	}
	step := niceStep(top, 4, q)
	top = math.Ceil(top/step) * step
	const axisW = 58
	pb := Box{b.X + axisW, b.Y + LineH + 12, b.W - axisW - 14, b.H - LineH - 12 - LineH - 8}
	p := xyPlot{pb, top}
	if pb.W < 20 || pb.H < 16 {
		return p
	}
	for v := 0.0; v <= top*1.0001; v += step {
		x, yy := p.at(v, v)
		l.LineW(pb.X, yy, pb.X+pb.W, yy, 1, Grid)
		l.TextAt(pb.X-6, yy-SizeSmall/2-1, q.format(v), SizeSmall, Right, Muted)
		l.LineW(x, pb.Y+pb.H, x, pb.Y+pb.H+4, 1, Muted)
		a := Center
		if v == 0 {
			a = Left
		}
		l.TextAt(x, pb.Y+pb.H+5, q.format(v), SizeSmall, a, Muted)
	}
	l.LineW(pb.X, pb.Y, pb.X, pb.Y+pb.H, 1, Muted)
	l.LineW(pb.X, pb.Y+pb.H, pb.X+pb.W, pb.Y+pb.H, 1, Muted)
	return p
}

// Section 5: slowloris and timeouts (scenario timeouts): goroutines,
// descriptors and memory climbing without Server.ReadHeaderTimeout, cut
// with it; http.TimeoutHandler's 503s.
func newTimeouts() *scen {
	return &scen{
		id: "timeouts", name: "timeouts", slice: 20 * time.Millisecond,
		fixed: []string{"duration=1h", "slowloris.start=1s"},
		controls: fromRegistry("timeouts", []Control{
			{Key: "slowloris", Label: "slowloris attack", Kind: Toggle, Default: "true"},
			{Key: "timeouts", Label: "Server.ReadHeaderTimeout 2s, IdleTimeout 30s", Kind: Toggle, Default: "false"},
			{Key: "http.TimeoutHandler", Label: "http.TimeoutHandler", Kind: Select, Default: "100ms", Options: []string{"0s", "50ms", "100ms", "1s"}},
			{Key: "ulimit.n", Label: "ulimit -n", Kind: Select, Default: "4096", Options: []string{"1024", "4096", "65536"}},
		}, "slowloris", "timeouts"),
		expand: func(k, v string) []string {
			switch k {
			case "slowloris":
				if v == "true" {
					return []string{"slowloris.rate=500"}
				}
				return []string{"slowloris.rate=0"}
			case "timeouts":
				if v == "true" {
					return []string{"Server.ReadHeaderTimeout=2s", "Server.IdleTimeout=30s"}
				}
				return []string{"Server.ReadHeaderTimeout=0s", "Server.IdleTimeout=0s"}
			}
			return []string{k + "=" + v}
		},
		draw: drawTimeouts,
	}
}

// drawTimeouts draws the slowloris pile: one goroutine per slow
// connection, each holding a descriptor and its buffers; without
// ReadHeaderTimeout they only accumulate, with it they are cut (they
// leave for the "closed by timeout" bin). Below, goroutines, fds and
// memory over time, with the fd limit marked.
func drawTimeouts(s *scen, l *List, w, h, y float32) {
	y = wrap(l, 8, y, w-16, fmt.Sprintf("goroutines %d   fds %d/%d   memory %s   slowloris conns %d", int(s.probe("goroutines")), int(s.probe("fds")),
		s.cfg.(*scenarios.HTTPConfig).Server.FDLimit, bytesStr(int64(s.probe("mem_bytes"))), int(s.probe("slowloris_conns"))), Ink)
	y = wrapAt(l, 8, y, w-16, fmt.Sprintf("503 from TimeoutHandler %d   closed by header timeout %d   accept EMFILE %d   errors %d",
		int(s.probe("status_503")), int(s.metric("closed_header_timeout")), int(s.metric("accept_emfile")), int(s.probe("errors"))), SizeSmall, Muted)
	y += 6
	legH := legendHeight(w-16, KeyIOWait, KeyConnActive, Key503)
	// The pile: the slow connections' goroutines, parked reading headers.
	n := int(s.probe("slowloris_conns"))
	pileH := float32(3*12 + LineH + 14)
	l.RoundRect(8, y, w-16, pileH, 5, Panel)
	l.TextAt(16, y+4, "slowloris: a parked goroutine per slow connection", SizeNormal, Left, Ink)
	binX := w - 110
	l.TextAt(binX+50, y+4, "cut", SizeSmall, Center, Muted)
	per := max(1, int((binX-24)/12))
	shown := min(n, 3*per)
	py0 := y + LineH + 12
	for k := range shown {
		x, yy := 20+float32(k%per)*12, py0+float32(k/per)*12
		px, pyy := s.mo.Place(EntKey(EntG, int64(k)), x, yy, 8, yy)
		l.Circle(px, pyy, 4.5, Waiting)
	}
	if n > shown {
		l.TextAt(binX-8, py0+24, fmt.Sprintf("+%d", n-shown), SizeSmall, Right, Ink)
	}
	// 503s: one square each for the latest (up to a row).
	bx, by := binX+50, py0+12
	s.mo.End(func(uint64) (float32, float32, bool) { return bx, by, true },
		func(_ uint64, x, yy float32) { l.Circle(x, yy, 4.5, Bad) })
	y += pileH + 8
	ch := (h - y - legH - 8 - 16) / 3
	plot(l, Box{8, y, w - 16, ch}, plotSpec{title: "goroutines and fds", q: Count, dt: s.dt,
		series: []*series{s.histOf("goroutines"), s.histOf("fds")}, colors: []Color{Waiting, ConnActive},
		names: []string{"goroutines", "fds"}, mark: float64(s.cfg.(*scenarios.HTTPConfig).Server.FDLimit), markLabel: "ulimit -n"})
	y += ch + 8
	plot(l, Box{8, y, w - 16, ch}, plotSpec{title: "memory", q: Bytes, dt: s.dt,
		series: []*series{s.histOf("mem_bytes")}, colors: []Color{Syscall}, names: []string{"heap + stacks + buffers"}})
	y += ch + 8
	plot(l, Box{8, y, w - 16, ch}, plotSpec{title: "responses", q: Rate, dt: s.dt,
		series: []*series{s.histOf("served_rps"), s.rateOf("status_503")}, colors: []Color{Running, Status503}, names: []string{"served", "503/s"}})
	legend(l, 8, h-legH-4, w-16, KeyIOWait, KeyConnActive, Key503)
}
