package scene

import (
	"math"
	"testing"
)

// An entity whose place changes travels there along a straight path over
// Frames frames, never overshooting; a new one comes from where it is said
// to come from; one no longer placed travels to its sink, then is gone.
func TestMotion(t *testing.T) {
	m := Motion{Frames: 4}
	k := EntKey(EntG, 7)
	nan := float32(math.NaN())
	if x, y := m.Place(k, 10, 10, nan, nan); x != 10 || y != 10 {
		t.Fatalf("new entity without origin at %v,%v, want 10,10", x, y)
	}
	m.End(nil, nil)
	var xs []float32
	for range 6 {
		x, y := m.Place(k, 50, 10, nan, nan)
		if y != 10 || x < 10 || x > 50 {
			t.Fatalf("off the path: %v,%v", x, y)
		}
		xs = append(xs, x)
		m.End(nil, nil)
	}
	if xs[0] != 10 || xs[2] <= xs[1] || xs[4] != 50 || xs[5] != 50 {
		t.Errorf("path 10->50 over 4 frames: %v", xs)
	}
	// Leaving: towards the sink, drawn on the way, then forgotten.
	var drawn []float32
	for range 6 {
		m.End(func(uint64) (float32, float32, bool) { return 50, 90, true }, func(_ uint64, x, y float32) { drawn = append(drawn, y) })
	}
	if len(drawn) != 4 || drawn[0] != 10 || drawn[3] <= drawn[1] || drawn[3] > 90 {
		t.Errorf("leaving ys %v, want 4 frames from 10 towards 90", drawn)
	}
	if len(m.Positions(nil)) != 0 {
		t.Errorf("entity not forgotten after leaving")
	}
	// A new entity with an origin starts there.
	if x, _ := m.Place(EntKey(EntConn, 1), 100, 0, 0, 0); x != 0 {
		t.Errorf("new entity at x=%v, want its origin 0", x)
	}
}

// In section 1, Gs seen in two consecutive frames either stay or move
// along the path from where they were drawn to their new place.
func TestGoroutinesMove(t *testing.T) {
	a := run(t, "s=goroutines&seed=3&goroutines.session.rate=5000&goroutines.handler.cpu=exp(500us)", 50)
	moved := 0
	for range 60 {
		a.Step(1)
		a.Draw(1000, 600)
		for _, p := range a.Positions() {
			if !p.Moving {
				continue
			}
			moved++
			// On the segment from (fx, fy) to (tx, ty).
			dx, dy := p.ToX-p.FromX, p.ToY-p.FromY
			cross := (p.X-p.FromX)*dy - (p.Y-p.FromY)*dx
			if n := float32(math.Hypot(float64(dx), float64(dy))); n > 0 && math.Abs(float64(cross/n)) > 0.5 {
				t.Fatalf("entity %x at %v,%v is off its path %v,%v -> %v,%v", p.Key, p.X, p.Y, p.FromX, p.FromY, p.ToX, p.ToY)
			}
		}
	}
	if moved == 0 {
		t.Errorf("no goroutine moved in 60 frames under load")
	}
}
