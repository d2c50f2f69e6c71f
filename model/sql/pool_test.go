package sql_test

import (
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/model/handler"
	"github.com/gohttpsim/gohttpsim/model/sql"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
)

// dbProg runs one request of a db handler per G and records when each
// finished and with which status.
type dbProg struct {
	r      *handler.Runner
	finish []sim.Time
	status []int
}

func (p *dbProg) Step(s *gmp.Sched, gp gmp.GID, arg int64) gmp.Action {
	if arg < 0 {
		x := p.r.Start(gp, 0)
		s.SetArg(gp, int64(x))
		arg = int64(x)
	}
	a, done := p.r.Step(int32(arg))
	if !done {
		return a
	}
	p.finish = append(p.finish, s.Now())
	p.status = append(p.status, p.r.Exec(int32(arg)).Status())
	p.r.Finish(int32(arg))
	return gmp.Exit()
}

func dbRig(t *testing.T, cfg sql.Config, workers int, timeout time.Duration, n int) (*sql.DB, *dbProg) {
	t.Helper()
	e := sim.NewEngine(1)
	s := gmp.New(e, gmp.Config{GOMAXPROCS: 4})
	db := newDB(t, newServer(t, e, sql.ServerConfig{Workers: workers, ConnectTime: time.Millisecond}), cfg, "handler/db")
	h := &handler.Handler{Ops: []handler.Op{{Kind: handler.OpDB, D: dist.Const{V: float64(10 * time.Millisecond)}}}, Timeout: timeout}
	p := &dbProg{r: handler.NewRunner(s, h, db, nil)}
	for range n {
		s.Go(p, -1)
	}
	e.Run()
	return db, p
}

// Ten concurrent 10 ms queries with MaxOpenConns=2 run two at a time: the
// last finishes after five rounds, eight of them waited, and two idle
// connections stay open (MaxIdleConns=2).
func TestDBPoolLimits(t *testing.T) {
	db, p := dbRig(t, sql.Config{MaxOpenConns: 2}, 0, 0, 10)
	st := db.Stats()
	last := p.finish[len(p.finish)-1]
	if len(p.finish) != 10 || last < sim.Time(51*time.Millisecond) || last > sim.Time(52*time.Millisecond) {
		t.Fatalf("%d finished, last at %v", len(p.finish), last)
	}
	if st.WaitCount != 8 || st.OpenConnections != 2 || st.Idle != 2 || st.Opened != 2 || st.InUsePeak != 2 {
		t.Fatalf("%+v", st)
	}
	// Both connections are in use (opening, then querying back to back)
	// from 0 to their last query's end: ∫ InUse dt ≈ 2 × 51 ms.
	if d := st.InUseTime - 102*time.Millisecond; d < 0 || d > time.Millisecond {
		t.Fatalf("InUseTime %v, want 102 ms", st.InUseTime)
	}
}

// Unlimited MaxOpenConns opens one connection per concurrent query; only
// MaxIdleConns (2) survive, the rest are closed on release.
func TestDBMaxIdleCloses(t *testing.T) {
	db, _ := dbRig(t, sql.Config{}, 0, 0, 10)
	st := db.Stats()
	if st.Opened != 10 || st.OpenConnections != 2 || st.MaxIdleClosed != 8 {
		t.Fatalf("%+v", st)
	}
}

// A saturated database queues queries: 10 queries on 2 workers take five
// rounds even with ten connections.
func TestDBWorkersSaturate(t *testing.T) {
	_, p := dbRig(t, sql.Config{}, 2, 0, 10)
	// (plus the scheduler model's wake-up costs, a few µs)
	if last := p.finish[len(p.finish)-1]; last < sim.Time(51*time.Millisecond) || last > sim.Time(51100*time.Microsecond) {
		t.Fatalf("last at %v, want 51ms", last)
	}
}

// A 15 ms context deadline cancels waiting and running queries: with one
// connection, the first query (10 ms) completes, the second is cancelled
// mid-query at 15 ms (its slot returns), and the rest never get a
// connection before 15 ms; all those answer 503 at the deadline.
func TestDBDeadlineCancels(t *testing.T) {
	db, p := dbRig(t, sql.Config{MaxOpenConns: 1}, 0, 15*time.Millisecond, 5)
	ok, cancelled := 0, 0
	for i, st := range p.status {
		switch st {
		case 200:
			ok++
		case 503:
			cancelled++
			if d := p.finish[i] - sim.Time(15*time.Millisecond); d < 0 || d > sim.Time(100*time.Microsecond) {
				t.Fatalf("503 at %v, want at the deadline", p.finish[i])
			}
		}
	}
	if ok != 1 || cancelled != 4 || db.Stats().Cancelled != 4 {
		t.Fatalf("ok %d cancelled %d stats %+v", ok, cancelled, db.Stats())
	}
	if st := db.Stats(); st.InUse != 0 || st.OpenConnections != 1 {
		t.Fatalf("pool after cancellations: %+v", st)
	}
}

