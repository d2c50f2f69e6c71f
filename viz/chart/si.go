package chart

import (
	"github.com/gohttpsim/gohttpsim/viz/si"
	"gonum.org/v1/plot"
)

// SI formats v with an SI prefix and about three significant digits:
// 750K, 2.3M, 42, 0.25 (see package viz/si).
func SI(v float64) string { return si.Format(v) }

// sig3 prints v with three significant digits, no trailing zeros.
func sig3(v float64) string { return si.Sig3(v) }

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
