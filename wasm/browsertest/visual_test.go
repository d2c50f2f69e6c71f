//go:build !js

package browsertest

import (
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/viz/scene"
)

var update = flag.Bool("update", false, "rewrite the golden screenshots in testdata/golden")

// pos is one entry of window.gohttpsim.positions().
type pos struct {
	Key            uint64
	X, Y           float64
	FX, FY, TX, TY float64
	Moving         bool
}

func (p *pos) UnmarshalJSON(b []byte) error {
	var r struct {
		Key    uint64  `json:"key"`
		X      float64 `json:"x"`
		Y      float64 `json:"y"`
		FX     float64 `json:"fx"`
		FY     float64 `json:"fy"`
		TX     float64 `json:"tx"`
		TY     float64 `json:"ty"`
		Moving bool    `json:"moving"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	*p = pos{r.Key, r.X, r.Y, r.FX, r.FY, r.TX, r.TY, r.Moving}
	return nil
}

func (tb *tab) positions() map[uint64]pos {
	tb.t.Helper()
	var ps []pos
	if err := json.Unmarshal([]byte(eval[string](tb, "JSON.stringify(window.gohttpsim.positions())")), &ps); err != nil {
		tb.t.Fatal(err)
	}
	m := map[uint64]pos{}
	for _, p := range ps {
		m[p.Key] = p
	}
	return m
}

// offPath returns the distance of (x, y) from the segment of p's path.
func offPath(p pos, x, y float64) float64 {
	dx, dy := p.TX-p.FX, p.TY-p.FY
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(x-p.TX, y-p.TY)
	}
	t := max(0, min(1, ((x-p.FX)*dx+(y-p.FY)*dy)/l2))
	return math.Hypot(x-(p.FX+t*dx), y-(p.FY+t*dy))
}

// motionSetup is what makes each section move, run paused.
var motionSetup = map[string]string{
	"goroutines": `window.gohttpsim.step(20), window.gohttpsim.action("spawn", "200"), 0`,
	// Step until the connection writes a frame: it is then on the wire.
	"protocols": `(() => { const g = window.gohttpsim; const f = g.state().view.frames;
		for (let i = 0; i < 2000; i++) { g.step(1); if (g.state().view.frames > f) return i; } return -1; })()`,
	"pool":       `window.gohttpsim.step(20), 0`,
	"throughput": `window.gohttpsim.step(20), 0`,
	"timeouts":   `window.gohttpsim.step(60), 0`,
	"routing":    `window.gohttpsim.action("route", "GET /files/a/b.txt"), 0`,
}

// nextFrame waits until at least one more frame has been drawn.
func (tb *tab) nextFrame() {
	tb.t.Helper()
	f0 := eval[float64](tb, "window.gohttpsim.frames")
	tb.waitFor(fmt.Sprintf("window.gohttpsim.frames >= %v", f0+2), 60*time.Second)
}

// For every section: an entity that moves between two frames is, in both,
// on the path from where it was to where the model's state puts it, and
// moved forward along it when the destination did not change. The page is
// paused and stepped one tick between the frames, so the check does not
// depend on the frame rate (SwiftShader on a loaded machine can draw a
// frame a second).
func TestMotion(t *testing.T) {
	for _, id := range scene.NewApp().IDs() {
		t.Run(id, func(t *testing.T) {
			tb := open(t, "s="+id+"&seed=3&paused=1", 1280, 800)
			eval[any](tb, motionSetup[id])
			checked := 0
			for try := 0; checked == 0 && try < 20; try++ {
				tb.nextFrame()
				a := tb.positions()
				eval[any](tb, `window.gohttpsim.step(1), 0`)
				tb.nextFrame()
				b := tb.positions()
				keys := make([]uint64, 0, len(a))
				for k := range a {
					keys = append(keys, k)
				}
				sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
				for _, k := range keys {
					p, q := a[k], b[k]
					if _, ok := b[k]; !ok || !p.Moving || (p.X == q.X && p.Y == q.Y) {
						continue
					}
					if d := offPath(p, p.X, p.Y); d > 1 {
						t.Errorf("entity %x at (%.1f,%.1f) is %.1f px off its path (%.1f,%.1f)->(%.1f,%.1f)", k, p.X, p.Y, d, p.FX, p.FY, p.TX, p.TY)
					}
					if d := offPath(q, q.X, q.Y); d > 1 {
						t.Errorf("entity %x at (%.1f,%.1f) is %.1f px off its path (%.1f,%.1f)->(%.1f,%.1f)", k, q.X, q.Y, d, q.FX, q.FY, q.TX, q.TY)
					}
					if p.TX == q.TX && p.TY == q.TY {
						// Same destination: closer to it than before.
						if math.Hypot(q.X-q.TX, q.Y-q.TY) > math.Hypot(p.X-p.TX, p.Y-p.TY)+0.5 {
							t.Errorf("entity %x moved away from its destination: %v -> %v", k, p, q)
						}
					}
					checked++
				}
			}
			if checked == 0 {
				t.Errorf("no entity moved between two frames in 20 tries")
			}
		})
	}
}

// goldenAt is the tick each section's screenshot is taken at (seed 3,
// paused, default parameters; routing: then GET /users/42 is routed).
var goldenAt = map[string]int{"goroutines": 120, "protocols": 150, "pool": 150, "throughput": 150, "timeouts": 150, "routing": 0}

// Screenshots at a fixed seed and tick match the golden images within a
// tolerance (anti-aliasing may differ by a few levels between GPUs and
// SwiftShader versions); -update rewrites them.
func TestGolden(t *testing.T) {
	for _, id := range scene.NewApp().IDs() {
		if _, ok := goldenAt[id]; !ok {
			continue
		}
		t.Run(id, func(t *testing.T) {
			tb := open(t, "s="+id+"&seed=3&paused=1", 1000, 700)
			eval[any](tb, fmt.Sprintf(`window.gohttpsim.seek(%d), 0`, goldenAt[id]))
			if id == "routing" {
				eval[any](tb, `window.gohttpsim.action("route", "GET /users/42"), window.gohttpsim.step(400), 0`)
			}
			// Let every move finish: a move takes 10 drawn frames.
			f0 := eval[float64](tb, "window.gohttpsim.frames")
			tb.waitFor(fmt.Sprintf("window.gohttpsim.frames >= %v", f0+13), 120*time.Second)
			got := tb.canvas()
			path := filepath.Join("testdata", "golden", id+".png")
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				f, err := os.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				png.Encode(f, got)
				f.Close()
				return
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			want, err := png.Decode(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds() != want.Bounds() {
				t.Fatalf("size %v, golden %v", got.Bounds(), want.Bounds())
			}
			bad, total := 0, 0
			b := got.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					total++
					r1, g1, b1, _ := got.At(x, y).RGBA()
					r2, g2, b2, _ := want.At(x, y).RGBA()
					if max(absd(r1>>8, r2>>8), absd(g1>>8, g2>>8), absd(b1>>8, b2>>8)) > 40 {
						bad++
					}
				}
			}
			if frac := float64(bad) / float64(total); frac > 0.01 {
				tb.saveShot("failures", "golden_"+id)
				t.Errorf("%.2f%% of pixels differ from %s by more than 40 levels (tolerance 1%%)", 100*frac, path)
			}
		})
	}
}

func lum(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	f := func(v uint32) float64 {
		x := float64(v>>8) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*f(r) + 0.7152*f(g) + 0.0722*f(b)
}

// Text is readable on the canvas as painted: for every line of text of
// every section, the contrast between its colour and the background under
// it (the median pixel of its box, in the screenshot) is at least 4.5:1
// (WCAG AA).
func TestTextContrast(t *testing.T) {
	for _, id := range scene.NewApp().IDs() {
		t.Run(id, func(t *testing.T) {
			tb := open(t, "s="+id+"&seed=3&paused=1", 1000, 700)
			eval[any](tb, `window.gohttpsim.step(100), 0`)
			tb.nextFrame()
			var boxes []struct {
				S          string  `json:"s"`
				X, Y, W, H float64 `json:"-"`
				R, G, B    uint8
			}
			raw := eval[string](tb, "JSON.stringify(window.gohttpsim.texts())")
			var rb []map[string]any
			if err := json.Unmarshal([]byte(raw), &rb); err != nil {
				t.Fatal(err)
			}
			img := tb.canvas()
			// The screenshot may be scaled by the device pixel ratio.
			sx := float64(img.Bounds().Dx()) / eval[float64](tb, `document.getElementById("sim").clientWidth`)
			for _, m := range rb {
				boxes = append(boxes, struct {
					S          string  `json:"s"`
					X, Y, W, H float64 `json:"-"`
					R, G, B    uint8
				}{m["s"].(string), m["x"].(float64), m["y"].(float64), m["w"].(float64), m["h"].(float64), uint8(m["R"].(float64)), uint8(m["G"].(float64)), uint8(m["B"].(float64))})
			}
			if len(boxes) < 3 {
				t.Fatalf("only %d lines of text", len(boxes))
			}
			low := 0
			for _, bx := range boxes {
				r := image.Rect(int(bx.X*sx), int(bx.Y*sx), int((bx.X+bx.W)*sx), int((bx.Y+bx.H)*sx)).Intersect(img.Bounds())
				if r.Dx() < 2 || r.Dy() < 2 {
					continue
				}
				var ls []float64
				for y := r.Min.Y; y < r.Max.Y; y++ {
					for x := r.Min.X; x < r.Max.X; x++ {
						ls = append(ls, lum(img.At(x, y)))
					}
				}
				sort.Float64s(ls)
				bg := ls[len(ls)/2]
				fg := lum(color.RGBA{bx.R, bx.G, bx.B, 255})
				hi, lo := max(fg, bg), min(fg, bg)
				if ratio := (hi + 0.05) / (lo + 0.05); ratio < 4.5 {
					low++
					t.Errorf("%q: contrast %.2f:1 against its background", bx.S, ratio)
				}
			}
		})
	}
}
