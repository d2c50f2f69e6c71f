package raster

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"

	"github.com/gohttpsim/gohttpsim/viz/scene"
	"github.com/gohttpsim/gohttpsim/viz/typeface"
)

// Painter paints display lists into an image.RGBA. It keeps its
// rasterizer and caches between frames; not safe for concurrent use.
type Painter struct {
	z   vector.Rasterizer
	dot *image.Alpha // the mask of one PrimDots dot
	src [256]*image.Uniform
}

// Paint draws l into dst, in order.
func (p *Painter) Paint(dst *image.RGBA, l *scene.List) {
	for i := range l.Prims {
		pr := &l.Prims[i]
		c := scene.Palette[pr.C]
		switch pr.Kind {
		case scene.PrimRect:
			if pr.R > 0 {
				p.roundRect(dst, pr.X, pr.Y, pr.W, pr.H, pr.R, c)
			} else {
				p.rect(dst, pr.X, pr.Y, pr.W, pr.H, c)
			}
		case scene.PrimStroke:
			lw := max(pr.R, 1)
			p.rect(dst, pr.X, pr.Y, pr.W, lw, c)
			p.rect(dst, pr.X, pr.Y+pr.H-lw, pr.W, lw, c)
			p.rect(dst, pr.X, pr.Y+lw, lw, pr.H-2*lw, c)
			p.rect(dst, pr.X+pr.W-lw, pr.Y+lw, lw, pr.H-2*lw, c)
		case scene.PrimLine:
			p.line(dst, pr.X, pr.Y, pr.X+pr.W, pr.Y+pr.H, max(pr.R, 1), c)
		case scene.PrimCircle:
			p.circle(dst, pr.X, pr.Y, pr.R, 0, c)
		case scene.PrimRing:
			p.circle(dst, pr.X, pr.Y, pr.R, max(pr.W, 1), c)
		case scene.PrimText:
			p.text(dst, pr, c)
		case scene.PrimDots:
			p.dots(dst, pr, c)
		}
	}
}

func (p *Painter) uniform(c color.RGBA) *image.Uniform {
	// The palette has fewer than 256 colours; key by the colour's bytes.
	k := (int(c.R)*7 + int(c.G)*13 + int(c.B)*31) & 255
	if u := p.src[k]; u != nil && u.C == c {
		return u
	}
	u := image.NewUniform(c)
	p.src[k] = u
	return u
}

// begin sizes the rasterizer to the part of the canvas that the box
// (x0, y0)-(x1, y1) covers and returns that rectangle; empty: nothing to do.
func (p *Painter) begin(dst *image.RGBA, x0, y0, x1, y1 float32) image.Rectangle {
	r := image.Rect(int(math.Floor(float64(x0))), int(math.Floor(float64(y0))),
		int(math.Ceil(float64(x1))), int(math.Ceil(float64(y1)))).Intersect(dst.Bounds())
	if !r.Empty() {
		p.z.Reset(r.Dx(), r.Dy())
		p.z.DrawOp = draw.Over
	}
	return r
}

func (p *Painter) fill(dst *image.RGBA, r image.Rectangle, c color.RGBA) {
	p.z.Draw(dst, r, p.uniform(c), image.Point{})
}

// rect fills an axis-aligned rectangle, anti-aliased at fractional edges.
func (p *Painter) rect(dst *image.RGBA, x, y, w, h float32, c color.RGBA) {
	if w <= 0 || h <= 0 {
		return
	}
	if x == float32(int(x)) && y == float32(int(y)) && w == float32(int(w)) && h == float32(int(h)) {
		r := image.Rect(int(x), int(y), int(x+w), int(y+h)).Intersect(dst.Bounds())
		draw.Draw(dst, r, p.uniform(c), image.Point{}, draw.Over)
		return
	}
	r := p.begin(dst, x, y, x+w, y+h)
	if r.Empty() {
		return
	}
	ox, oy := float32(r.Min.X), float32(r.Min.Y)
	z := &p.z
	z.MoveTo(x-ox, y-oy)
	z.LineTo(x+w-ox, y-oy)
	z.LineTo(x+w-ox, y+h-oy)
	z.LineTo(x-ox, y+h-oy)
	z.ClosePath()
	p.fill(dst, r, c)
}

// kappa places cubic control points to approximate a quarter circle.
const kappa = 0.5522847

func (p *Painter) roundRect(dst *image.RGBA, x, y, w, h, rad float32, c color.RGBA) {
	rad = min(rad, w/2, h/2)
	if w <= 0 || h <= 0 {
		return
	}
	r := p.begin(dst, x, y, x+w, y+h)
	if r.Empty() {
		return
	}
	x -= float32(r.Min.X)
	y -= float32(r.Min.Y)
	k := rad * kappa
	z := &p.z
	z.MoveTo(x+rad, y)
	z.LineTo(x+w-rad, y)
	z.CubeTo(x+w-rad+k, y, x+w, y+rad-k, x+w, y+rad)
	z.LineTo(x+w, y+h-rad)
	z.CubeTo(x+w, y+h-rad+k, x+w-rad+k, y+h, x+w-rad, y+h)
	z.LineTo(x+rad, y+h)
	z.CubeTo(x+rad-k, y+h, x, y+h-rad+k, x, y+h-rad)
	z.LineTo(x, y+rad)
	z.CubeTo(x, y+rad-k, x+rad-k, y, x+rad, y)
	z.ClosePath()
	p.fill(dst, r, c)
}

