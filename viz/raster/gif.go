package raster

import (
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/viz/scene"
)

// Palette is the GIF's fixed palette: every scene colour, and blends of
// each with the background and the panel colour (the anti-aliased edges
// of shapes and glyphs), at most 256 entries. Fixed, so that the same
// frames always encode to the same bytes.
var Palette = func() color.Palette {
	var pal color.Palette
	seen := map[color.RGBA]bool{}
	add := func(c color.RGBA) {
		if !seen[c] && len(pal) < 256 {
			seen[c] = true
			pal = append(pal, c)
		}
	}
	for _, c := range scene.Palette {
		add(c)
	}
	mix := func(a, b color.RGBA, t float64) color.RGBA {
		f := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t + 0.5) }
		return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 0xff}
	}
	for _, base := range []scene.Color{scene.Background, scene.Panel} {
		for _, t := range []float64{0.25, 0.5, 0.75} {
			for _, c := range scene.Palette {
				add(mix(scene.Palette[base], c, t))
			}
		}
	}
	return pal
}()

// quantizer maps RGBA pixels to Palette indices, nearest colour first
// found, with a cache.
type quantizer struct {
	cache map[uint32]uint8
}

func (q *quantizer) index(r, g, b uint8) uint8 {
	k := uint32(r)<<16 | uint32(g)<<8 | uint32(b)
	if i, ok := q.cache[k]; ok {
		return i
	}
	best, bd := 0, int(^uint(0)>>1)
	for i, pc := range Palette {
		c := pc.(color.RGBA)
		dr, dg, db := int(c.R)-int(r), int(c.G)-int(g), int(c.B)-int(b)
		// weighted towards green, as the eye is
		d := 2*dr*dr + 4*dg*dg + 3*db*db
		if d < bd {
			best, bd = i, d
		}
	}
	q.cache[k] = uint8(best)
	return uint8(best)
}

func (q *quantizer) paletted(src *image.RGBA) *image.Paletted {
	b := src.Bounds()
	dst := image.NewPaletted(b, Palette)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		s := src.Pix[src.PixOffset(b.Min.X, y):]
		d := dst.Pix[dst.PixOffset(b.Min.X, y):]
		for x := 0; x < b.Dx(); x++ {
			d[x] = q.index(s[4*x], s[4*x+1], s[4*x+2])
		}
	}
	return dst
}

// Options say what to record.
type Options struct {
	Section  string        // section id: goroutines, protocols, pool, throughput, timeouts, routing
	Seed     uint64        // the simulation seed
	Sets     []string      // KEY=VALUE parameters of the section (its page controls)
	Duration time.Duration // length of the GIF; the page's pace at speed 1 (60 ticks per second)
	FPS      int           // GIF frames per second
	W, H     int           // size in pixels
	Speed    float64       // speed multiplier (0: 1)
	Actions  []string      // NAME=ARG section actions performed before the first frame ("spawn=1000")
}

// Validate checks o and fills defaults.
func (o *Options) Validate() error {
	if o.Duration == 0 {
		o.Duration = 5 * time.Second
	}
	if o.FPS == 0 {
		o.FPS = 15
	}
	if o.W == 0 {
		o.W, o.H = 800, 500
	}
	if o.Speed == 0 {
		o.Speed = 1
	}
	switch {
	case o.Duration < 0 || o.Duration > 5*time.Minute:
		return fmt.Errorf("duration %v: want (0, 5m]", o.Duration)
	case o.FPS < 1 || o.FPS > 60:
		return fmt.Errorf("fps %d: want 1..60", o.FPS)
	case o.W < 200 || o.H < 150 || o.W > 4000 || o.H > 4000:
		return fmt.Errorf("size %dx%d: want between 200x150 and 4000x4000", o.W, o.H)
	}
	if o.Duration.Seconds()*float64(o.FPS) > 3000 {
		return fmt.Errorf("%v at %d fps is more than 3000 frames", o.Duration, o.FPS)
	}
	return nil
}

// Fragment returns the page URL fragment that shows what o records.
func (o *Options) Fragment() (string, error) {
	q := url.Values{}
	q.Set("s", o.Section)
	q.Set("seed", strconv.FormatUint(o.Seed, 10))
	if o.Speed != 1 {
		q.Set("speed", strconv.FormatFloat(o.Speed, 'g', -1, 64))
	}
	for _, kv := range o.Sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return "", fmt.Errorf("-set %q: want KEY=VALUE", kv)
		}
		q.Set(o.Section+"."+k, v)
	}
	return q.Encode(), nil
}

// Record runs the section from its seed and writes o.Duration×o.FPS frames
// as an animated GIF: each frame advances the simulation by the ticks the
// page would run in 1/FPS s at 60 ticks per second and paints the
// section's display list. The same options give the same bytes.
func Record(w io.Writer, o Options) error {
	if err := o.Validate(); err != nil {
		return err
	}
	app := scene.NewApp()
	if _, err := app.ControlsOf(o.Section); err != nil {
		return err
	}
	frag, err := o.Fragment()
	if err != nil {
		return err
	}
	if err := app.ApplyFragment(frag); err != nil {
		return err
	}
	for _, a := range o.Actions {
		name, arg, _ := strings.Cut(a, "=")
		if err := app.Action(name, arg); err != nil {
			return err
		}
	}
	return RecordApp(w, app, o)
}

// RecordApp records app's section in view from its current state (the
// page's "download GIF" passes a fresh App restored from its fragment).
func RecordApp(w io.Writer, app *scene.App, o Options) error {
	if err := o.Validate(); err != nil {
		return err
	}
	n := int(o.Duration.Seconds()*float64(o.FPS) + 0.5)
	// A move takes about a quarter of a second, as in the page.
	app.SetTweenFrames(max(2, o.FPS/4))
	var p Painter
	q := quantizer{cache: map[uint32]uint8{}}
	img := image.NewRGBA(image.Rect(0, 0, o.W, o.H))
	g := &gif.GIF{}
	delay := 100 / o.FPS
	acc := 0.0
	for range n {
		// 60 ticks per second of GIF, spread evenly over the frames.
		acc += 60 / float64(o.FPS)
		k := int(acc)
		acc -= float64(k)
		app.Step(k)
		l := app.Draw(float32(o.W), float32(o.H))
		p.Paint(img, l)
		g.Image = append(g.Image, q.paletted(img))
		g.Delay = append(g.Delay, delay)
	}
	return gif.EncodeAll(w, g)
}

// Frame paints app's current display list at w×h (for tests and stills).
func Frame(app *scene.App, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var p Painter
	p.Paint(img, app.Draw(float32(w), float32(h)))
	return img
}

// PaintList paints a display list at w×h.
func PaintList(l *scene.List, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var p Painter
	p.Paint(img, l)
	return img
}
