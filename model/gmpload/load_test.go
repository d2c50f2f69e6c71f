package gmpload

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
)

func run(t *testing.T, cfg Config, d time.Duration, seed uint64) *Load {
	t.Helper()
	e := sim.NewEngine(seed)
	l, err := New(e, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(sim.Time(d))
	return l
}

// The connections form an M/G/∞ system: the number open at a time is
// Poisson with mean rate × E[lifetime], the lifetime being Requests think
// times plus (negligible here) service times.
func TestOpenConnsMGInfinity(t *testing.T) {
	cfg := DefaultConfig()
	l := run(t, cfg, 5*time.Second, 3)
	c := l.Counts()
	mean := cfg.Rate * float64(cfg.Requests) * cfg.Think.Mean() / 1e9 // 1000
	if sd := math.Sqrt(mean); math.Abs(float64(c.Open)-mean) > 5*sd {
		t.Errorf("open connections %d, want %v ± %.0f", c.Open, mean, 5*sd)
	}
	// Every open connection has its goroutine; one more is the accept loop.
	if c.Goroutines != c.Open+1 {
		t.Errorf("goroutines %d, want open+1 = %d", c.Goroutines, c.Open+1)
	}
	// Most wait on the netpoller: the CPU load is 10k req/s × ~10 µs.
	if frac := float64(c.NetWait) / float64(c.Goroutines); frac < 0.95 {
		t.Errorf("only %.2f of goroutines in IO wait", frac)
	}
	st := l.Stats()
	if want := cfg.Rate * float64(cfg.Requests); st.ThroughputRPS < 0.7*want || st.ThroughputRPS > 1.05*want {
		t.Errorf("throughput %.0f/s, want a little under %.0f/s (the first second ramps up)", st.ThroughputRPS, want)
	}
}

// Utilisation is the offered CPU: requests/s × (handler + write + the
// scheduler's per-request overheads), well inside [offered, offered+5%].
func TestUtilisationOffered(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Sched.GOMAXPROCS = 1
	cfg.HandlerCPU = dist.Const{V: float64(50 * time.Microsecond)}
	l := run(t, cfg, 10*time.Second, 5)
	st := l.Stats()
	offered := st.ThroughputRPS * float64(50*time.Microsecond+cfg.Write) / 1e9
	if st.UtilMean < offered || st.UtilMean > offered+0.05 {
		t.Errorf("utilisation %.3f, offered %.3f", st.UtilMean, offered)
	}
	// Above capacity (1 P, 50k req/s × 53 µs) the P saturates once the
	// first few hundred connections are in, and the run queue and the
	// latency grow without bound.
	cfg.Rate = 5000
	l = run(t, cfg, 3*time.Second, 5)
	st2 := l.Stats()
	if st2.UtilMean < 0.95 || st2.Sched.RunqMean < 10*st.Sched.RunqMean || st2.LatencyP99 < 100*st.LatencyP99 {
		t.Errorf("overload: util %.3f runq %.1f p99 %v (underload runq %.3f p99 %v)",
			st2.UtilMean, st2.Sched.RunqMean, st2.LatencyP99, st.Sched.RunqMean, st.LatencyP99)
	}
}

// Inject on an idle server: every injected client is served Requests times
// and its goroutine exits; only the accept loop is left, parked on the
// listener, and the dead Gs are reused by the next burst.
func TestInjectBursts(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Rate = 0
	cfg.Sched.GOMAXPROCS = 2
	e := sim.NewEngine(1)
	l, err := New(e, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(sim.Time(time.Millisecond))
	l.Inject(100)
	e.RunUntil(e.Now().Add(time.Millisecond))
	c := l.Counts()
	if c.Goroutines != 101 || c.Open != 100 {
		t.Fatalf("after Inject(100): %+v", c)
	}
	// Conn goroutines grew to 8 KiB; the accept loop has 2 KiB.
	if got, want := l.Stats().Sched.StackBytes, int64(100*DefaultStack+2048); got != want {
		t.Errorf("stack bytes %d, want %d", got, want)
	}
	e.RunUntil(e.Now().Add(10 * time.Second))
	st := l.Stats()
	if c := l.Counts(); c.Goroutines != 1 || c.Open != 0 || c.NetWait != 1 || st.Completed != 100*uint64(cfg.Requests) {
		t.Fatalf("after the burst: %+v, completed %d", c, st.Completed)
	}
	l.Inject(50)
	e.RunUntil(e.Now().Add(10 * time.Second))
	st = l.Stats()
	if st.Sched.Created != 151 || st.Sched.Reused != 50 || st.Sched.GoroutinesPeak != 101 || st.Completed != 150*uint64(cfg.Requests) {
		t.Errorf("second burst: created %d reused %d peak %d completed %d", st.Sched.Created, st.Sched.Reused, st.Sched.GoroutinesPeak, st.Completed)
	}
	for i := range l.NumConnSlots() {
		if v := l.Conn(i); v.State != ConnClosed {
			t.Errorf("conn %d: %+v", i, v)
		}
	}
}

// A burst bigger than one P's ring shows the scheduler at work: the accept
// loop's go statements fill its runnext and ring, idle Ps steal.
func TestBurstSpreadsOverPs(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Rate = 0
	cfg.HandlerCPU = dist.Const{V: float64(200 * time.Microsecond)}
	e := sim.NewEngine(2)
	l, _ := New(e, cfg)
	e.RunUntil(sim.Time(time.Millisecond))
	l.Inject(2000)
	e.RunUntil(e.Now().Add(50 * time.Millisecond))
	st := l.Stats()
	if st.Sched.Steals == 0 {
		t.Error("no steals")
	}
	for i := range l.Sched().NumP() {
		if l.Sched().P(gmp.PID(i)).Busy == 0 {
			t.Errorf("P%d never ran", i)
		}
	}
}

func TestBadConfig(t *testing.T) {
	for _, mod := range []func(*Config){
		func(c *Config) { c.Sched.GOMAXPROCS = 5000 },
		func(c *Config) { c.Rate = -1 },
		func(c *Config) { c.Rate = math.NaN() },
		func(c *Config) { c.Requests = -2 },
		func(c *Config) { c.Stack = -1 },
		func(c *Config) { c.Write = -time.Second },
	} {
		cfg := DefaultConfig()
		mod(&cfg)
		if _, err := New(sim.NewEngine(1), cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: err %v, want ErrConfig", cfg, err)
		}
	}
}

func TestDeterministic(t *testing.T) {
	d := func(seed uint64) uint64 {
		return run(t, DefaultConfig(), time.Second, seed).e.Digest()
	}
	if a, b, c := d(1), d(1), d(2); a != b || a == c {
		t.Errorf("digests %x %x %x", a, b, c)
	}
}

// In steady state the load and the scheduler allocate nothing per request
// (the connection table, the listen queue and the G table are reused).
func TestSteadyStateAllocs(t *testing.T) {
	e := sim.NewEngine(1)
	l, err := New(e, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(sim.Time(3 * time.Second))
	before := l.Stats().Completed
	allocs := testing.AllocsPerRun(20, func() { e.RunUntil(e.Now().Add(10 * time.Millisecond)) })
	if n := l.Stats().Completed - before; n < 1000 {
		t.Fatalf("only %d requests in the measured span", n)
	}
	if allocs != 0 {
		t.Errorf("%v allocations per 10ms (~100 requests), want 0", allocs)
	}
}
