// Package si formats numbers for people: an SI prefix and about three
// significant digits (750K, 2.3M, 42, 0.25). Charts (viz/chart, gonum/plot)
// and the page's scenes (viz/scene, compiled to wasm) share it, so both
// print the same figure the same way; it imports nothing heavy.
package si

import (
	"math"
	"strconv"
	"strings"
)

// Format formats v with an SI prefix (K, M, G) and about three significant
// digits: 750K, 2.3M, 42, 0.25. NaN and ±Inf print as strconv does.
func Format(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	a := math.Abs(v)
	for _, p := range []struct {
		s string
		f float64
	}{{"G", 1e9}, {"M", 1e6}, {"K", 1e3}} {
		if a >= p.f {
			return Sig3(v/p.f) + p.s
		}
	}
	return Sig3(v)
}

// Sig3 prints v with three significant digits and no trailing zeros.
func Sig3(v float64) string {
	a := math.Abs(v)
	var s string
	switch {
	case a == 0:
		return "0"
	case a >= 100:
		s = strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		s = strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		s = strconv.FormatFloat(v, 'f', 2, 64)
	default:
		s = strconv.FormatFloat(v, 'g', 2, 64)
	}
	if strings.Contains(s, ".") && !strings.Contains(s, "e") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
