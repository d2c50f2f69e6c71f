package scene

import (
	"image/color"

	"github.com/gohttpsim/gohttpsim/viz/typeface"
)

// Color is an index into [Palette]; the painter maps it to RGBA.
type Color uint8

// The palette: one colour key for every section. The first names are the
// page's chrome; the rest say what an entity is or what state it is in, so
// a legend reads the same everywhere ([Key] lists them).
const (
	Background Color = iota
	Panel
	Ink   // text
	Muted // secondary text, axes, outlines
	Running
	Runnable
	Waiting // parked (netpoller, IO wait)
	Syscall
	Idle
	Accent
	Bad
	Good
	Warn
	Thread      // an M
	Proc        // a P
	ConnIdle    // a connection in the idle list
	ConnActive  // carrying a request
	ConnDialing // being dialed
	TimeWait    // closed, in TIME_WAIT
	Request     // a request (token)
	FrameData
	FrameHeaders
	FrameWindow // WINDOW_UPDATE
	FrameCtrl   // SETTINGS, PING, ...
	Lost        // a lost segment
	Status503
	Grid // chart grid lines
	numColors
)

// Palette holds the RGBA of each [Color]: dark background, colour-blind
// safe accents (Okabe–Ito); every text colour has a contrast ratio of at
// least 4.5 against Background and Panel (TestContrast).
var Palette = [numColors]color.RGBA{
	Background:   {0x12, 0x16, 0x1c, 0xff},
	Panel:        {0x1e, 0x25, 0x2e, 0xff},
	Ink:          {0xe8, 0xea, 0xed, 0xff},
	Muted:        {0x9a, 0xa4, 0xb3, 0xff},
	Running:      {0x00, 0xb0, 0x80, 0xff}, // bluish green
	Runnable:     {0xe6, 0x9f, 0x00, 0xff}, // orange
	Waiting:      {0x56, 0xb4, 0xe9, 0xff}, // sky blue
	Syscall:      {0xcc, 0x79, 0xa7, 0xff}, // reddish purple
	Idle:         {0x4a, 0x55, 0x64, 0xff},
	Accent:       {0x3a, 0x8f, 0xd8, 0xff}, // blue
	Bad:          {0xe8, 0x6a, 0x10, 0xff}, // vermillion
	Good:         {0x00, 0xb0, 0x80, 0xff},
	Warn:         {0xf0, 0xe4, 0x42, 0xff}, // yellow
	Thread:       {0xc8, 0xd0, 0xda, 0xff},
	Proc:         {0x3a, 0x8f, 0xd8, 0xff},
	ConnIdle:     {0x56, 0xb4, 0xe9, 0xff},
	ConnActive:   {0x00, 0xb0, 0x80, 0xff},
	ConnDialing:  {0xe6, 0x9f, 0x00, 0xff},
	TimeWait:     {0x6c, 0x78, 0x88, 0xff},
	Request:      {0xf0, 0xe4, 0x42, 0xff},
	FrameData:    {0x00, 0xb0, 0x80, 0xff},
	FrameHeaders: {0x3a, 0x8f, 0xd8, 0xff},
	FrameWindow:  {0x56, 0xb4, 0xe9, 0xff},
	FrameCtrl:    {0x9a, 0xa4, 0xb3, 0xff},
	Lost:         {0xff, 0x4d, 0x4d, 0xff},
	Status503:    {0xe8, 0x6a, 0x10, 0xff},
	Grid:         {0x2c, 0x35, 0x40, 0xff},
}

// PrimKind is what a [Prim] draws.
type PrimKind uint8

const (
	PrimRect   PrimKind = iota // filled rectangle X, Y, W, H; corner radius R
	PrimStroke                 // rectangle outline X, Y, W, H; line width R
	PrimLine                   // line from (X, Y) to (X+W, Y+H); width R
	PrimCircle                 // disc centred on (X, Y), radius R
	PrimRing                   // circle outline centred on (X, Y), radius R, width W
	PrimText                   // S with its top-left corner at (X, Y), size R, aligned by Align
	// PrimDots is a grid of H round dots (DotSize wide, DotPitch apart)
	// filling rows of width W from (X, Y): one primitive however many
	// goroutines it shows, so the painter can draw it row by row.
	PrimDots
)

// Dot grid metrics.
const (
	DotSize  = 4
	DotPitch = 5
)

// Text sizes in pixels.
const (
	SizeSmall  = 11
	SizeNormal = 13
	SizeTitle  = 15
)

// Align is a text's horizontal anchor.
type Align uint8

const (
	Left Align = iota
	Center
	Right
)

// Prim is one drawing primitive in canvas pixels (CSS pixels; the painter
// applies the device scale).
type Prim struct {
	Kind       PrimKind
	C          Color
	Align      Align
	X, Y, W, H float32
	R          float32
	S          string
}

