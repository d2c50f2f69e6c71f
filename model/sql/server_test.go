package sql_test

import (
	"math"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/mmc"
	"github.com/gohttpsim/gohttpsim/model/sql"
	"github.com/gohttpsim/gohttpsim/sim"
)

func newServer(t testing.TB, e *sim.Engine, cfg sql.ServerConfig) *sql.Server {
	t.Helper()
	s, err := sql.NewServer(e, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newDB(t testing.TB, s *sql.Server, cfg sql.Config, name string) *sql.DB {
	t.Helper()
	d, err := sql.NewDB(s, cfg, name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Three pools with unlimited connections share one database of c = 4
// workers: it is one M/M/4 queue at the total rate, so the mean wait for a
// worker is Erlang C's Wq = C(c, a) / (cμ − λ). Three separate databases
// (the old per-replica model) would each be far less loaded.
func TestSharedServerIsMMc(t *testing.T) {
	const c = 4
	mean := 2 * time.Millisecond
	for _, rho := range []float64{0.5, 0.8} {
		e := sim.NewEngine(11)
		srv := newServer(t, e, sql.ServerConfig{Workers: c})
		lambda := rho * c / mean.Seconds() // total queries/s
		for i, name := range []string{"a", "b", "c"} {
			db := newDB(t, srv, sql.Config{MaxIdleConns: 1000}, "pool/"+name)
			newDriver(e, db, "load/"+name, lambda/3, mean)
			_ = i
		}
		e.RunUntil(sim.Time(200 * time.Second))
		st := srv.Stats()
		_, wq := mmc.ErlangC(c, lambda, 1/mean.Seconds())
		got := st.QueueWait.Seconds() / float64(st.Queries+uint64(st.Running))
		if math.Abs(got-wq)/wq > 0.06 {
			t.Errorf("ρ=%.1f: mean wait for a worker %.3gs, Erlang C %.3gs", rho, got, wq)
		}
		if u := srv.Utilization(); math.Abs(u-rho) > 0.02 {
			t.Errorf("ρ=%.1f: utilization %.3f", rho, u)
		}
	}
}

// db.max_connections = 3 and five requests opening connections at once: the
// database admits three and refuses two, whose requests fail; the refused
// ones are counted as errors at both ends.
func TestMaxConnectionsRefuses(t *testing.T) {
	e := sim.NewEngine(1)
	srv := newServer(t, e, sql.ServerConfig{MaxConnections: 3})
	a := newDB(t, srv, sql.Config{}, "a")
	b := newDB(t, srv, sql.Config{}, "b")
	da := newDriver(e, a, "la", 0, 10*time.Millisecond)
	db := newDriver(e, b, "lb", 0, 10*time.Millisecond)
	for range 3 {
		da.start()
	}
	for range 2 {
		db.start()
	}
	e.Run()
	st := srv.Stats()
	if st.Refused != 2 || st.Connects != 3 || st.ConnsPeak != 3 {
		t.Fatalf("server %+v", st)
	}
	if da.done+db.done != 3 || da.failed+db.failed != 2 {
		t.Fatalf("done %d+%d failed %d+%d", da.done, db.done, da.failed, db.failed)
	}
	if fa, fb := a.Stats().ConnectFails, b.Stats().ConnectFails; fa+fb != 2 {
		t.Fatalf("connect fails %d+%d", fa, fb)
	}
	// Each pool keeps at most MaxIdleConns (2) of what it opened.
	if a.Stats().OpenConnections > 2 || b.Stats().OpenConnections > 2 || a.Stats().InUse != 0 {
		t.Fatalf("pools after: %+v %+v", a.Stats(), b.Stats())
	}
}

// A connection refused while a request waits in connRequests: the failed
// direct connect lets maybeOpenNewConnections open one for the waiter
// (connectionOpener), and its refusal is handed to the waiter
// (putConnDBLocked(nil, err)). Both requests fail; nothing hangs.
func TestRefusedOpenerFailsWaiter(t *testing.T) {
	e := sim.NewEngine(1)
	srv := newServer(t, e, sql.ServerConfig{MaxConnections: 1})
	a := newDB(t, srv, sql.Config{MaxOpenConns: 1}, "a")
	b := newDB(t, srv, sql.Config{MaxOpenConns: 1}, "b")
	da := newDriver(e, a, "la", 0, 10*time.Millisecond)
	db := newDriver(e, b, "lb", 0, 50*time.Millisecond)
	db.startAt(0)                      // b holds the only connection from 1 ms
	da.startAt(500 * time.Microsecond) // opens, refused at 1.5 ms
	da.startAt(600 * time.Microsecond) // waits; the opener's conn is refused at 2.5 ms
	e.Run()
	as := a.Stats()
	if da.failed != 2 || da.done != 0 || db.done != 1 {
		t.Fatalf("a: done %d failed %d; b done %d", da.done, da.failed, db.done)
	}
	if as.WaitCount != 1 || as.ConnectFails != 2 || srv.Stats().Refused != 2 || as.OpenConnections != 0 {
		t.Fatalf("a %+v server %+v", as, srv.Stats())
	}
}

func TestConfigErrors(t *testing.T) {
	e := sim.NewEngine(1)
	if _, err := sql.NewServer(e, sql.ServerConfig{Workers: -1}); err == nil {
		t.Fatal("negative workers accepted")
	}
	s := newServer(t, e, sql.ServerConfig{})
	for _, cfg := range []sql.Config{{MaxOpenConns: -1}, {ConnMaxLifetime: -1}, {ConnMaxIdleTime: -time.Second}} {
		if _, err := sql.NewDB(s, cfg, "x"); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}
