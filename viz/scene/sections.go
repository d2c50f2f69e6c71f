package scene

import (
	"fmt"
	"time"
)

// Section 3: http.Transport's pool (scenario pool: model/transport over
// model/tcp), with the classic bugs as switches.
func newPool() *scen {
	return &scen{
		id: "pool", name: "pool", slice: 200 * time.Microsecond,
		fixed: []string{"duration=60s"},
		controls: []Control{
			{Key: "Transport.MaxIdleConnsPerHost", Label: "MaxIdleConnsPerHost", Kind: Slider, Default: "2", Min: -1, Max: 100, Step: 1},
			{Key: "Transport.MaxConnsPerHost", Label: "MaxConnsPerHost", Kind: Slider, Default: "0", Min: 0, Max: 100, Step: 1},
			{Key: "client.drain_body", Label: "read the body to EOF", Kind: Toggle, Default: "true"},
			{Key: "client.new_per_request", Label: "new Transport per request", Kind: Toggle, Default: "false"},
			{Key: "load.clients", Label: "client goroutines", Kind: Slider, Default: "50", Min: 1, Max: 200, Step: 1},
			{Key: "load.requests", Label: "requests per client", Kind: Slider, Default: "100", Min: 1, Max: 1000, Step: 1},
			{Key: "client.protocol", Label: "protocol", Kind: Select, Default: "http1", Options: []string{"http1", "h2"}},
		},
		draw: drawPool,
	}
}

func drawPool(s *scen, l *List, w, h, y float32) {
	y = wrap(l, 8, y, w-16, fmt.Sprintf("dials %d  reuses %d  closed (idle list full) %d  TIME_WAIT %d  done %d/%d",
		int(s.metric("conns_dialed")), int(s.metric("conns_reused")), int(s.metric("conns_closed_idle_full")),
		int(s.probe("time_wait")), int(s.metric("requests_completed")), s.p.Int("load.clients")*s.p.Int("load.requests")), Ink)
	y = wrap(l, 8, y, w-16, fmt.Sprintf("pool wait p99 %v  latency p50 %v p99 %v", roundDur(time.Duration(s.metric("pool_wait_p99_ns"))),
		roundDur(time.Duration(s.metric("latency_p50_ns"))), roundDur(time.Duration(s.metric("latency_p99_ns")))), Muted)
	y += 6
	rows := []struct {
		name string
		c    Color
	}{{"idle", Waiting}, {"active", Running}, {"dialing", Runnable}, {"waiting", Bad}, {"time_wait", Idle}}
	per := int((w - 120) / 8)
	for _, r := range rows {
		v := int(s.probe(r.name))
		label := r.name
		if r.name == "waiting" {
			label = "queued"
		}
		if r.name == "dialing" {
			label = "new (dial)"
		}
		l.Text(8, y, fmt.Sprintf("%-10s %d", label, v), Ink)
		shown := min(v, per*2)
		for j := range shown {
			l.Rect(112+float32(j%per)*8, y+2+float32(j/per)*8, 6, 6, r.c)
		}
		y += max(LineH+4, float32((shown+per-1)/max(per, 1))*8+6)
	}
	ch := min(160, h-y-8)
	if ch > 40 {
		chart(l, Box{8, y, w - 16, ch}, "idle, active, queued over time", []*series{s.histOf("idle"), s.histOf("active"), s.histOf("waiting")}, []Color{Waiting, Running, Bad})
	}
}

