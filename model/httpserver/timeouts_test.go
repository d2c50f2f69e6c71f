package httpserver_test

import (
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/handler"
	"github.com/gohttpsim/gohttpsim/model/httpserver"
	"github.com/gohttpsim/gohttpsim/model/workload"
	"github.com/gohttpsim/gohttpsim/sim/dist"
)

// The timeouts with Go's fallbacks (server.go readHeaderTimeout,
// idleTimeout) and start points.
func TestTimeouts(t *testing.T) {
	sleep := &handler.Handler{Ops: []handler.Op{{Kind: handler.OpSleep, D: dist.Const{V: float64(10 * time.Millisecond)}}}, RespBytes: dist.Const{V: 100}}
	think := workload.Config{Clients: 4, Think: dist.Const{V: float64(2 * time.Second)}}
	slow := workload.Config{SlowRate: 10, SlowInterval: 100 * time.Millisecond, SlowStop: time.Second}
	for _, tc := range []struct {
		name  string
		cfg   httpserver.Config
		wl    workload.Config
		hd    *handler.Handler
		cause httpserver.CloseCause
		want  bool
	}{
		{"IdleTimeout closes idle keep-alive conns", httpserver.Config{IdleTimeout: time.Second}, think, nil, httpserver.CloseIdleTimeout, true},
		{"idle falls back to ReadTimeout", httpserver.Config{ReadTimeout: time.Second}, think, nil, httpserver.CloseIdleTimeout, true},
		{"IdleTimeout < 0 means none", httpserver.Config{ReadTimeout: time.Second, IdleTimeout: -1}, think, nil, httpserver.CloseIdleTimeout, false},
		{"no timeouts: idle conns stay", httpserver.Config{}, think, nil, httpserver.CloseIdleTimeout, false},
		{"ReadHeaderTimeout closes slowloris", httpserver.Config{ReadHeaderTimeout: 500 * time.Millisecond}, slow, nil, httpserver.CloseHeaderTimeout, true},
		{"header falls back to ReadTimeout", httpserver.Config{ReadTimeout: 500 * time.Millisecond}, slow, nil, httpserver.CloseHeaderTimeout, true},
		{"slowloris unchecked without timeouts", httpserver.Config{}, slow, nil, httpserver.CloseHeaderTimeout, false},
		{"WriteTimeout fails slow handlers", httpserver.Config{WriteTimeout: 5 * time.Millisecond}, workload.Config{Clients: 2}, sleep, httpserver.CloseWriteTimeout, true},
		{"WriteTimeout longer than the handler", httpserver.Config{WriteTimeout: 50 * time.Millisecond}, workload.Config{Clients: 2}, sleep, httpserver.CloseWriteTimeout, false},
	} {
		r := build(t, opts{procs: 2, srvCfg: tc.cfg, wl: tc.wl, hd: tc.hd})
		r.run(3 * time.Second)
		st := r.srv.Stats()
		if got := st.Closes[tc.cause] > 0; got != tc.want {
			t.Errorf("%s: %v closes = %d", tc.name, tc.cause, st.Closes[tc.cause])
		}
		if ws := r.w.Stats(); !ws.Conserved() {
			t.Errorf("%s: not conserved %+v", tc.name, ws)
		}
	}
}

// A header deadline is counted from when serve starts (first request) and
// from Peek(4) (later requests): slowloris connections opened at t live
// exactly ReadHeaderTimeout.
func TestHeaderDeadlineStart(t *testing.T) {
	r := build(t, opts{procs: 1, srvCfg: httpserver.Config{ReadHeaderTimeout: 700 * time.Millisecond},
		wl: workload.Config{SlowRate: 1000, SlowInterval: 50 * time.Millisecond, SlowStop: 100 * time.Millisecond}})
	r.run(799 * time.Millisecond)
	if c := r.srv.Stats().Closes[httpserver.CloseHeaderTimeout]; c == 0 || c == uint64(r.srv.Stats().Accepted) {
		t.Fatalf("by 0.8 s: %d of %d closed", c, r.srv.Stats().Accepted)
	}
	r.run(900 * time.Millisecond)
	if st := r.srv.Stats(); st.Closes[httpserver.CloseHeaderTimeout] != st.Accepted || st.Conns != 0 {
		t.Fatalf("by 0.9 s: %+v", st)
	}
}

// http.TimeoutHandler answers 503 at dt while the inner goroutine runs on;
// the connection serves its next request meanwhile.
func TestTimeoutHandler(t *testing.T) {
	sleep := &handler.Handler{Ops: []handler.Op{{Kind: handler.OpSleep, D: dist.Const{V: float64(300 * time.Millisecond)}}}, RespBytes: dist.Const{V: 100}}
	r := build(t, opts{procs: 2, hd: sleep, srvCfg: httpserver.Config{TimeoutHandler: 100 * time.Millisecond},
		wl: workload.Config{Clients: 1}})
	r.run(250 * time.Millisecond)
	st := r.srv.Stats()
	// 503s at ≈100 ms and ≈200 ms; those two inner Gs still sleep, and a
	// third serves the request that started at ≈200 ms.
	if st.Status503 != 2 || st.InnerRunning != 2 {
		t.Fatalf("%+v", st)
	}
	if g := r.s.Stats().Goroutines; g != 1+1+3 { // accept loop, conn, 3 inner
		t.Fatalf("%d goroutines", g)
	}
	r.run(time.Second)
	if st := r.srv.Stats(); st.InnerRunning > 3 {
		t.Fatalf("inner goroutines pile up: %+v", st)
	}
}
