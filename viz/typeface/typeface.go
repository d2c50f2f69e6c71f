package typeface

import (
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

var (
	parseOnce sync.Once
	parsed    *opentype.Font
	// adv[r] is the advance of ASCII rune r at size 1 (em units / upem).
	adv [128]float32
	// ascent and descent at size 1.
	ascent, descent float32

	facesMu sync.Mutex
	faces   = map[float32]font.Face{}
)

func load() {
	parseOnce.Do(func() {
		f, err := opentype.Parse(goregular.TTF)
		if err != nil {
			panic("typeface: embedded Go Regular does not parse: " + err.Error())
		}
		parsed = f
		// Metrics at a large size (1024 px, unhinted) scaled down: exact
		// enough for layout at any size.
		const ref = 1024
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: ref, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			panic("typeface: " + err.Error())
		}
		for r := rune(32); r < 127; r++ {
			a, ok := face.GlyphAdvance(r)
			if !ok {
				a, _ = face.GlyphAdvance('?')
			}
			adv[r] = float32(a) / 64 / ref
		}
		m := face.Metrics()
		ascent, descent = float32(m.Ascent)/64/ref, float32(m.Descent)/64/ref
	})
}

// Face returns the face of the given pixel size (72 DPI, unhinted: glyph
// shapes scale exactly, so layouts measured with [Width] hold). Faces are
// cached and shared; a face is not safe for concurrent drawing, so callers
// that draw from several goroutines must serialize.
func Face(size float32) font.Face {
	load()
	facesMu.Lock()
	defer facesMu.Unlock()
	if f, ok := faces[size]; ok {
		return f
	}
	f, err := opentype.NewFace(parsed, &opentype.FaceOptions{Size: float64(size), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("typeface: " + err.Error())
	}
	faces[size] = f
	return f
}

// Width returns the advance width of s at the given pixel size, without
// kerning (the painters draw glyph by glyph at these advances). Runes
// outside printable ASCII measure as '?', which is also what the painters
// draw for them when the font lacks a glyph.
func Width(s string, size float32) float32 {
	load()
	w := float32(0)
	for _, r := range s {
		if r < 32 || r >= 127 {
			r = '?'
		}
		w += adv[r]
	}
	return w * size
}

// Advance returns the advance of r at the given size (see [Width]).
func Advance(r rune, size float32) float32 {
	load()
	if r < 32 || r >= 127 {
		r = '?'
	}
	return adv[r] * size
}

// Ascent returns the distance from the top of a line to its baseline at
// the given size; [LineHeight] is the full line.
func Ascent(size float32) float32 { load(); return ascent * size }

// LineHeight returns the height of one line of text at the given size.
func LineHeight(size float32) float32 { load(); return (ascent + descent) * size }

// Fixed converts a float pixel coordinate to 26.6 fixed point.
func Fixed(x float32) fixed.Int26_6 { return fixed.Int26_6(x * 64) }
