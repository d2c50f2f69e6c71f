package scene

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// App is the whole page's simulation state: six sections, the one in view,
// the seed, the speed and play/pause. The painter calls Tick once per frame
// and Draw to get the display list. Not safe for concurrent use.
type App struct {
	secs   []Section
	vals   []map[string]string // raw parameter values per section (non-default only)
	built  []bool
	ticks  []uint64 // ticks run since the section's last Build
	cur    int
	seed   uint64
	speed  float64
	paused bool
	list   List
	w, h   float32
	tween  int // frames a move takes (0: the Motion default)
}

// mover is a section that tracks where it draws its entities.
type mover interface{ motion() *Motion }

// SetTweenFrames sets how many drawn frames a move takes (the page draws
// 60 frames per second; a GIF fewer).
func (a *App) SetTweenFrames(n int) { a.tween = n }

// Positions returns where the section in view drew its moving entities in
// the last frame, and the path each is on (read-only; for the browser
// tests and the page).
func (a *App) Positions() []EntityPos {
	if m, ok := a.secs[a.cur].(mover); ok {
		return m.motion().Positions(nil)
	}
	return nil
}

// Speed bounds: a tick advances Slice×speed of simulated time.
const (
	MinSpeed = 0.01
	MaxSpeed = 1000
)

// ErrBadFragment wraps fragment parsing errors.
var ErrBadFragment = errors.New("scene: bad URL fragment")

// NewApp returns the page with its six sections, seed 1, speed 1, playing,
// the first section in view. Sections are built on first use.
func NewApp() *App {
	secs := []Section{newGoroutines(), newProtocols(), newPool(), newThroughput(), newTimeouts(), newRouting()}
	a := &App{secs: secs, vals: make([]map[string]string, len(secs)), built: make([]bool, len(secs)),
		ticks: make([]uint64, len(secs)), seed: 1, speed: 1}
	for i := range a.vals {
		a.vals[i] = map[string]string{}
	}
	return a
}

// IDs returns the section ids in page order.
func (a *App) IDs() []string {
	out := make([]string, len(a.secs))
	for i, s := range a.secs {
		out[i] = s.ID()
	}
	return out
}

