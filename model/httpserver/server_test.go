package httpserver_test

import (
	"math"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gc"
	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/model/handler"
	"github.com/gohttpsim/gohttpsim/model/httpserver"
	"github.com/gohttpsim/gohttpsim/model/mmc"
	"github.com/gohttpsim/gohttpsim/model/sql"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/model/workload"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
)

type rig struct {
	e   *sim.Engine
	s   *gmp.Sched
	n   *tcp.Net
	srv *httpserver.Server
	w   *workload.Workload
}

type opts struct {
	procs  int
	gmpCfg gmp.Config
	tcpCfg tcp.Config
	hd     *handler.Handler
	srvCfg httpserver.Config
	wl     workload.Config
	withGC bool
	dbCfg  *sql.Config // a pool on a database with 16 workers
}

func build(t testing.TB, o opts) *rig {
	t.Helper()
	e := sim.NewEngine(7)
	o.gmpCfg.GOMAXPROCS = o.procs
	s := gmp.New(e, o.gmpCfg)
	n, err := tcp.New(e, o.tcpCfg)
	if err != nil {
		t.Fatal(err)
	}
	if o.hd == nil {
		o.hd, _ = handler.New("hello", nil)
	}
	var db handler.DB
	if o.dbCfg != nil {
		dbs, err := sql.NewServer(e, sql.ServerConfig{Workers: 16})
		if err != nil {
			t.Fatal(err)
		}
		if db, err = sql.NewDB(dbs, *o.dbCfg, "handler/db"); err != nil {
			t.Fatal(err)
		}
	}
	wire := &httpserver.Wire{}
	var srv *httpserver.Server
	var col *gc.GC
	if o.withGC {
		col, err = gc.New(s, gc.Config{}, func() (int64, int64) { return srv.LiveHeap() })
		if err != nil {
			t.Fatal(err)
		}
	}
	run := handler.NewRunner(s, o.hd, db, col)
	srv, err = httpserver.New(s, n, wire, run, col, o.srvCfg)
	if err != nil {
		t.Fatal(err)
	}
	w, err := workload.New(e, n, wire, []tcp.ListenerID{srv.Listener()}, nil, o.wl)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{e, s, n, srv, w}
}

func (r *rig) run(d time.Duration) { r.e.RunUntil(sim.Time(d)) }

// A hello-world server on one P saturates near the calibrated ~103,000
// req/s (measured-here.md).
func TestHelloSaturatesNearCalibration(t *testing.T) {
	r := build(t, opts{procs: 1, withGC: true, wl: workload.Config{Clients: 64}})
	r.run(time.Second)
	st := r.w.Stats()
	if st.Completed < 98_000 || st.Completed > 108_000 {
		t.Fatalf("completed %d in 1 s on one P, want ≈ 103,000", st.Completed)
	}
	if !st.Conserved() {
		t.Fatalf("not conserved: %+v", st)
	}
	t.Logf("completed %d, events %d (%.1f per request)", st.Completed, r.e.Events(), float64(r.e.Events())/float64(st.Completed))
}

// With no network cost and exponential CPU the server is a queue of
// requests served by GOMAXPROCS Ps. On one P it is exactly M/M/1 and mean
// latency agrees with Erlang C (c = 1). On c > 1 Ps the runtime is not a
// single shared FIFO: a G made ready by the network waits until some M
// calls netpoll (only one M blocks in netpoll; the others are parked in
// stopm, proc.go findRunnable), so the mean lies between Erlang C for c
// servers and c separate M/M/1 queues of rate λ/c. The test checks both.
func TestErlangC(t *testing.T) {
	const mean = 100 * time.Microsecond
	hd, _ := handler.New("hello", dist.Exp{M: float64(mean)})
	tiny := time.Nanosecond
	mu := 1 / mean.Seconds()
	for _, tc := range []struct {
		c   int
		rho float64
	}{{1, 0.5}, {1, 0.8}, {4, 0.5}, {4, 0.8}} {
		lambda := tc.rho * float64(tc.c) * mu
		r := build(t, opts{procs: tc.c, hd: hd,
			gmpCfg: gmp.Config{CtxSwitch: tiny, GoCreate: tiny, Steal: tiny, SyscallEnter: tiny, SyscallExit: tiny, Netpoll: tiny, Wakeup: tiny},
			srvCfg: httpserver.Config{RequestCPU: dist.Const{V: 0}},
			wl:     workload.Config{Rate: lambda}})
		d := 20 * time.Second
		if testing.Short() {
			d = 4 * time.Second
		}
		r.run(d)
		got := r.w.Latency().Mean()
		_, wq := mmc.ErlangC(tc.c, lambda, mu)
		erlang := (wq + mean.Seconds()) * 1e9
		_, wq1 := mmc.ErlangC(1, lambda/float64(tc.c), mu)
		separate := (wq1 + mean.Seconds()) * 1e9
		t.Logf("c=%d ρ=%.1f: mean %.1f µs, Erlang C %.1f µs, c×M/M/1 %.1f µs", tc.c, tc.rho, got/1e3, erlang/1e3, separate/1e3)
		if tc.c == 1 {
			if math.Abs(got-erlang)/erlang > 0.06 {
				t.Errorf("c=1 ρ=%.1f: mean latency %.1f µs, Erlang C %.1f µs", tc.rho, got/1e3, erlang/1e3)
			}
			continue
		}
		if got < erlang*0.97 || got > separate*1.03 {
			t.Errorf("c=%d ρ=%.1f: mean latency %.1f µs outside [Erlang C %.1f, c×M/M/1 %.1f]", tc.c, tc.rho, got/1e3, erlang/1e3, separate/1e3)
		}
	}
}
