package scene

import (
	"image/color"
	"math"
	"testing"
)

func luminance(c color.RGBA) float64 {
	f := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*f(c.R) + 0.7152*f(c.G) + 0.0722*f(c.B)
}

// ContrastRatio is WCAG 2's contrast ratio of two colours.
func ContrastRatio(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Every colour the sections draw text in is readable (WCAG AA, 4.5:1) on
// both backgrounds text sits on.
func TestContrast(t *testing.T) {
	used := map[Color]bool{}
	for _, id := range NewApp().IDs() {
		a := run(t, "s="+id, 60)
		if id == "routing" {
			_ = a.Action("route", "GET /users/42")
			a.Step(300)
		}
		for _, p := range a.Draw(1280, 560).Prims {
			if p.Kind == PrimText {
				used[p.C] = true
			}
		}
	}
	// Dark text (Background) is only drawn on coloured bars: the browser
	// test measures those against the pixels under them.
	delete(used, Background)
	for c := range used {
		for _, bg := range []Color{Background, Panel} {
			if r := ContrastRatio(Palette[c], Palette[bg]); r < 4.5 {
				t.Errorf("text colour %d on %d: contrast %.2f < 4.5", c, bg, r)
			}
		}
	}
}
