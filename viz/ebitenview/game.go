//go:build (js && wasm) || desktop

// Package ebitenview paints viz/scene's display lists with ebiten. It is
// the only package that imports ebiten, and it only paints and forwards
// input: what to draw is decided by viz/scene, which has ordinary tests.
//
// Build tag: ebiten needs cgo and X11 headers on linux/amd64, so every file
// here is limited to js/wasm or the explicit "desktop" tag and
// `go test ./...` needs no X11.
package ebitenview

import (
	"image"
	"image/color"
	"sync"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text" //nolint:staticcheck // v1 over an x/image font.Face: text/v2 pulls go-text/typesetting, ~1 MB gzipped of wasm the 4 MB budget has no room for
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/gohttpsim/gohttpsim/viz/scene"
	"github.com/gohttpsim/gohttpsim/viz/typeface"
)

// Game adapts a scene.App to ebiten.Game: Update advances the app by one
// tick (ebiten runs Update at a fixed 60 ticks per second, which is the
// wall-clock pacing), Draw paints the app's display list.
//
// Mu guards App and Empty: hold it when calling App from another
// goroutine (the page's JS hooks), and never across a blocking call.
type Game struct {
	Mu  sync.Mutex
	App *scene.App
	// Empty, when set, draws only the background: the baseline scene of
	// the frame-rate benchmark.
	Empty bool
	// OnFrame, if set, is called after each Draw with the frame count.
	OnFrame func(frames uint64)

	frames uint64
	w, h   int
	rows   map[dotKey]*ebiten.Image  // cached rows of dots
	discs  map[discKey]*ebiten.Image // cached small discs and rings
	colors [len(scene.Palette)]color.RGBA
}

// New returns a Game for app.
func New(app *scene.App) *Game {
	g := &Game{App: app}
	g.colors = scene.Palette
	return g
}

// Frames returns the number of frames drawn.
func (g *Game) Frames() uint64 { return g.frames }

// Update implements ebiten.Game. Pointer input does not go through ebiten:
// the page forwards clicks to the app's hook (canvas.html), because a
// press and release within one frame is invisible to ebiten's polled
// input, and synthetic clicks in tests are exactly that.
func (g *Game) Update() error {
	g.Mu.Lock()
	defer g.Mu.Unlock()
	if g.Empty {
		return nil
	}
	g.App.Tick()
	return nil
}

// Draw implements ebiten.Game. The lock covers building the display list
// only, never the painting: ebiten's GL calls may block on the browser,
// and a JS hook waiting for the lock meanwhile would deadlock the wasm
// program. Hooks never touch the list, so painting it unlocked is safe.
func (g *Game) Draw(screen *ebiten.Image) {
	g.Mu.Lock()
	g.frames++
	n, empty := g.frames, g.Empty
	var l *scene.List
	if !empty {
		l = g.App.Draw(float32(g.w), float32(g.h))
	}
	g.Mu.Unlock()
	if empty {
		screen.Fill(g.colors[scene.Background])
	} else {
		g.paint(screen, l)
	}
	if g.OnFrame != nil {
		g.OnFrame(n)
	}
}

func (g *Game) paint(screen *ebiten.Image, l *scene.List) {
	for i := range l.Prims {
		p := &l.Prims[i]
		c := g.colors[p.C]
		switch p.Kind {
		case scene.PrimRect:
			if p.R > 0 {
				roundRect(screen, p.X, p.Y, p.W, p.H, p.R, c)
			} else {
				vector.DrawFilledRect(screen, p.X, p.Y, p.W, p.H, c, false)
			}
		case scene.PrimStroke:
			lw := max(p.R, 1)
			vector.StrokeRect(screen, p.X+lw/2, p.Y+lw/2, p.W-lw, p.H-lw, lw, c, true)
		case scene.PrimLine:
			vector.StrokeLine(screen, p.X, p.Y, p.X+p.W, p.Y+p.H, max(p.R, 1), c, true)
		case scene.PrimCircle:
			g.disc(screen, p.X, p.Y, p.R, 0, p.C, c)
		case scene.PrimRing:
			g.disc(screen, p.X, p.Y, p.R, max(p.W, 1), p.C, c)
		case scene.PrimDots:
			g.dots(screen, p, c)
		case scene.PrimText:
			size := p.R
			if size == 0 {
				size = scene.SizeNormal
			}
			x := p.TextLeft()
			text.Draw(screen, p.S, typeface.Face(size), int(x+0.5), int(p.Y+typeface.Ascent(size)+0.5), c)
		}
	}
}

