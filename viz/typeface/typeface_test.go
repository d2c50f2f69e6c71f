package typeface

import (
	"testing"

	"golang.org/x/image/font"
)

// Width agrees with what the face itself measures (no kerning pairs in the
// strings chosen), and scales linearly with the size.
func TestWidthMatchesFace(t *testing.T) {
	for _, tc := range []struct {
		s    string
		size float32
	}{{"goroutines 10000", 13}, {"P0 running", 11}, {"TIME_WAIT", 16}} {
		want := float32(font.MeasureString(Face(tc.size), tc.s)) / 64
		got := Width(tc.s, tc.size)
		if d := got - want; d > 1 || d < -1 {
			t.Errorf("Width(%q, %v) = %v, face measures %v", tc.s, tc.size, got, want)
		}
	}
	if a, b := Width("abc", 10), Width("abc", 20); b < 1.99*a || b > 2.01*a {
		t.Errorf("width does not scale with size: %v at 10, %v at 20", a, b)
	}
	if Ascent(13) <= 0 || LineHeight(13) <= Ascent(13) {
		t.Errorf("metrics: ascent %v line %v", Ascent(13), LineHeight(13))
	}
}
