package typeface

import (
	_ "embed"
	"encoding/binary"
	"image"
	"math"
	"sync"

	"golang.org/x/image/math/fixed"
)

//go:embed atlas.bin
var atlasBin []byte

const first, last = 32, 126

// Glyph is one rendered glyph: its mask in [Atlas] and the offset of the
// mask's top-left corner from the pen position on the baseline.
type Glyph struct {
	Rect   image.Rectangle
	DX, DY int
}

var (
	once    sync.Once
	atlas   *image.Alpha
	sizes   []float32
	glyphs  [][last - first + 1]Glyph
	adv     [128]float32
	ascent  float32
	descent float32
)

func load() {
	once.Do(func() {
		b := atlasBin
		n := int(int32(binary.LittleEndian.Uint32(b)))
		hdr := make([]int32, n)
		for i := range hdr {
			hdr[i] = int32(binary.LittleEndian.Uint32(b[4+4*i:]))
		}
		pix := b[4+4*n:]
		w, h, ns := int(hdr[0]), int(hdr[1]), int(hdr[2])
		atlas = &image.Alpha{Pix: pix, Stride: w, Rect: image.Rect(0, 0, w, h)}
		k := 3
		for range ns {
			sizes = append(sizes, float32(hdr[k])/100)
			k++
			var row [last - first + 1]Glyph
			for r := range row {
				x, y, gw, gh := int(hdr[k]), int(hdr[k+1]), int(hdr[k+2]), int(hdr[k+3])
				row[r] = Glyph{image.Rect(x, y, x+gw, y+gh), int(hdr[k+4]), int(hdr[k+5])}
				k += 6
			}
			glyphs = append(glyphs, row)
		}
		for r := first; r <= last; r++ {
			adv[r] = float32(hdr[k]) / 1e6
			k++
		}
		ascent, descent = float32(hdr[k])/1e6, float32(hdr[k+1])/1e6
	})
}

// Atlas returns the glyph masks (do not modify).
func Atlas() *image.Alpha { load(); return atlas }

// sizeIndex returns the rendered size nearest to size.
func sizeIndex(size float32) int {
	best := 0
	for i, s := range sizes {
		if math.Abs(float64(s-size)) < math.Abs(float64(sizes[best]-size)) {
			best = i
		}
	}
	return best
}

// GlyphOf returns the glyph of r at the rendered size nearest to size
// (runes outside printable ASCII render as '?').
func GlyphOf(r rune, size float32) Glyph {
	load()
	if r < first || r > last {
		r = '?'
	}
	return glyphs[sizeIndex(size)][r-first]
}

// Width returns the advance width of s at the given pixel size, without
// kerning (the painters place glyph by glyph at these advances).
func Width(s string, size float32) float32 {
	load()
	w := float32(0)
	for _, r := range s {
		if r < first || r > last {
			r = '?'
		}
		w += adv[r]
	}
	return w * size
}

// Advance returns the advance of r at the given size (see [Width]).
func Advance(r rune, size float32) float32 {
	load()
	if r < first || r > last {
		r = '?'
	}
	return adv[r] * size
}

// Ascent returns the distance from the top of a line to its baseline at
// the given size; [LineHeight] is the full line.
func Ascent(size float32) float32 { load(); return ascent * size }

// LineHeight returns the height of one line of text at the given size.
func LineHeight(size float32) float32 { load(); return (ascent + descent) * size }

// Each calls f for every glyph of s drawn with its top-left corner at
// (x, y) and the given size: the glyph and the integer pixel position of
// its mask's top-left corner. Both painters place text with it.
func Each(s string, x, y, size float32, f func(g Glyph, px, py int)) {
	load()
	base := int(math.Round(float64(y + Ascent(size))))
	for _, r := range s {
		g := GlyphOf(r, size)
		if !g.Rect.Empty() {
			f(g, int(math.Round(float64(x)))+g.DX, base+g.DY)
		}
		x += Advance(r, size)
	}
}

// Fixed converts a float pixel coordinate to 26.6 fixed point.
func Fixed(x float32) fixed.Int26_6 { return fixed.Int26_6(x * 64) }
