package scene

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/model/gmpload"
	"github.com/gohttpsim/gohttpsim/model/scenarios"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// goroutines is section 1, one goroutine per connection, on the scheduler
// model: model/gmpload's accept loop and conn.serve goroutines on
// model/gmp's Ps, run queues, runnext, global queue and netpoller. A click
// makes connections arrive now (gmpload.Load.Inject); GOMAXPROCS and the
// load rebuild the run.
type goroutines struct {
	ticker
	e      *sim.Engine
	l      *gmpload.Load
	boxes  []Box
	last   gmp.Stats // at the previous Draw, for per-frame deltas
	steals uint64    // steals seen in the last frame
}

func newGoroutines() *goroutines { return &goroutines{} }

func (g *goroutines) ID() string           { return "goroutines" }
func (g *goroutines) Slice() time.Duration { return time.Millisecond }
func (g *goroutines) Engine() *sim.Engine  { return g.e }
func (g *goroutines) advance(d time.Duration) {
	g.ticker.advance(g.e, d)
}
func (g *goroutines) lagging() bool { return g.lag }

var goroutinesControls = fromRegistry("goroutines", []Control{
	{Key: "GOMAXPROCS", Label: "GOMAXPROCS", Kind: Slider, Default: "4", Step: 1},
	{Key: "session.rate", Label: "new connections/s", Kind: Slider, Default: "200", Step: 100},
	{Key: "handler.cpu", Label: "handler CPU", Kind: Select, Default: "exp(7us)", Options: []string{"exp(7us)", "exp(50us)", "exp(500us)", "exp(5ms)"}},
	{Key: "client.think", Label: "client think time", Kind: Select, Default: "exp(100ms)", Options: []string{"exp(10ms)", "exp(100ms)", "exp(1s)", "exp(10s)"}},
	{Key: "conn.requests", Label: "requests per connection", Kind: Slider, Default: "10", Step: 1},
})

func (g *goroutines) Controls() []Control { return goroutinesControls }

// Build constructs model/gmpload directly, the scheduler-level picture
// whose Inject is what a click does; its keys and checks are the
// `goroutines` scenario's (which, since it moved onto the full HTTP stack,
// is the CLI's version of this section). The page runs until reset.
func (g *goroutines) Build(seed uint64, vals map[string]string) error {
	sc := scenario.Lookup("goroutines")
	p, err := parseControls(sc.Params, goroutinesControls, vals)
	if err != nil {
		return err
	}
	c, err := scenario.ConfigOf[scenarios.GoroutinesConfig](sc, p)
	if err != nil {
		return err
	}
	cfg := gmpload.DefaultConfig()
	cfg.Sched = c.Stack.Runtime.GMP()
	cfg.Rate = c.Stack.Session.Rate
	cfg.Requests = c.ConnRequests
	cfg.HandlerCPU = c.Stack.Handler.CPU
	cfg.Think = c.ClientThink
	e := sim.NewEngine(seed)
	l, err := gmpload.New(e, cfg)
	if err != nil {
		return err
	}
	g.e, g.l = e, l
	g.ticker.reset()
	g.last, g.steals = gmp.Stats{}, 0
	return nil
}

// MaxSpawn bounds one spawn action (the page's "hold to spawn" repeats it).
const MaxSpawn = 100_000

func (g *goroutines) Action(name, arg string) error {
	switch name {
	case "spawn":
		n := 10
		if arg != "" {
			v, err := strconv.Atoi(arg)
			if err != nil || v < 1 || v > MaxSpawn {
				return fmt.Errorf("spawn: want a count in [1, %d], got %q", MaxSpawn, arg)
			}
			n = v
		}
		g.l.Inject(n)
		return nil
	}
	return fmt.Errorf("section goroutines has no action %q (valid: spawn)", name)
}

// Click anywhere spawns ten connections: the reference's "click to spawn".
func (g *goroutines) Click(x, y float32) bool {
	g.l.Inject(10)
	return true
}

func (g *goroutines) State() map[string]any {
	c := g.l.Counts()
	s := g.l.Sched().Stats()
	m := g.l.Sched().Ms()
	ps := make([]map[string]any, g.l.Sched().NumP())
	for i := range ps {
		p := g.l.Sched().P(gmp.PID(i))
		ps[i] = map[string]any{"status": p.Status.String(), "curg": int(p.Curg), "runnext": int(p.Runnext), "runq": p.RunqLen, "spinning": p.Spinning}
	}
	return map[string]any{
		"goroutines": c.Goroutines, "running": c.Running, "runnable": c.Runnable, "netwait": c.NetWait,
		"open": c.Open, "backlog": c.Backlog, "global_runq": g.l.Sched().GlobalRunqLen(),
		"stack_bytes": s.StackBytes, "steals": s.Steals, "handoffs": s.Handoffs, "created": s.Created,
		"completed": g.l.Stats().Completed, "ms": m.Total, "ms_spinning": m.Spinning, "ms_syscall": m.Syscall,
		"ps": ps,
	}
}

