package gtrace

import (
	"fmt"
	"slices"

	"github.com/gohttpsim/gohttpsim/model/goprog"
	"github.com/gohttpsim/gohttpsim/sim"
)

// Player replays recorded moves: step k is the state after every move at
// the k-th distinct instant (step 0: before the first move).
type Player struct {
	moves  []goprog.Move
	procs  int
	ng     int
	starts []int // starts[k]: index of the first move of step k+1
	times  []sim.Time

	step      int
	cur, prev []goprog.Move // each G's place at step and step-1
}

// NewPlayer prepares moves (in time order, as goprog.GTrace records them)
// of a run on procs Ps.
func NewPlayer(moves []goprog.Move, procs int) *Player {
	p := &Player{moves: moves, procs: max(procs, 1)}
	for i, m := range moves {
		if i == 0 || m.T != moves[i-1].T {
			p.starts = append(p.starts, i)
			p.times = append(p.times, m.T)
		}
		p.ng = max(p.ng, int(m.G)+1)
	}
	p.starts = append(p.starts, len(moves))
	p.reset()
	return p
}

func (p *Player) reset() {
	p.step = 0
	p.cur = make([]goprog.Move, p.ng)
	for g := range p.cur {
		p.cur[g] = goprog.Move{G: int32(g), P: -1}
	}
	p.prev = slices.Clone(p.cur)
}

// Steps returns the number of steps (distinct instants with moves).
func (p *Player) Steps() int { return len(p.times) }

// Step returns the current step.
func (p *Player) Step() int { return p.step }

// Time returns the simulated time of the current step (0 at step 0).
func (p *Player) Time() sim.Time {
	if p.step == 0 {
		return 0
	}
	return p.times[p.step-1]
}

// Seek moves to step k (clamped to [0, Steps()]): forward by applying
// moves, backward by replaying from the start.
func (p *Player) Seek(k int) {
	k = min(max(k, 0), p.Steps())
	if k < p.step {
		p.reset()
	}
	for p.step < k {
		copy(p.prev, p.cur)
		for _, m := range p.moves[p.starts[p.step]:p.starts[p.step+1]] {
			p.cur[m.G] = m
		}
		p.step++
	}
}

// Box is a rectangle of the layout: a region (G = -1) with its title, a
// caption (G = -2, text at X, Y), or a G's chip with its label.
type Box struct {
	X, Y, W, H float64
	G          int32
	Place      goprog.Place
	Label      string
}

// Layout returns the regions and the chips of the current step, for a
// w×h canvas; frac in [0, 1] is how far the chips have travelled from
// their places at the previous step.
func (p *Player) Layout(w, h, frac float64) []Box {
	g := p.geometry(w, h)
	out := slices.Clone(g.regions)
	f := frac * frac * (3 - 2*frac) // smoothstep
	tx, ty := g.places(p.cur)
	fx, fy := g.places(p.prev)
	for i, m := range p.cur {
		if m.Place == goprog.PlaceGone {
			continue
		}
		x, y := tx[i], ty[i]
		if p.prev[i].Place != goprog.PlaceGone && f < 1 {
			x, y = fx[i]+(x-fx[i])*f, fy[i]+(y-fy[i])*f
		}
		out = append(out, Box{X: x, Y: y, W: g.chipW, H: g.chipH, G: int32(i), Place: m.Place, Label: fmt.Sprintf("G%d", i)})
	}
	return out
}

// geometry is where each place is drawn on a w×h canvas.
type geometry struct {
	chipW, chipH float64
	regions      []Box
	colX, colW   []float64 // per P
	runY, nextY  float64
	qY, qH       float64 // local run queues
	glX, glY     float64 // global queue
	glW          float64
	park         [goprog.PlaceOther + 1]Box // parked places, by Place
}

const pad = 6

// The parked places, in the order they are drawn along the bottom.
var parked = []goprog.Place{goprog.PlaceTimers, goprog.PlaceNetpoll, goprog.PlaceChan, goprog.PlaceSync, goprog.PlaceRunnable, goprog.PlaceSyscall, goprog.PlaceOther}

