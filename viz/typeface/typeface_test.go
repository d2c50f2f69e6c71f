package typeface

import (
	"bytes"
	"testing"

	"github.com/gohttpsim/gohttpsim/viz/typeface/internal/render"
)

// The embedded atlas is what the generator makes from the font now.
func TestAtlasUpToDate(t *testing.T) {
	if !bytes.Equal(render.Atlas(), atlasBin) {
		t.Fatal("atlas.bin is stale: run go generate ./viz/typeface")
	}
}

// Widths scale linearly with the size, glyphs have ink, and Each places
// glyphs left to right.
func TestMetrics(t *testing.T) {
	if a, b := Width("abc", 10), Width("abc", 20); b < 1.99*a || b > 2.01*a || a <= 0 {
		t.Errorf("width does not scale with size: %v at 10, %v at 20", a, b)
	}
	if Ascent(13) <= 0 || LineHeight(13) <= Ascent(13) {
		t.Errorf("metrics: ascent %v line %v", Ascent(13), LineHeight(13))
	}
	g := GlyphOf('W', 13)
	ink := 0
	for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
		for x := g.Rect.Min.X; x < g.Rect.Max.X; x++ {
			if Atlas().AlphaAt(x, y).A > 128 {
				ink++
			}
		}
	}
	if ink < 10 {
		t.Errorf("W at 13 px has %d inked pixels", ink)
	}
	last := -1
	Each("Go go", 10, 0, 13, func(g Glyph, px, py int) {
		if px <= last || py < 0 {
			t.Errorf("glyph at %d,%d after %d", px, py, last)
		}
		last = px
	})
	if GlyphOf('é', 13) != GlyphOf('?', 13) {
		t.Errorf("non-ASCII does not fall back to ?")
	}
}