// Section 4: throughput of a net/http server on the GMP model (scenario
// throughput). Each run the user ends by changing the load adds a point
// to the offered-versus-served curve, whose knee is marked.
func newThroughput() *scen {
	return &scen{
		id: "throughput", name: "throughput", slice: time.Millisecond,
		fixed: []string{"duration=1h"},
		controls: []Control{
			{Key: "handler.kind", Label: "handler", Kind: Select, Default: "hello", Options: []string{"hello", "json", "db", "sleep"}},
			{Key: "GOMAXPROCS", Label: "GOMAXPROCS", Kind: Slider, Default: "2", Min: 1, Max: 16, Step: 1},
			{Key: "load.rate", Label: "offered load (req/s)", Kind: Slider, Default: "50000", Min: 1000, Max: 1000000, Step: 1000},
		},
		draw:    drawThroughput,
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
	key := s.p.String("handler.kind") + "/" + fmt.Sprint(s.p.Int("GOMAXPROCS"))
	if key != kc.key {
		kc.key, kc.pts = key, kc.pts[:0]
	}
	kc.pts = append(kc.pts, kneePoint{s.p.Float("load.rate"), s.metric("throughput_rps"), s.metric("latency_p99_ns")})
	if len(kc.pts) > 40 {
		kc.pts = kc.pts[1:]
	}
}

func drawThroughput(s *scen, l *List, w, h, y float32) {
	y = wrap(l, 8, y, w-16, fmt.Sprintf("served %s req/s now (offered %s)  p50 %v  p99 %v", num(s.probe("served_rps")), num(s.p.Float("load.rate")),
		roundDur(time.Duration(s.metric("latency_p50_ns"))), roundDur(time.Duration(s.metric("latency_p99_ns")))), Ink)
	y = wrap(l, 8, y, w-16, fmt.Sprintf("CPU %.0f%%  GC %.1f%% of CPU  goroutines %d  heap %s  in flight %d",
		100*s.metric("cpu_utilization"), 100*s.metric("gc_cpu_fraction"), int(s.probe("goroutines")),
		bytesStr(int64(s.probe("heap_bytes"))), int(s.probe("in_flight"))), Muted)
	y += 6
	half := (h - y - 8) / 2
	chart(l, Box{8, y, w - 16, half - 4}, "served req/s", []*series{s.histOf("served_rps")}, []Color{Running})
	y += half
	// The curve built from previous runs.
	kc := s.extra.(*kneeCurve)
	b := Box{8, y, w - 16, half - 4}
	l.Rect(b.X, b.Y, b.W, b.H, Panel)
	wrap(l, b.X+4, b.Y+2, b.W-8, "served vs offered, one point per run (change the load to add one)", Muted)
	top := 1.0
	for _, p := range kc.pts {
		top = max(top, p.offered, p.served)
	}
	px := func(v float64) float32 { return b.X + 4 + float32(v/top)*(b.W-8) }
	py := func(v float64) float32 { return b.Y + b.H - 4 - float32(v/top)*(b.H-LineH-8) }
	l.Line(px(0), py(0), px(top), py(top), Idle)
	knee := -1.0
	for _, p := range kc.pts {
		c := Running
		if p.served < 0.95*p.offered {
			c = Bad
			if knee < 0 || p.offered < knee {
				knee = p.offered
			}
		}
		l.Rect(px(p.offered)-3, py(p.served)-3, 6, 6, c)
	}
	if knee > 0 {
		wrap(l, b.X+4, b.Y+LineH+2, b.W-8, fmt.Sprintf("knee: served < 95%% of offered from %s req/s", num(knee)), Warn)
	}
}

// Section 5: slowloris and timeouts (scenario timeouts): goroutines,
// descriptors and memory climbing without Server.ReadHeaderTimeout, cut
// with it; http.TimeoutHandler's 503s.
func newTimeouts() *scen {
	return &scen{
		id: "timeouts", name: "timeouts", slice: 20 * time.Millisecond,
		fixed: []string{"duration=1h", "slowloris.start=1s"},
		controls: []Control{
			{Key: "slowloris", Label: "slowloris attack", Kind: Toggle, Default: "true"},
			{Key: "timeouts", Label: "Server.ReadHeaderTimeout 2s, IdleTimeout 30s", Kind: Toggle, Default: "false"},
			{Key: "http.TimeoutHandler", Label: "http.TimeoutHandler", Kind: Select, Default: "100ms", Options: []string{"0s", "50ms", "100ms", "1s"}},
			{Key: "ulimit.n", Label: "ulimit -n", Kind: Select, Default: "4096", Options: []string{"1024", "4096", "65536"}},
		},
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

func drawTimeouts(s *scen, l *List, w, h, y float32) {
	y = wrap(l, 8, y, w-16, fmt.Sprintf("goroutines %d  fds %d/%d  memory %s  slowloris conns %d", int(s.probe("goroutines")), int(s.probe("fds")),
		s.p.Int("ulimit.n"), bytesStr(int64(s.probe("mem_bytes"))), int(s.probe("slowloris_conns"))), Ink)
	y = wrap(l, 8, y, w-16, fmt.Sprintf("503 from TimeoutHandler %d  closed by header timeout %d  accept EMFILE %d  errors %d",
		int(s.probe("status_503")), int(s.metric("closed_header_timeout")), int(s.metric("accept_emfile")), int(s.probe("errors"))), Muted)
	y += 6
	third := (h - y - 8) / 3
	chart(l, Box{8, y, w - 16, third - 4}, "goroutines and fds", []*series{s.histOf("goroutines"), s.histOf("fds")}, []Color{Runnable, Waiting})
	y += third
	chart(l, Box{8, y, w - 16, third - 4}, "memory (bytes)", []*series{s.histOf("mem_bytes")}, []Color{Syscall})
	y += third
	chart(l, Box{8, y, w - 16, third - 4}, "served req/s", []*series{s.histOf("served_rps")}, []Color{Running})
}
