package handler

import (
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
)

func TestParseSequence(t *testing.T) {
	h, err := ParseSequence("cpu(5us)+alloc(4KiB)+db(exp(2ms)) + sleep(uniform(1ms,2ms))+cpu(1us)")
	if err == nil {
		t.Fatal("alloc(4KiB) is not a number ParseDist accepts; want an error")
	}
	h, err = ParseSequence("cpu(5us)+alloc(4096)+db(exp(2ms)) + sleep(uniform(1ms,2ms))+cpu(1us)")
	if err != nil {
		t.Fatal(err)
	}
	kinds := []OpKind{OpCPU, OpDB, OpSleep, OpCPU}
	if len(h.Ops) != len(kinds) {
		t.Fatalf("%d ops", len(h.Ops))
	}
	for i, k := range kinds {
		if h.Ops[i].Kind != k {
			t.Fatalf("op %d is %v, want %v", i, h.Ops[i].Kind, k)
		}
	}
	if h.MeanCPU() != 6*time.Microsecond || h.MeanAlloc() != 4096 {
		t.Fatalf("mean CPU %v alloc %v", h.MeanCPU(), h.MeanAlloc())
	}
	for _, bad := range []string{"", "cpu", "cpu(5us", "gpu(1)", "alloc(5)", "cpu(x)", "db(exp(1,2))"} {
		if _, err := ParseSequence(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzParseSequence(f *testing.F) {
	for _, s := range []string{"cpu(5us)+db(exp(2ms))", "sleep(1ms)", "cpu(1)+alloc(2)", "((+)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseSequence(s)
		if err == nil && len(h.Ops) == 0 {
			t.Fatal("no error and no ops")
		}
	})
}

func TestNewKindsAndMiddleware(t *testing.T) {
	for _, k := range []string{"hello", "json", "db", "sleep"} {
		h, err := New(k, nil)
		if err != nil || len(h.Ops) == 0 {
			t.Fatalf("%s: %v", k, err)
		}
		n := len(h.Ops)
		h.WithMiddleware(3, dist.Const{V: 1000})
		if len(h.Ops) != n+3 || h.Ops[0].Kind != OpCPU {
			t.Fatalf("%s: middleware not in front", k)
		}
	}
	if _, err := New("grpc", nil); err == nil {
		t.Fatal("unknown kind accepted")
	}
}

// dbProg runs one request of a db handler per G and records when each
// finished and with which status.
type dbProg struct {
	r      *Runner
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

func dbRig(t *testing.T, cfg DBConfig, timeout time.Duration, n int) (*DB, *dbProg) {
	t.Helper()
	e := sim.NewEngine(1)
	s := gmp.New(e, gmp.Config{GOMAXPROCS: 4})
	db, err := NewDB(e, cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{Ops: []Op{{Kind: OpDB, D: dist.Const{V: float64(10 * time.Millisecond)}}}, Timeout: timeout}
	p := &dbProg{r: NewRunner(s, h, db, nil)}
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
	db, p := dbRig(t, DBConfig{MaxOpenConns: 2, ConnectTime: time.Millisecond}, 0, 10)
	st := db.Stats()
	last := p.finish[len(p.finish)-1]
	if len(p.finish) != 10 || last < sim.Time(51*time.Millisecond) || last > sim.Time(52*time.Millisecond) {
		t.Fatalf("%d finished, last at %v", len(p.finish), last)
	}
	if st.WaitCount != 8 || st.OpenConnections != 2 || st.Idle != 2 || st.Opened != 2 {
		t.Fatalf("%+v", st)
	}
}

// Unlimited MaxOpenConns opens one connection per concurrent query; only
// MaxIdleConns (2) survive, the rest are closed on release.
func TestDBMaxIdleCloses(t *testing.T) {
	db, _ := dbRig(t, DBConfig{}, 0, 10)
	st := db.Stats()
	if st.Opened != 10 || st.OpenConnections != 2 || st.MaxIdleClosed != 8 {
		t.Fatalf("%+v", st)
	}
}

// A saturated database queues queries: 10 queries on 2 workers take five
// rounds even with ten connections.
func TestDBWorkersSaturate(t *testing.T) {
	_, p := dbRig(t, DBConfig{Workers: 2, ConnectTime: time.Millisecond}, 0, 10)
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
	db, p := dbRig(t, DBConfig{MaxOpenConns: 1, ConnectTime: time.Millisecond}, 15*time.Millisecond, 5)
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

func TestDBConfigErrors(t *testing.T) {
	if _, err := NewDB(sim.NewEngine(1), DBConfig{MaxOpenConns: -1}); err == nil {
		t.Fatal("no error")
	}
}
