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
	mo     Motion
	rq     []gmp.GID
}

func newGoroutines() *goroutines { return &goroutines{} }

func (g *goroutines) ID() string           { return "goroutines" }
func (g *goroutines) Slice() time.Duration { return time.Millisecond }
func (g *goroutines) Engine() *sim.Engine  { return g.e }
func (g *goroutines) advance(d time.Duration) {
	g.ticker.advance(g.e, d)
}
func (g *goroutines) lagging() bool   { return g.lag }
func (g *goroutines) motion() *Motion { return &g.mo }

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
	procs, _, err := c.Stack.Procs() // GOMAXPROCS=0 needs a host to default from
	if err != nil {
		return err
	}
	cfg := gmpload.DefaultConfig()
	cfg.Sched = c.Stack.Runtime.GMP()
	cfg.Sched.GOMAXPROCS = procs
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
	g.mo.Reset()
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

// gslot is the pitch of a goroutine disc in a queue.
const gslot = 13

func (g *goroutines) Draw(l *List, w, h float32) {
	s := g.l.Sched()
	c := g.l.Counts()
	st := s.Stats()
	g.steals = st.Steals - g.last.Steals
	g.last = st
	ms := s.Ms()
	y := wrap(l, 8, 8, w-16, fmt.Sprintf("t=%v   goroutines %d   stacks %s   connections %d   served %d", roundDur(g.e.Now().Duration()),
		c.Goroutines, bytesStr(st.StackBytes), c.Open, g.l.Stats().Completed), Ink)
	y = wrapAt(l, 8, y, w-16, fmt.Sprintf("threads %d (spinning %d, in syscall %d, idle %d)   steals %d   handoffs %d   preemptions %d",
		ms.Total, ms.Spinning, ms.Syscall, ms.Idle, st.Steals, st.Handoffs, st.Preemptions), SizeSmall, Muted)
	if g.steals > 0 {
		l.TextAt(w-8, 8, fmt.Sprintf("steal +%d", g.steals), SizeNormal, Right, Warn)
	}
	y += 8
	legH := legendHeight(w-16, KeyRunning, KeyRunnable, KeyIOWait, KeySyscall, KeyThread, KeyP)
	// The netpoller's place is fixed first: Gs that appear come from it
	// (a connection's reader woken by the poller, or a new conn's G
	// started by the accept loop after netpoll) and parked Gs go to it.
	np := s.NumP()
	cols := max(1, min(np, int((w-8)/170)))
	bw := (w-8)/float32(cols) - 8
	bh := float32(LineH + 24 + 2*gslot + 8)
	pRows := (np + cols - 1) / cols
	gy := y + float32(pRows)*(bh+8)
	ny := gy + LineH + gslot + 10
	nb := Box{8, ny, w - 16, h - ny - legH - 8}
	nx, nyc := nb.X+nb.W/2, nb.Y+min(nb.H/2, 20)
	from := func() (float32, float32) { return nx, nyc }
	placeG := func(id gmp.GID, x, yy float32, col Color) {
		fx, fy := from()
		px, py := g.mo.Place(EntKey(EntG, int64(id)), x, yy, fx, fy)
		l.Circle(px, py, 5, col)
	}

	// Ps: a rounded outline, its M (a thread) when it has one, the G on
	// it, runnext, then the local run queue in order.
	for i := range np {
		p := s.P(gmp.PID(i))
		x := 8 + float32(i%cols)*(bw+8)
		by := y + float32(i/cols)*(bh+8)
		l.RoundRect(x, by, bw, bh, 6, Panel)
		state, sc := "idle", Muted
		switch {
		case p.Status == gmp.PSyscall:
			state, sc = "in syscall (handed off)", Syscall
		case p.Curg != gmp.NoG:
			state, sc = "running", Running
		case p.Spinning:
			state, sc = "spinning", Runnable
		}
		l.Prims = append(l.Prims, Prim{Kind: PrimStroke, C: Proc, X: x, Y: by, W: bw, H: bh, R: 2})
		l.TextAt(x+8, by+4, fmt.Sprintf("P%d", i), SizeNormal, Left, Ink)
		l.TextAt(x+34, by+5, state, SizeSmall, Left, sc)
		if p.Curg != gmp.NoG || p.Spinning || p.Status == gmp.PSyscall {
			// The M running this P.
			l.LineW(x+bw-22, by+14, x+bw-10, by+6, 3, Thread)
		}
		cy := by + LineH + 14
		l.Ring(x+16, cy, 8, 1.5, Muted)
		l.TextAt(x+16, cy+10, "on P", SizeSmall, Center, Muted)
		l.Ring(x+48, cy, 7, 1, Idle)
		l.TextAt(x+48, cy+10, "next", SizeSmall, Center, Muted)
		if p.Curg != gmp.NoG {
			col := Running
			if p.Status == gmp.PSyscall {
				col = Syscall
			}
			placeG(p.Curg, x+16, cy, col)
		}
		if p.Runnext != gmp.NoG {
			placeG(p.Runnext, x+48, cy, Runnable)
		}
		// Local run queue, head first, as far as it fits in two rows.
		qx := x + 70
		per := max(1, int((x+bw-8-qx)/gslot))
		g.rq = s.RunqAppend(gmp.PID(i), g.rq[:0])
		shown := min(len(g.rq), 2*per-1)
		for k, id := range g.rq[:shown] {
			placeG(id, qx+float32(k%per)*gslot+5, cy-6+float32(k/per)*gslot, Runnable)
		}
		if len(g.rq) > shown {
			l.TextAt(x+bw-6, cy+1, fmt.Sprintf("+%d", len(g.rq)-shown), SizeSmall, Right, Ink)
		}
		l.TextAt(qx, by+bh-SizeSmall-5, fmt.Sprintf("runq %d/256", len(g.rq)), SizeSmall, Left, Muted)
	}

	// The global run queue, head first.
	g.rq = s.GlobalRunqAppend(g.rq[:0])
	l.TextAt(8, gy, fmt.Sprintf("global run queue  %d", len(g.rq)), SizeNormal, Left, Ink)
	per := max(1, int((w-16-150)/gslot))
	shown := min(len(g.rq), per-1)
	for k, id := range g.rq[:shown] {
		placeG(id, 150+float32(k)*gslot+5, gy+8, Runnable)
	}
	if len(g.rq) > shown {
		l.TextAt(w-8, gy, fmt.Sprintf("+%d", len(g.rq)-shown), SizeSmall, Right, Ink)
	}

	// The netpoller: one dot per goroutine parked in IO wait.
	l.RoundRect(nb.X, nb.Y-LineH-4, nb.W, nb.H+LineH+4, 6, Panel)
	l.TextAt(nb.X+8, nb.Y-LineH, fmt.Sprintf("netpoller: %d goroutines parked waiting on I/O   listen backlog %d", c.NetWait, c.Backlog), SizeNormal, Left, Ink)
	rows := int((nb.H - 8) / DotPitch)
	dper := int((nb.W - 16) / DotPitch)
	capDots := max(0, rows*dper)
	l.Dots(nb.X+8, nb.Y+4, nb.W-16, min(c.NetWait, capDots), Waiting)
	if c.NetWait > capDots && capDots > 0 {
		l.TextAt(nb.X+nb.W-8, nb.Y+nb.H-LineH, fmt.Sprintf("+%d more", c.NetWait-capDots), SizeSmall, Right, Ink)
	}
	// Gs that left the Ps and queues: to the netpoller (parked on their
	// connection) or gone.
	g.mo.End(func(uint64) (float32, float32, bool) { return nx, nyc, true },
		func(_ uint64, x, y float32) { l.Circle(x, y, 5, Waiting) })
	legend(l, 8, h-legH-4, w-16, KeyRunning, KeyRunnable, KeyIOWait, KeySyscall, KeyThread, KeyP)
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