var parkedTitle = map[goprog.Place]string{
	goprog.PlaceTimers: "timers (sleep)", goprog.PlaceNetpoll: "netpoller", goprog.PlaceChan: "blocked: chan / select",
	goprog.PlaceSync: "blocked: sync", goprog.PlaceRunnable: "runnable (in transit)", goprog.PlaceSyscall: "syscall", goprog.PlaceOther: "other",
}

func (p *Player) geometry(w, h float64) *geometry {
	g := &geometry{chipW: 38, chipH: 16}
	top := h * 0.58 // Ps above, global queue and parked places below
	colW := (w - pad) / float64(p.procs)
	for i := range p.procs {
		x := pad + float64(i)*colW
		g.colX = append(g.colX, x)
		g.colW = append(g.colW, colW-pad)
		g.regions = append(g.regions, Box{X: x, Y: pad, W: colW - pad, H: top - pad, G: -1, Label: fmt.Sprintf("P%d", i)})
	}
	g.runY = pad + 18
	g.nextY = g.runY + g.chipH + 10
	g.qY = g.nextY + g.chipH + 16
	g.qH = top - g.qY
	for i := range p.procs { // row captions (G = -2: text only)
		x := g.colX[i] + pad + g.chipW + 6
		g.regions = append(g.regions, Box{X: x, Y: g.runY, G: -2, Label: "running"},
			Box{X: x, Y: g.nextY, G: -2, Label: "runnext"}, Box{X: g.colX[i] + pad, Y: g.qY - 14, G: -2, Label: "local runq"})
	}
	gh := g.chipH + 26
	g.glX, g.glY, g.glW = pad, top+pad+16, w-2*pad
	g.regions = append(g.regions, Box{X: pad, Y: top + pad, W: w - 2*pad, H: gh, G: -1, Label: "global run queue (sched.runq)"})
	py := top + pad + gh + pad
	pw := (w - pad) / float64(len(parked))
	for i, pl := range parked {
		b := Box{X: pad + float64(i)*pw, Y: py, W: pw - pad, H: h - py - pad, G: -1, Place: pl, Label: parkedTitle[pl]}
		g.park[pl] = b
		g.regions = append(g.regions, b)
	}
	return g
}

// places returns each G's chip position in state st.
func (g *geometry) places(st []goprog.Move) (xs, ys []float64) {
	xs, ys = make([]float64, len(st)), make([]float64, len(st))
	var n [goprog.PlaceOther + 1]int
	for i, m := range st {
		switch m.Place {
		case goprog.PlaceRunning, goprog.PlaceRunnext, goprog.PlaceRunq:
			p := int(m.P)
			if p < 0 || p >= len(g.colX) {
				continue
			}
			x := g.colX[p] + pad
			switch m.Place {
			case goprog.PlaceRunning:
				xs[i], ys[i] = x, g.runY
			case goprog.PlaceRunnext:
				xs[i], ys[i] = x, g.nextY
			default:
				per := max(int((g.colW[p]-pad)/(g.chipW+3)), 1)
				xs[i] = x + float64(int(m.Pos)%per)*(g.chipW+3)
				ys[i] = g.qY + min(float64(int(m.Pos)/per)*(g.chipH+3), g.qH-g.chipH)
			}
		case goprog.PlaceGlobal:
			per := max(int(g.glW/(g.chipW+3)), 1)
			xs[i] = g.glX + pad + float64(int(m.Pos)%per)*(g.chipW+3)
			ys[i] = g.glY
		default:
			if m.Place == goprog.PlaceGone || int(m.Place) >= len(g.park) {
				continue
			}
			b := g.park[m.Place]
			per := max(int((b.W-pad)/(g.chipW+3)), 1)
			k := n[m.Place]
			n[m.Place]++
			xs[i] = b.X + pad + float64(k%per)*(g.chipW+3)
			ys[i] = b.Y + 18 + min(float64(k/per)*(g.chipH+3), b.H-18-g.chipH)
		}
	}
	return xs, ys
}