// roundRect fills a rectangle with rounded corners: two rectangles and
// four anti-aliased quarter discs.
func roundRect(dst *ebiten.Image, x, y, w, h, r float32, c color.RGBA) {
	r = min(r, w/2, h/2)
	vector.DrawFilledRect(dst, x+r, y, w-2*r, h, c, false)
	vector.DrawFilledRect(dst, x, y+r, r, h-2*r, c, false)
	vector.DrawFilledRect(dst, x+w-r, y+r, r, h-2*r, c, false)
	for _, p := range [4][2]float32{{x + r, y + r}, {x + w - r, y + r}, {x + r, y + h - r}, {x + w - r, y + h - r}} {
		vector.DrawFilledCircle(dst, p[0], p[1], r, c, true)
	}
}

type discKey struct {
	r, lw float32
	c     scene.Color
}

// disc draws a small disc or ring from a cached anti-aliased sprite, so
// that hundreds of goroutines are one batch of DrawImage calls; large
// ones are drawn as paths.
func (g *Game) disc(dst *ebiten.Image, x, y, r, lw float32, sc scene.Color, c color.RGBA) {
	if r > 12 {
		if lw == 0 {
			vector.DrawFilledCircle(dst, x, y, r, c, true)
		} else {
			vector.StrokeCircle(dst, x, y, r, lw, c, true)
		}
		return
	}
	k := discKey{r, lw, sc}
	img := g.discs[k]
	if img == nil {
		if g.discs == nil {
			g.discs = map[discKey]*ebiten.Image{}
		}
		n := int(2*r+lw) + 3
		img = ebiten.NewImage(n, n)
		m := float32(n) / 2
		if lw == 0 {
			vector.DrawFilledCircle(img, m, m, r, c, true)
		} else {
			vector.StrokeCircle(img, m, m, r, lw, c, true)
		}
		g.discs[k] = img
	}
	var op ebiten.DrawImageOptions
	h := float64(img.Bounds().Dx()) / 2
	op.GeoM.Translate(float64(x)-h, float64(y)-h)
	op.Filter = ebiten.FilterLinear
	dst.DrawImage(img, &op)
}

// Layout implements ebiten.Game: one logical pixel per CSS pixel, the
// canvas's own size.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	g.w, g.h = max(outsideWidth, 1), max(outsideHeight, 1)
	return g.w, g.h
}

type dotKey struct {
	w int
	c scene.Color
}

// dots paints a PrimDots with one DrawImage per row from a cached image of
// a full row, which ebiten batches: 10,000 goroutines cost a few dozen
// draws, not 10,000 rectangles.
func (g *Game) dots(screen *ebiten.Image, p *scene.Prim, c color.RGBA) {
	per := max(int(p.W)/scene.DotPitch, 1)
	k := dotKey{per, p.C}
	row := g.rows[k]
	if row == nil {
		if g.rows == nil {
			g.rows = map[dotKey]*ebiten.Image{}
		}
		row = ebiten.NewImage(per*scene.DotPitch, scene.DotSize)
		for i := range per {
			vector.DrawFilledCircle(row, float32(i*scene.DotPitch)+scene.DotSize/2, scene.DotSize/2, scene.DotSize/2, c, true)
		}
		g.rows[k] = row
	}
	n := int(p.H)
	var op ebiten.DrawImageOptions
	for y := 0; n > 0; y += scene.DotPitch {
		m := min(n, per)
		op.GeoM.Reset()
		op.GeoM.Translate(float64(p.X), float64(p.Y)+float64(y))
		src := row
		if m < per {
			src = row.SubImage(image.Rect(0, 0, m*scene.DotPitch, scene.DotSize)).(*ebiten.Image)
		}
		screen.DrawImage(src, &op)
		n -= m
	}
}
