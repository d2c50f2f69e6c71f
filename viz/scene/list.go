package scene

import "image/color"

// Color is an index into [Palette]; the painter maps it to RGBA.
type Color uint8

// The palette. Names say what the colour means on every section, so a
// legend reads the same everywhere.
const (
	Background Color = iota
	Panel
	Ink   // text
	Muted // secondary text, outlines
	Running
	Runnable
	Waiting // parked (netpoller, IO wait)
	Syscall
	Idle
	Accent
	Bad
	Good
	Warn
	numColors
)

// Palette holds the RGBA of each [Color]: dark background, colour-blind
// safe accents (Okabe–Ito).
var Palette = [numColors]color.RGBA{
	Background: {0x12, 0x16, 0x1c, 0xff},
	Panel:      {0x1e, 0x25, 0x2e, 0xff},
	Ink:        {0xe8, 0xea, 0xed, 0xff},
	Muted:      {0x8a, 0x94, 0xa3, 0xff},
	Running:    {0x00, 0x9e, 0x73, 0xff}, // bluish green
	Runnable:   {0xe6, 0x9f, 0x00, 0xff}, // orange
	Waiting:    {0x56, 0xb4, 0xe9, 0xff}, // sky blue
	Syscall:    {0xcc, 0x79, 0xa7, 0xff}, // reddish purple
	Idle:       {0x4a, 0x55, 0x64, 0xff},
	Accent:     {0x00, 0x72, 0xb2, 0xff}, // blue
	Bad:        {0xd5, 0x5e, 0x00, 0xff}, // vermillion
	Good:       {0x00, 0x9e, 0x73, 0xff},
	Warn:       {0xf0, 0xe4, 0x42, 0xff}, // yellow
}

// PrimKind is what a [Prim] draws.
type PrimKind uint8

const (
	PrimRect PrimKind = iota // filled rectangle X, Y, W, H
	PrimLine                 // line from (X, Y) to (X+W, Y+H)
	PrimText                 // S with its top-left corner at (X, Y)
	// PrimDots is a grid of H dots (DotSize squares, DotPitch apart)
	// filling rows of width W from (X, Y): one primitive however many
	// goroutines it shows, so the painter can draw it row by row.
	PrimDots
)

// Dot grid metrics.
const (
	DotSize  = 4
	DotPitch = 5
)

// Prim is one drawing primitive in canvas pixels (CSS pixels; the painter
// applies the device scale).
type Prim struct {
	Kind       PrimKind
	C          Color
	X, Y, W, H float32
	S          string
}

// CharW and LineH are the metrics of the painter's monospace font
// (x/image basicfont 7×13 in 16-px lines), used for layout and hit tests.
const (
	CharW = 7
	LineH = 16
)

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

// Frame adds a 1-px outline.
func (l *List) Frame(x, y, w, h float32, c Color) {
	l.Rect(x, y, w, 1, c)
	l.Rect(x, y+h-1, w, 1, c)
	l.Rect(x, y, 1, h, c)
	l.Rect(x+w-1, y, 1, h, c)
}

// Line adds a line segment.
func (l *List) Line(x1, y1, x2, y2 float32, c Color) {
	l.Prims = append(l.Prims, Prim{Kind: PrimLine, C: c, X: x1, Y: y1, W: x2 - x1, H: y2 - y1})
}

// Text adds a line of text.
func (l *List) Text(x, y float32, s string, c Color) {
	l.Prims = append(l.Prims, Prim{Kind: PrimText, C: c, X: x, Y: y, S: s})
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
