// Package render rasterises Go Regular's printable ASCII glyphs at the
// scene's text sizes into the atlas viz/typeface embeds (run
// `go generate ./viz/typeface`). Only the generator and a test import it:
// the font parser stays out of the wasm module.
package render

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/draw"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Sizes are the pixel sizes rendered.
var Sizes = []float32{11, 13, 15}

// First and Last bound the runes rendered (printable ASCII).
const First, Last = 32, 126

// Atlas returns the encoded atlas: a header of little-endian int32s
// (atlas width, height, number of sizes; then per size: size×100, and per
// rune: x, y, w, h, dx, dy, the mask's rectangle in the atlas and its
// offset from the pen position on the baseline), advances and metrics at
// size 1 as float32 ×1e6 int32s, then the alpha pixels.
func Atlas() []byte {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		panic(err)
	}
	type glyph struct {
		mask   *image.Alpha
		dx, dy int
	}
	var gs [][]glyph
	const atlasW = 512
	x, y, rowH := 0, 0, 0
	var places [][4]int
	for _, size := range Sizes {
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: float64(size), DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			panic(err)
		}
		var row []glyph
		for r := rune(First); r <= Last; r++ {
			dr, mask, mp, _, ok := face.Glyph(fixed.Point26_6{}, r)
			g := glyph{image.NewAlpha(image.Rect(0, 0, 0, 0)), 0, 0}
			if ok && !dr.Empty() {
				m := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
				draw.Draw(m, m.Bounds(), mask, mp, draw.Src)
				g = glyph{m, dr.Min.X, dr.Min.Y}
			}
			w, h := g.mask.Bounds().Dx(), g.mask.Bounds().Dy()
			if x+w+1 > atlasW {
				x, y, rowH = 0, y+rowH+1, 0
			}
			places = append(places, [4]int{x, y, w, h})
			x += w + 1
			rowH = max(rowH, h)
			row = append(row, g)
		}
		gs = append(gs, row)
	}
	atlasH := y + rowH + 1
	atlas := image.NewAlpha(image.Rect(0, 0, atlasW, atlasH))
	var hdr []int32
	hdr = append(hdr, atlasW, int32(atlasH), int32(len(Sizes)))
	i := 0
	for k, size := range Sizes {
		hdr = append(hdr, int32(size*100))
		for _, g := range gs[k] {
			p := places[i]
			i++
			draw.Draw(atlas, image.Rect(p[0], p[1], p[0]+p[2], p[1]+p[3]), g.mask, image.Point{}, draw.Src)
			hdr = append(hdr, int32(p[0]), int32(p[1]), int32(p[2]), int32(p[3]), int32(g.dx), int32(g.dy))
		}
	}
	// Advances and metrics at size 1, measured at 1024 px unhinted.
	const ref = 1024
	face, _ := opentype.NewFace(f, &opentype.FaceOptions{Size: ref, DPI: 72, Hinting: font.HintingNone})
	for r := rune(First); r <= Last; r++ {
		a, _ := face.GlyphAdvance(r)
		hdr = append(hdr, int32(float64(a)/64/ref*1e6))
	}
	m := face.Metrics()
	hdr = append(hdr, int32(float64(m.Ascent)/64/ref*1e6), int32(float64(m.Descent)/64/ref*1e6))
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, int32(len(hdr)))
	binary.Write(&b, binary.LittleEndian, hdr)
	b.Write(atlas.Pix)
	return b.Bytes()
}
