package chart

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// SI formats v with an SI prefix and about three significant digits:
// 750K, 2.3M, 42, 0.25.
func SI(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	a := math.Abs(v)
	for _, p := range []struct {
		s string
		f float64
	}{{"G", 1e9}, {"M", 1e6}, {"K", 1e3}} {
		if a >= p.f {
			return sig3(v/p.f) + p.s
		}
	}
	return sig3(v)
}

// sig3 prints v with three significant digits, no trailing zeros.
func sig3(v float64) string {
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

// siTicks relabels another ticker's major ticks with SI numbers (750K,
// not 750000.00).
type siTicks struct{ plot.Ticker }

func (t siTicks) Ticks(min, max float64) []plot.Tick {
	ts := t.Ticker.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = SI(ts[i].Value)
		}
	}
	return ts
}