// circlePath adds a circle of radius rad around (cx, cy); reverse winds it
// the other way (a hole, under x/image/vector's accumulation).
func circlePath(z *vector.Rasterizer, cx, cy, rad float32, reverse bool) {
	k := rad * kappa
	if !reverse {
		z.MoveTo(cx+rad, cy)
		z.CubeTo(cx+rad, cy+k, cx+k, cy+rad, cx, cy+rad)
		z.CubeTo(cx-k, cy+rad, cx-rad, cy+k, cx-rad, cy)
		z.CubeTo(cx-rad, cy-k, cx-k, cy-rad, cx, cy-rad)
		z.CubeTo(cx+k, cy-rad, cx+rad, cy-k, cx+rad, cy)
	} else {
		z.MoveTo(cx+rad, cy)
		z.CubeTo(cx+rad, cy-k, cx+k, cy-rad, cx, cy-rad)
		z.CubeTo(cx-k, cy-rad, cx-rad, cy-k, cx-rad, cy)
		z.CubeTo(cx-rad, cy+k, cx-k, cy+rad, cx, cy+rad)
		z.CubeTo(cx+k, cy+rad, cx+rad, cy+k, cx+rad, cy)
	}
	z.ClosePath()
}

// circle fills a disc (lw 0) or strokes a ring of width lw centred on the
// radius.
func (p *Painter) circle(dst *image.RGBA, cx, cy, rad, lw float32, c color.RGBA) {
	outer := rad + lw/2
	r := p.begin(dst, cx-outer, cy-outer, cx+outer, cy+outer)
	if r.Empty() {
		return
	}
	cx -= float32(r.Min.X)
	cy -= float32(r.Min.Y)
	if lw == 0 {
		circlePath(&p.z, cx, cy, rad, false)
	} else {
		circlePath(&p.z, cx, cy, outer, false)
		circlePath(&p.z, cx, cy, max(rad-lw/2, 0), true)
	}
	p.fill(dst, r, c)
}

// line strokes a segment of width lw with butt ends.
func (p *Painter) line(dst *image.RGBA, x0, y0, x1, y1, lw float32, c color.RGBA) {
	dx, dy := x1-x0, y1-y0
	n := float32(math.Hypot(float64(dx), float64(dy)))
	if n == 0 {
		return
	}
	nx, ny := -dy/n*lw/2, dx/n*lw/2
	r := p.begin(dst, min(x0, x1)-lw, min(y0, y1)-lw, max(x0, x1)+lw, max(y0, y1)+lw)
	if r.Empty() {
		return
	}
	ox, oy := float32(r.Min.X), float32(r.Min.Y)
	z := &p.z
	z.MoveTo(x0+nx-ox, y0+ny-oy)
	z.LineTo(x1+nx-ox, y1+ny-oy)
	z.LineTo(x1-nx-ox, y1-ny-oy)
	z.LineTo(x0-nx-ox, y0-ny-oy)
	z.ClosePath()
	p.fill(dst, r, c)
}

// text draws a text primitive from viz/typeface's glyph masks, at the
// advances scene measured with, so alignment holds exactly.
func (p *Painter) text(dst *image.RGBA, pr *scene.Prim, c color.RGBA) {
	size := pr.R
	if size == 0 {
		size = scene.SizeNormal
	}
	src := p.uniform(c)
	atlas := typeface.Atlas()
	typeface.Each(pr.S, pr.TextLeft(), pr.Y, size, func(g typeface.Glyph, x, y int) {
		r := image.Rect(x, y, x+g.Rect.Dx(), y+g.Rect.Dy())
		draw.DrawMask(dst, r, src, image.Point{}, atlas, g.Rect.Min, draw.Over)
	})
}

// dots draws a PrimDots grid from one cached dot mask.
func (p *Painter) dots(dst *image.RGBA, pr *scene.Prim, c color.RGBA) {
	if p.dot == nil {
		var z vector.Rasterizer
		z.Reset(scene.DotSize, scene.DotSize)
		h := float32(scene.DotSize) / 2
		circlePath(&z, h, h, h, false)
		p.dot = image.NewAlpha(image.Rect(0, 0, scene.DotSize, scene.DotSize))
		z.Draw(p.dot, p.dot.Bounds(), image.Opaque, image.Point{})
	}
	per := max(int(pr.W)/scene.DotPitch, 1)
	n := int(pr.H)
	src := p.uniform(c)
	for i := range n {
		x := int(pr.X) + (i%per)*scene.DotPitch
		y := int(pr.Y) + (i/per)*scene.DotPitch
		r := image.Rect(x, y, x+scene.DotSize, y+scene.DotSize)
		if !r.In(dst.Bounds()) {
			if r.Min.Y >= dst.Bounds().Max.Y {
				return
			}
			continue
		}
		draw.DrawMask(dst, r, src, image.Point{}, p.dot, image.Point{}, draw.Over)
	}
}