// LineH is the height of a line of normal text, used for layout; CharW is
// an average character width, for rough budgets only (measure with
// [TextWidth]).
const (
	LineH = 16
	CharW = 7
)

// TextWidth returns the width of s drawn at the given size, in the font
// every painter uses (viz/typeface).
func TextWidth(s string, size float32) float32 { return typeface.Width(s, size) }

// List is a display list. Reset keeps its capacity, so a steady frame
// allocates nothing for the list itself.
type List struct {
	Prims []Prim
}

// Reset empties the list.
func (l *List) Reset() { l.Prims = l.Prims[:0] }

// Rect adds a filled rectangle.
func (l *List) Rect(x, y, w, h float32, c Color) {
	l.Prims = append(l.Prims, Prim{Kind: PrimRect, C: c, X: x, Y: y, W: w, H: h})
}

// RoundRect adds a filled rectangle with corners of radius r.
func (l *List) RoundRect(x, y, w, h, r float32, c Color) {
	l.Prims = append(l.Prims, Prim{Kind: PrimRect, C: c, X: x, Y: y, W: w, H: h, R: r})
}

// Frame adds a 1-px outline.
func (l *List) Frame(x, y, w, h float32, c Color) { l.Stroke(x, y, w, h, 1, c) }

// Stroke adds a rectangle outline of line width lw, inside the rectangle.
func (l *List) Stroke(x, y, w, h, lw float32, c Color) {
	l.Prims = append(l.Prims, Prim{Kind: PrimStroke, C: c, X: x, Y: y, W: w, H: h, R: lw})
}

// Line adds a line segment 1.5 px wide.
func (l *List) Line(x1, y1, x2, y2 float32, c Color) { l.LineW(x1, y1, x2, y2, 1.5, c) }

// LineW adds a line segment of width lw.
func (l *List) LineW(x1, y1, x2, y2, lw float32, c Color) {
	l.Prims = append(l.Prims, Prim{Kind: PrimLine, C: c, X: x1, Y: y1, W: x2 - x1, H: y2 - y1, R: lw})
}

// Circle adds a disc of radius r centred on (x, y).
func (l *List) Circle(x, y, r float32, c Color) {
	l.Prims = append(l.Prims, Prim{Kind: PrimCircle, C: c, X: x, Y: y, R: r})
}

// Ring adds a circle outline of radius r and line width lw.
func (l *List) Ring(x, y, r, lw float32, c Color) {
	l.Prims = append(l.Prims, Prim{Kind: PrimRing, C: c, X: x, Y: y, R: r, W: lw})
}

// Text adds a line of normal-size text with its top-left corner at (x, y).
func (l *List) Text(x, y float32, s string, c Color) { l.TextAt(x, y, s, SizeNormal, Left, c) }

// TextAt adds a line of text of the given size, anchored at x by a.
func (l *List) TextAt(x, y float32, s string, size float32, a Align, c Color) {
	l.Prims = append(l.Prims, Prim{Kind: PrimText, C: c, X: x, Y: y, R: size, Align: a, S: s})
}

// Dots adds a grid of n dots in rows of width w; it returns the height
// the grid takes.
func (l *List) Dots(x, y, w float32, n int, c Color) float32 {
	if n <= 0 {
		return 0
	}
	l.Prims = append(l.Prims, Prim{Kind: PrimDots, C: c, X: x, Y: y, W: w, H: float32(n)})
	per := max(int(w)/DotPitch, 1)
	return float32((n+per-1)/per) * DotPitch
}

// TextLeft returns the x of a text primitive's left edge.
func (p *Prim) TextLeft() float32 {
	switch p.Align {
	case Center:
		return p.X - TextWidth(p.S, p.R)/2
	case Right:
		return p.X - TextWidth(p.S, p.R)
	}
	return p.X
}

// Count returns how many primitives of kind k use colour c (for tests).
func (l *List) Count(k PrimKind, c Color) int {
	n := 0
	for _, p := range l.Prims {
		if p.Kind == k && p.C == c {
			n++
		}
	}
	return n
}

// Texts returns every text primitive's string (for tests).
func (l *List) Texts() []string {
	var out []string
	for _, p := range l.Prims {
		if p.Kind == PrimText {
			out = append(out, p.S)
		}
	}
	return out
}

// Box is a hit-test rectangle.
type Box struct{ X, Y, W, H float32 }

// Contains reports whether (x, y) is inside b.
func (b Box) Contains(x, y float32) bool {
	return x >= b.X && x < b.X+b.W && y >= b.Y && y < b.Y+b.H
}

func typefaceAdvance(r rune, size float32) float32 { return typeface.Advance(r, size) }