func (a *App) index(id string) (int, error) {
	for i, s := range a.secs {
		if s.ID() == id || strconv.Itoa(i+1) == id {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown section %q (valid: %s)", id, strings.Join(a.IDs(), ", "))
}

// Current returns the section in view.
func (a *App) Current() Section { return a.secs[a.cur] }

func (a *App) ensure(i int) error {
	if a.built[i] {
		return nil
	}
	if err := a.secs[i].Build(a.seed, a.vals[i]); err != nil {
		return err
	}
	a.built[i], a.ticks[i] = true, 0
	return nil
}

// Select brings section id (its name or 1-based number) into view,
// building it on first use. The other sections keep their state, paused.
func (a *App) Select(id string) error {
	i, err := a.index(id)
	if err != nil {
		return err
	}
	if err := a.ensure(i); err != nil {
		return err
	}
	a.cur = i
	return nil
}

// Set changes a parameter of the section in view and restarts its run
// from the seed. A bad key or value is an error and changes nothing.
func (a *App) Set(key, val string) error {
	s := a.secs[a.cur]
	var c *Control
	for _, x := range s.Controls() {
		if x.Key == key {
			c = &x
			break
		}
	}
	if c == nil {
		return fmt.Errorf("section %s has no parameter %q", s.ID(), key)
	}
	nv := make(map[string]string, len(a.vals[a.cur])+1)
	for k, v := range a.vals[a.cur] {
		nv[k] = v
	}
	if val == c.Default {
		delete(nv, key)
	} else {
		nv[key] = val
	}
	if err := s.Build(a.seed, nv); err != nil {
		// Keep the old run: rebuild it as it was.
		if a.built[a.cur] {
			_ = s.Build(a.seed, a.vals[a.cur])
			a.ticks[a.cur] = 0
		}
		return err
	}
	a.vals[a.cur], a.built[a.cur], a.ticks[a.cur] = nv, true, 0
	return nil
}

// Values returns every parameter of the section in view with its current
// raw value (defaults included), in control order.
func (a *App) Values() []KV {
	s := a.secs[a.cur]
	var out []KV
	for _, c := range s.Controls() {
		v, ok := a.vals[a.cur][c.Key]
		if !ok {
			v = c.Default
		}
		out = append(out, KV{c.Key, v})
	}
	return out
}

// KV is a key and a raw value.
type KV struct{ Key, Value string }

// Reset restarts the section in view from the seed with its parameters.
func (a *App) Reset() error {
	a.built[a.cur] = false
	return a.ensure(a.cur)
}

// SetSeed changes the seed and restarts every built section.
func (a *App) SetSeed(seed uint64) error {
	a.seed = seed
	for i := range a.built {
		a.built[i] = false
	}
	return a.ensure(a.cur)
}

// Seed returns the seed.
func (a *App) Seed() uint64 { return a.seed }

// SetSpeed sets the speed multiplier, in [MinSpeed, MaxSpeed].
func (a *App) SetSpeed(x float64) error {
	if !(x >= MinSpeed && x <= MaxSpeed) {
		return fmt.Errorf("speed %v not in [%v, %v]", x, MinSpeed, MaxSpeed)
	}
	a.speed = x
	return nil
}

// Speed returns the speed multiplier.
func (a *App) Speed() float64 { return a.speed }

// SetPaused pauses or resumes.
func (a *App) SetPaused(p bool) { a.paused = p }

// Paused reports whether the simulation is paused.
func (a *App) Paused() bool { return a.paused }

// Tick advances the section in view by one slice unless paused.
func (a *App) Tick() {
	if a.paused {
		return
	}
	a.step()
}

// Ticks returns the ticks the section in view has run since its build.
func (a *App) Ticks() uint64 { return a.ticks[a.cur] }

// MaxSeek bounds a seek (a replay of up to this many ticks).
const MaxSeek = 1_000_000

// Seek pauses and replays the section in view from its seed to tick n:
// the run is a pure function of seed, parameters and ticks, so this is
// the state it had at tick n (earlier or later than now).
func (a *App) Seek(n uint64) error {
	if n > MaxSeek {
		return fmt.Errorf("seek to tick %d: at most %d", n, MaxSeek)
	}
	a.paused = true
	if n < a.ticks[a.cur] {
		if err := a.Reset(); err != nil {
			return err
		}
	} else if err := a.ensure(a.cur); err != nil {
		return err
	}
	for a.ticks[a.cur] < n {
		a.step()
	}
	return nil
}

// Step advances the section in view by n slices, paused or not.
func (a *App) Step(n int) {
	for range n {
		a.step()
	}
}

func (a *App) step() {
	if a.ensure(a.cur) != nil {
		return
	}
	s := a.secs[a.cur]
	d := time.Duration(math.Round(float64(s.Slice()) * a.speed))
	adv, ok := s.(interface{ advance(time.Duration) })
	if !ok {
		panic("scene: section " + s.ID() + " has no advance")
	}
	adv.advance(max(d, 1))
	a.ticks[a.cur]++
}

// Action performs a named action on the section in view.
func (a *App) Action(name, arg string) error {
	if err := a.ensure(a.cur); err != nil {
		return err
	}
	return a.secs[a.cur].Action(name, arg)
}

// Click forwards a canvas click to the section in view.
func (a *App) Click(x, y float32) bool {
	if a.ensure(a.cur) != nil {
		return false
	}
	return a.secs[a.cur].Click(x, y)
}

// Draw returns the display list of the section in view for a w×h canvas.
// The list is reused by the next call.
func (a *App) Draw(w, h float32) *List {
	a.list.Reset()
	if w != a.w || h != a.h {
		// A new layout: entities appear in their new places, not
		// travelling from the old layout's.
		for _, s := range a.secs {
			if m, ok := s.(mover); ok {
				m.motion().Reset()
			}
		}
	}
	a.w, a.h = w, h
	a.list.Rect(0, 0, w, h, Background)
	if err := a.ensure(a.cur); err != nil {
		a.list.Text(8, 8, "error: "+err.Error(), Bad)
		return &a.list
	}
	if m, ok := a.secs[a.cur].(mover); ok {
		m.motion().Frames = a.tween
	}
	a.secs[a.cur].Draw(&a.list, w, h)
	return &a.list
}

// State is the snapshot behind window.gohttpsim.state(): the app's
// settings and the section's own state.
func (a *App) State() map[string]any {
	st := map[string]any{"section": a.secs[a.cur].ID(), "seed": a.seed, "speed": a.speed, "paused": a.paused,
		"ticks": a.ticks[a.cur], "fragment": a.Fragment()}
	if a.ensure(a.cur) != nil {
		return st
	}
	s := a.secs[a.cur]
	e := s.Engine()
	st["now_ns"] = int64(e.Now())
	st["events"] = e.Events()
	st["digest"] = sim.DigestString(e.Digest())
	params := map[string]string{}
	for _, kv := range a.Values() {
		params[kv.Key] = kv.Value
	}
	st["params"] = params
	if t, ok := s.(interface{ lagging() bool }); ok {
		st["lagging"] = t.lagging()
	}
	st["view"] = s.State()
	return st
}

// Fragment encodes the section in view, seed, speed, pause state and every
// non-default parameter of every section ("s=pool&seed=7&pool.X=3"), keys
// sorted so equal states give equal fragments.
func (a *App) Fragment() string {
	q := url.Values{}
	q.Set("s", a.secs[a.cur].ID())
	q.Set("seed", strconv.FormatUint(a.seed, 10))
	if a.speed != 1 {
		q.Set("speed", strconv.FormatFloat(a.speed, 'g', -1, 64))
	}
	if a.paused {
		q.Set("paused", "1")
	}
	for i, s := range a.secs {
		keys := make([]string, 0, len(a.vals[i]))
		for k := range a.vals[i] {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			q.Set(s.ID()+"."+k, a.vals[i][k])
		}
	}
	return strings.ReplaceAll(q.Encode(), "+", "%20")
}

// ApplyFragment restores a state from a fragment (with or without the
// leading '#'). On error nothing changes.
func (a *App) ApplyFragment(f string) error {
	f = strings.TrimPrefix(f, "#")
	q, err := url.ParseQuery(f)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadFragment, err)
	}
	cur, seed, speed, paused := a.cur, a.seed, a.speed, a.paused
	vals := make([]map[string]string, len(a.secs))
	for i := range vals {
		vals[i] = map[string]string{}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := q.Get(k)
		switch k {
		case "s":
			if cur, err = a.index(v); err != nil {
				return fmt.Errorf("%w: %v", ErrBadFragment, err)
			}
		case "seed":
			if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
				return fmt.Errorf("%w: seed %q is not an unsigned integer", ErrBadFragment, v)
			}
		case "speed":
			if speed, err = strconv.ParseFloat(v, 64); err != nil || !(speed >= MinSpeed && speed <= MaxSpeed) {
				return fmt.Errorf("%w: speed %q not a number in [%v, %v]", ErrBadFragment, v, MinSpeed, MaxSpeed)
			}
		case "paused":
			paused = v == "1" || v == "true"
		default:
			id, key, ok := strings.Cut(k, ".")
			i, err := a.index(id)
			if !ok || err != nil {
				return fmt.Errorf("%w: unknown key %q", ErrBadFragment, k)
			}
			found := false
			for _, c := range a.secs[i].Controls() {
				if c.Key == key {
					found = true
					if v != c.Default {
						vals[i][key] = v
					}
				}
			}
			if !found {
				return fmt.Errorf("%w: section %s has no parameter %q", ErrBadFragment, id, key)
			}
		}
	}
	// Validate every section that has parameters before committing.
	for i, s := range a.secs {
		if len(vals[i]) == 0 && i != cur {
			continue
		}
		if err := s.Build(seed, vals[i]); err != nil {
			for j := range a.built { // restore what we may have disturbed
				a.built[j] = false
			}
			return fmt.Errorf("%w: %s: %v", ErrBadFragment, s.ID(), err)
		}
	}
	a.cur, a.seed, a.speed, a.paused, a.vals = cur, seed, speed, paused, vals
	for i := range a.built {
		a.built[i] = false
	}
	return a.ensure(a.cur)
}