// ConnMaxIdleTime = 5 s: a connection returned at 2 ms is closed by
// connectionCleaner, which first wakes 5 s after the return (the conn is
// then exactly 5 s idle, not yet "before" idleSince) and again 1 s later
// (minInterval): at 5.002 s + 1 s.
func TestConnMaxIdleTimeCleaner(t *testing.T) {
	e := sim.NewEngine(1)
	db := newDB(t, newServer(t, e, sql.ServerConfig{ConnectTime: time.Millisecond}), sql.Config{ConnMaxIdleTime: 5 * time.Second}, "a")
	d := newDriver(e, db, "l", 0, time.Millisecond)
	d.mean = float64(time.Millisecond)
	d.start()
	e.RunUntil(sim.Time(6001 * time.Millisecond))
	if st := db.Stats(); st.OpenConnections != 1 || st.Idle != 1 {
		t.Fatalf("at 6.001 s: %+v", st)
	}
	e.RunUntil(sim.Time(6100 * time.Millisecond))
	if st := db.Stats(); st.OpenConnections != 0 || st.MaxIdleTimeClosed != 1 {
		t.Fatalf("at 6.1 s: %+v", st)
	}
	e.Run() // the cleaner's next round (5 s later) finds nothing open and stops
	if e.Now() > sim.Time(12*time.Second) {
		t.Fatalf("cleaner still running at %v", e.Now())
	}
}

// ConnMaxLifetime = 10 ms: a connection created at 1 ms and idle since
// 2 ms is expired at 12 ms; DB.conn closes it (driver.ErrBadConn) and the
// retry opens a new one. One returned after its lifetime is closed by
// putConn instead of kept.
func TestConnMaxLifetime(t *testing.T) {
	e := sim.NewEngine(1)
	db := newDB(t, newServer(t, e, sql.ServerConfig{ConnectTime: time.Millisecond}), sql.Config{ConnMaxLifetime: 10 * time.Millisecond}, "a")
	d := newDriver(e, db, "l", 0, time.Microsecond)
	d.startAt(0)
	d.startAt(12 * time.Millisecond)
	e.RunUntil(sim.Time(20 * time.Millisecond))
	st := db.Stats()
	if st.Opened != 2 || st.MaxLifetimeClosed != 1 || st.OpenConnections != 1 || d.done != 2 {
		t.Fatalf("%+v done %d", st, d.done)
	}
	// A 30 ms query outlives the lifetime: putConn closes the conn.
	d.mean = float64(30 * time.Millisecond)
	d.startAt(21 * time.Millisecond)
	e.RunUntil(sim.Time(300 * time.Millisecond))
	if st := db.Stats(); st.MaxLifetimeClosed < 2 || st.OpenConnections != 0 {
		t.Fatalf("%+v", st)
	}
}

// Same seed, same pools and load: the same counters.
func TestDeterministic(t *testing.T) {
	run := func() [2]sql.DBStats {
		e := sim.NewEngine(5)
		srv := newServer(t, e, sql.ServerConfig{Workers: 3, MaxConnections: 10})
		var out [2]sql.DBStats
		var dbs [2]*sql.DB
		for i := range dbs {
			dbs[i] = newDB(t, srv, sql.Config{MaxOpenConns: 4, ConnMaxIdleTime: time.Second}, []string{"p0", "p1"}[i])
			newDriver(e, dbs[i], []string{"l0", "l1"}[i], 700, 2*time.Millisecond)
		}
		e.RunUntil(sim.Time(5 * time.Second))
		for i := range dbs {
			out[i] = dbs[i].Stats()
		}
		return out
	}
	a, b := run(), run()
	if a != b {
		t.Fatalf("%+v\n%+v", a, b)
	}
	if a[0].WaitCount == 0 || a[0].Queries == 0 {
		t.Fatalf("the load should make requests wait: %+v", a[0])
	}
}

// Steady state allocates nothing per event: connections, waiters and
// queued queries are values in reused slices.
func TestNoAllocsSteadyState(t *testing.T) {
	e := sim.NewEngine(3)
	srv := newServer(t, e, sql.ServerConfig{Workers: 3, MaxConnections: 8})
	db := newDB(t, srv, sql.Config{MaxOpenConns: 4, ConnMaxLifetime: 50 * time.Millisecond, ConnMaxIdleTime: 20 * time.Millisecond}, "p")
	newDriver(e, db, "l", 1200, 2*time.Millisecond)
	e.RunUntil(sim.Time(2 * time.Second)) // grow every slice
	now := e.Now()
	allocs := testing.AllocsPerRun(20, func() {
		now += sim.Time(10 * time.Millisecond)
		e.RunUntil(now)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per 10 ms of simulated load", allocs)
	}
}

// A deadline that fires after a query (or connect, or grant) ended but
// before the handler's goroutine ran: the connection must still go back to
// the pool. Deadlines are swept across that window, a few µs wide.
func TestDeadlineAfterQueryReturnsConn(t *testing.T) {
	for dl := 10900 * time.Microsecond; dl <= 11200*time.Microsecond; dl += time.Microsecond {
		db, p := dbRig(t, sql.Config{MaxOpenConns: 1}, 0, dl, 3)
		if st := db.Stats(); st.InUse != 0 || len(p.finish) != 3 {
			t.Fatalf("timeout %v: %d finished, pool %+v", dl, len(p.finish), st)
		}
	}
}