func (g *goroutines) Draw(l *List, w, h float32) {
	s := g.l.Sched()
	c := g.l.Counts()
	st := s.Stats()
	g.steals = st.Steals - g.last.Steals
	g.last = st
	ms := s.Ms()
	y := wrap(l, 8, 8, w-16, fmt.Sprintf("t=%v  goroutines %d  stacks %s  conns %d  served %d", roundDur(g.e.Now().Duration()),
		c.Goroutines, bytesStr(st.StackBytes), c.Open, g.l.Stats().Completed), Ink)
	y = wrap(l, 8, y, w-16, fmt.Sprintf("Ms %d (spinning %d, syscall %d, idle %d)  steals %d  handoffs %d  preemptions %d",
		ms.Total, ms.Spinning, ms.Syscall, ms.Idle, st.Steals, st.Handoffs, st.Preemptions), Muted)
	if g.steals > 0 {
		l.Text(w-8-float32(CharW*len("steal! +00")), 8, fmt.Sprintf("steal! +%d", g.steals), Warn)
	}
	y += 6

	// Ps: status, the G on it, runnext and the local run queue.
	np := s.NumP()
	cols := max(1, min(np, int((w-8)/150)))
	bw := (w-8)/float32(cols) - 8
	bh := float32(LineH*2 + 40)
	for i := range np {
		p := s.P(gmp.PID(i))
		x := 8 + float32(i%cols)*(bw+8)
		by := y + float32(i/cols)*(bh+8)
		l.Rect(x, by, bw, bh, Panel)
		border := Idle
		switch {
		case p.Status == gmp.PSyscall:
			border = Syscall
		case p.Curg != gmp.NoG:
			border = Running
		case p.Spinning:
			border = Runnable
		}
		l.Frame(x, by, bw, bh, border)
		state := "idle"
		switch {
		case p.Status == gmp.PSyscall:
			state = "syscall"
		case p.Curg != gmp.NoG:
			state = "running"
		case p.Spinning:
			state = "spinning"
		}
		l.Text(x+4, by+2, fmt.Sprintf("P%d %s", i, state), Ink)
		// curg and runnext slots
		l.Rect(x+4, by+LineH+4, 14, 14, slotColor(p.Curg, Running))
		l.Rect(x+22, by+LineH+4, 14, 14, slotColor(p.Runnext, Runnable))
		l.Text(x+40, by+LineH+3, gname("run ", p.Curg)+"  "+gname("next ", p.Runnext), Muted)
		// local runq as small squares (the ring holds 256)
		qy := by + 2*LineH + 8
		per := int((bw - 8) / DotPitch)
		l.Dots(x+4, qy, bw-8, min(p.RunqLen, 2*per), Runnable)
		l.Text(x+4, qy+12, fmt.Sprintf("runq %d/256", p.RunqLen), Muted)
	}
	y += float32((np+cols-1)/cols) * (bh + 8)

	// Global run queue.
	gq := s.GlobalRunqLen()
	l.Text(8, y, fmt.Sprintf("global runq %d", gq), Ink)
	per := int((w - 158) / DotPitch)
	l.Dots(150, y+5, w-158, min(gq, per), Runnable)
	y += LineH + 6

	// The netpoller: one dot per goroutine parked in IO wait.
	y = wrap(l, 8, y, w-16, fmt.Sprintf("netpoller: %d goroutines parked in IO wait (listen backlog %d)", c.NetWait, c.Backlog), Ink)
	y += 2
	legendH := float32(LineH + 8)
	rows := int((h - y - legendH) / DotPitch)
	per = int((w - 16) / DotPitch)
	capDots := max(0, rows*per)
	l.Dots(8, y, w-16, min(c.NetWait, capDots), Waiting)
	if c.NetWait > capDots && capDots > 0 {
		l.Text(w-120, h-legendH-LineH, fmt.Sprintf("+%d more", c.NetWait-capDots), Muted)
	}
	legend(l, 8, h-LineH-4, []legendItem{{Running, "running"}, {Runnable, "runnable"}, {Waiting, "IO wait"}, {Syscall, "syscall"}})
}

func slotColor(g gmp.GID, c Color) Color {
	if g == gmp.NoG {
		return Idle
	}
	return c
}

// gname labels a G slot: "run G12", or "run -" when empty.
func gname(prefix string, g gmp.GID) string {
	if g == gmp.NoG {
		return prefix + "-"
	}
	return prefix + "G" + strconv.Itoa(int(g))
}
