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
	"math"
	"sync"

	"github.com/hajimehoshi/ebiten/v2"
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
	lv     []ebiten.Vertex           // queued anti-aliased lines
	li     []uint16
	white  *ebiten.Image
	atlas  *ebiten.Image                     // viz/typeface's glyph masks, white
	glyphs map[image.Rectangle]*ebiten.Image // sub-images of atlas
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
		if p.Kind == scene.PrimLine && p.W != 0 && p.H != 0 {
			g.lineAA(screen, p.X, p.Y, p.X+p.W, p.Y+p.H, max(p.R, 1), c)
			continue
		}
		g.flushLines(screen)
		switch p.Kind {
		case scene.PrimRect:
			if p.R > 0 {
				g.roundRect(screen, p.X, p.Y, p.W, p.H, p.R, p.C, c)
			} else {
				vector.DrawFilledRect(screen, p.X, p.Y, p.W, p.H, c, false)
			}
		case scene.PrimStroke:
			lw := max(p.R, 1)
			vector.DrawFilledRect(screen, p.X, p.Y, p.W, lw, c, false)
			vector.DrawFilledRect(screen, p.X, p.Y+p.H-lw, p.W, lw, c, false)
			vector.DrawFilledRect(screen, p.X, p.Y+lw, lw, p.H-2*lw, c, false)
			vector.DrawFilledRect(screen, p.X+p.W-lw, p.Y+lw, lw, p.H-2*lw, c, false)
		case scene.PrimLine:
			// Axis-aligned: a rectangle, no anti-aliasing needed.
			lw := max(p.R, 1)
			x, y, w, h := p.X, p.Y, p.W, p.H
			if w < 0 {
				x, w = x+w, -w
			}
			if h < 0 {
				y, h = y+h, -h
			}
			if h == 0 {
				vector.DrawFilledRect(screen, x, y-lw/2, w, lw, c, false)
			} else {
				vector.DrawFilledRect(screen, x-lw/2, y, lw, h, c, false)
			}
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
			g.text(screen, p, size, c)
		}
	}
	g.flushLines(screen)
}

// lineAA queues a diagonal line as a quad; consecutive lines (a chart's
// series) are drawn by one anti-aliased DrawTriangles in flushLines: an
// anti-aliased draw costs an offscreen pass in ebiten, so one per line
// would make a chart cost hundreds of them.
func (g *Game) lineAA(screen *ebiten.Image, x0, y0, x1, y1, lw float32, c color.RGBA) {
	dx, dy := x1-x0, y1-y0
	n := float32(math.Hypot(float64(dx), float64(dy)))
	if n == 0 {
		return
	}
	nx, ny := -dy/n*lw/2, dx/n*lw/2
	base := uint16(len(g.lv))
	cr, cg, cb := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255
	for _, v := range [4][2]float32{{x0 + nx, y0 + ny}, {x1 + nx, y1 + ny}, {x1 - nx, y1 - ny}, {x0 - nx, y0 - ny}} {
		g.lv = append(g.lv, ebiten.Vertex{DstX: v[0], DstY: v[1], SrcX: 1, SrcY: 1, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: 1})
	}
	g.li = append(g.li, base, base+1, base+2, base, base+2, base+3)
	if len(g.lv) > 60000 {
		g.flushLines(screen)
	}
}

func (g *Game) flushLines(screen *ebiten.Image) {
	if len(g.li) == 0 {
		return
	}
	if g.white == nil {
		g.white = ebiten.NewImage(3, 3)
		g.white.Fill(color.White)
	}
	op := &ebiten.DrawTrianglesOptions{AntiAlias: true}
	screen.DrawTriangles(g.lv, g.li, g.white.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image), op)
	g.lv, g.li = g.lv[:0], g.li[:0]
}

// text draws a line of text from viz/typeface's pre-rendered glyphs (Go
// Regular, anti-aliased), the same masks viz/raster paints with: one
// atlas image, so ebiten batches a whole frame's glyphs. (ebiten's text/v2
// would shape text with go-text/typesetting, about 1 MB gzipped of wasm
// that the 4 MiB budget has no room for; text v1 re-measures glyphs
// through the font parser on every draw.)
func (g *Game) text(dst *ebiten.Image, p *scene.Prim, size float32, c color.RGBA) {
	if g.atlas == nil {
		a := typeface.Atlas()
		rgba := image.NewRGBA(a.Rect)
		for i, v := range a.Pix {
			y, x := i/a.Stride, i%a.Stride
			o := rgba.PixOffset(x, y)
			rgba.Pix[o], rgba.Pix[o+1], rgba.Pix[o+2], rgba.Pix[o+3] = v, v, v, v
		}
		g.atlas = ebiten.NewImageFromImage(rgba)
		g.glyphs = map[image.Rectangle]*ebiten.Image{}
	}
	var op ebiten.DrawImageOptions
	op.ColorScale.ScaleWithColor(c)
	typeface.Each(p.S, p.TextLeft(), p.Y, size, func(gl typeface.Glyph, x, y int) {
		img := g.glyphs[gl.Rect]
		if img == nil {
			img = g.atlas.SubImage(gl.Rect).(*ebiten.Image)
			g.glyphs[gl.Rect] = img
		}
		op.GeoM.Reset()
		op.GeoM.Translate(float64(x), float64(y))
		dst.DrawImage(img, &op)
	})
}

// roundRect fills a rectangle with rounded corners: three rectangles and
// four cached anti-aliased discs at the corners.
func (g *Game) roundRect(dst *ebiten.Image, x, y, w, h, r float32, sc scene.Color, c color.RGBA) {
	r = min(r, w/2, h/2)
	vector.DrawFilledRect(dst, x+r, y, w-2*r, h, c, false)
	vector.DrawFilledRect(dst, x, y+r, r, h-2*r, c, false)
	vector.DrawFilledRect(dst, x+w-r, y+r, r, h-2*r, c, false)
	for _, p := range [4][2]float32{{x + r, y + r}, {x + w - r, y + r}, {x + r, y + h - r}, {x + w - r, y + h - r}} {
		g.disc(dst, p[0], p[1], r, 0, sc, c)
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
