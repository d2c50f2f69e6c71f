package si

import (
	"math"
	"testing"
)

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {42, "42"}, {0.25, "0.25"}, {750000, "750K"}, {2.3e6, "2.3M"},
		{1.5e9, "1.5G"}, {-12500, "-12.5K"}, {999, "999"}, {1000, "1K"}, {math.NaN(), "NaN"},
	} {
		if got := Format(tc.v); got != tc.want {
			t.Errorf("Format(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
