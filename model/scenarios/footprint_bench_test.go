package scenarios

import (
	"runtime"
	"testing"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// BenchmarkParkedConn measures the simulator's memory per parked
// keep-alive connection: the million scenario with 200,000 clients, run
// until every client has connected, sent its first request and gone idle
// (its server G parked on the netpoller, the client thinking). It reports
// the Go heap the model holds per connection (B/conn, measured: HeapAlloc
// after a GC, less the heap before the build) and its breakdown from the
// models' own tables (as allocated, so including growth headroom):
//
//	G-B/conn        the scheduler's G (gmp's G table)
//	conn-B/conn     TCP connection (both directions), server conn state,
//	                client conn state and wire framing
//	timer-B/conn    engine timer slots (none in this scenario: no deadlines)
//	netpoll-B/conn  the pollDesc part of the server conn: its parked flag,
//	                and with server timeouts the deadline table (deadlines,
//	                their timer; none here); gmp's netpoll list is intrusive
//	event-B/conn    pending-event storage (each idle client has one think
//	                event queued)
func BenchmarkParkedConn(b *testing.B) {
	const n = 200_000
	sc := scenario.Lookup("million")
	v, err := scenario.Parse(sc.Params, []string{"load.clients=200000", "load.ramp=2s", "duration=3s"})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		e := sim.NewEngine(1)
		mod, err := sc.Build(e, v, &scenario.Env{})
		if err != nil {
			b.Fatal(err)
		}
		m := mod.(*httpModel)
		e.RunUntil(m.End())
		runtime.GC()
		runtime.ReadMemStats(&after)
		conns := float64(m.totals().connsPeak)
		if conns != n {
			b.Fatalf("%v connections, want %d", conns, n)
		}
		evB, timerB := e.MemBytes()
		var gB, srvB, pdB int64
		for _, srv := range m.srvs {
			gB += srv.Sched().GBytes()
			c, pd := srv.MemBytes()
			srvB += c
			pdB += pd
		}
		connB := m.net.MemBytes() + srvB + m.wl.MemBytes() + m.wire.MemBytes()
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/conns, "B/conn")
		b.ReportMetric(float64(gB)/conns, "G-B/conn")
		b.ReportMetric(float64(connB)/conns, "conn-B/conn")
		b.ReportMetric(float64(timerB)/conns, "timer-B/conn")
		b.ReportMetric(float64(pdB)/conns, "netpoll-B/conn")
		b.ReportMetric(float64(evB)/conns, "event-B/conn")
		runtime.KeepAlive(m)
	}
}