// ControlsOf returns the controls of section id.
func (a *App) ControlsOf(id string) ([]Control, error) {
	i, err := a.index(id)
	if err != nil {
		return nil, err
	}
	return a.secs[i].Controls(), nil
}

// ValuesOf returns section id's current raw values (defaults included) as
// a key → value map.
func (a *App) ValuesOf(id string) (map[string]string, error) {
	i, err := a.index(id)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range a.secs[i].Controls() {
		out[c.Key] = c.Default
		if v, ok := a.vals[i][c.Key]; ok {
			out[c.Key] = v
		}
	}
	return out, nil
}

// TextBox is where a line of text was drawn in the last frame, and in
// which colour (read-only; for the browser's contrast test).
type TextBox struct {
	S       string  `json:"s"`
	X       float32 `json:"x"`
	Y       float32 `json:"y"`
	W       float32 `json:"w"`
	H       float32 `json:"h"`
	R, G, B uint8
}

// TextBoxes returns the text of the last drawn frame.
func (a *App) TextBoxes() []TextBox {
	var out []TextBox
	for i := range a.list.Prims {
		p := &a.list.Prims[i]
		if p.Kind != PrimText || p.S == "" {
			continue
		}
		size := p.R
		if size == 0 {
			size = SizeNormal
		}
		c := Palette[p.C]
		out = append(out, TextBox{S: p.S, X: p.TextLeft(), Y: p.Y, W: TextWidth(p.S, size), H: size * 1.25, R: c.R, G: c.G, B: c.B})
	}
	return out
}
