package scene

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/viz/si"
)

// Quantity says how a chart formats its values.
type Quantity uint8

const (
	Count    Quantity = iota // 750K, 1.2M
	Rate                     // 750K/s
	Duration                 // values in ns: 2.3 ms
	Bytes                    // 12 MiB
	Fraction                 // values in [0, 1]: 42%
)

// QuantityOf returns the quantity of a metric or probe from its declared
// unit (sim/scenario's "Metric units"): ns → Duration, B → Bytes, a unit
// per second → Rate, "1" → Fraction, a count or anything else → Count.
func QuantityOf(unit string) Quantity {
	switch {
	case unit == "ns":
		return Duration
	case unit == "B":
		return Bytes
	case unit == "1":
		return Fraction
	case strings.HasSuffix(unit, "/s"):
		return Rate
	}
	return Count
}

// siNum formats v with an SI prefix and about three significant digits
// (viz/si, shared with the sweep charts).
func siNum(v float64) string { return si.Format(v) }

// trimNum prints 3 significant digits without trailing zeros.
func trimNum(v float64) string { return si.Sig3(v) }

// format formats v as quantity q.
func (q Quantity) format(v float64) string {
	switch q {
	case Rate:
		return siNum(v) + "/s"
	case Fraction:
		return trimNum(100*v) + "%"
	case Duration:
		a := math.Abs(v)
		switch {
		case a >= 1e9:
			return trimNum(v/1e9) + " s"
		case a >= 1e6:
			return trimNum(v/1e6) + " ms"
		case a >= 1e3:
			return trimNum(v/1e3) + " us"
		}
		return trimNum(v) + " ns"
	case Bytes:
		a := math.Abs(v)
		switch {
		case a >= 1<<30:
			return trimNum(v/(1<<30)) + " GiB"
		case a >= 1<<20:
			return trimNum(v/(1<<20)) + " MiB"
		case a >= 1<<10:
			return trimNum(v/(1<<10)) + " KiB"
		}
		return trimNum(v) + " B"
	}
	return siNum(v)
}

// niceStep returns a 1-2-5 step giving about n ticks up to top.
func niceStep(top float64, n int, q Quantity) float64 {
	raw := top / float64(n)
	if raw <= 0 {
		return 1
	}
	base := 10.0
	if q == Bytes && raw >= 1024 {
		// powers of two read better for bytes
		return math.Pow(2, math.Ceil(math.Log2(raw)))
	}
	mag := math.Pow(base, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// plotSpec is a time chart of the last samples of some series.
type plotSpec struct {
	title  string
	q      Quantity
	dt     time.Duration // time between samples
	series []*series
	colors []Color
	names  []string
	// mark is a horizontal line (a limit: ulimit -n, the offered load),
	// labelled markLabel; 0: none.
	mark      float64
	markLabel string
}

// plot draws a time chart in b: title and legend above the data, y axis
// with 1-2-5 ticks and units on the left, time axis (seconds before now)
// below, grid lines behind the series.
func plot(l *List, b Box, ps plotSpec) {
	l.RoundRect(b.X, b.Y, b.W, b.H, 4, Panel)
	l.TextAt(b.X+8, b.Y+4, ps.title, SizeNormal, Left, Ink)
	// Legend after the title, outside the data.
	lx := b.X + 16 + TextWidth(ps.title, SizeNormal)
	for i, n := range ps.names {
		if lx+TextWidth(n, SizeSmall)+20 > b.X+b.W {
			break
		}
		glyph(l, ShapeLine, ps.colors[i], lx+6, b.Y+4+LineH/2)
		l.TextAt(lx+16, b.Y+6, n, SizeSmall, Left, Muted)
		lx += 30 + TextWidth(n, SizeSmall)
	}
	top := ps.mark
	n := 0
	for _, s := range ps.series {
		top = max(top, s.max())
		n = max(n, s.n)
	}
	if top <= 0 {
		top = 1
	}
	step := niceStep(top, 4, ps.q)
	top = math.Ceil(top/step) * step
	const axisW = 52
	px, py := b.X+axisW, b.Y+LineH+10
	pw, ph := b.W-axisW-10, b.H-LineH-10-LineH-6
	if pw < 20 || ph < 16 {
		return
	}
	yOf := func(v float64) float32 { return py + ph - float32(v/top)*ph }
	for v := 0.0; v <= top*1.0001; v += step {
		y := yOf(v)
		l.LineW(px, y, px+pw, y, 1, Grid)
		l.TextAt(px-6, y-SizeSmall/2-1, ps.q.format(v), SizeSmall, Right, Muted)
	}
	l.LineW(px, py, px, py+ph, 1, Muted)
	l.LineW(px, py+ph, px+pw, py+ph, 1, Muted)
	// Time axis: the ring's capacity spans pw; ticks every nice number of
	// seconds before now.
	capN := histLen
	if len(ps.series) > 0 {
		capN = len(ps.series[0].v)
	}
	span := time.Duration(capN-1) * ps.dt
	dx := pw / float32(capN-1)
	if span > 0 {
		ts := niceStep(span.Seconds(), 4, Count)
		for t := 0.0; t <= span.Seconds()+1e-9; t += ts {
			x := px + pw - float32(t/span.Seconds())*pw
			l.LineW(x, py+ph, x, py+ph+4, 1, Muted)
			label := "now"
			if t > 0 {
				label = "-" + roundDur(time.Duration(t*1e9))
			}
			a := Center
			if x > px+pw-20 {
				a = Right
			}
			l.TextAt(x, py+ph+5, label, SizeSmall, a, Muted)
		}
	}
	if ps.mark > 0 {
		y := yOf(ps.mark)
		l.LineW(px, y, px+pw, y, 1.5, Warn)
		l.TextAt(px+pw-4, y-SizeSmall-3, ps.markLabel, SizeSmall, Right, Warn)
	}
	// Series, newest sample at the right edge.
	for k, s := range ps.series {
		if s.n < 2 {
			continue
		}
		x0 := px + pw - float32(s.n-1)*dx
		for i := 1; i < s.n; i++ {
			l.LineW(x0+float32(i-1)*dx, yOf(s.at(i-1)), x0+float32(i)*dx, yOf(s.at(i)), 2, ps.colors[k])
		}
		l.Circle(px+pw, yOf(s.at(s.n-1)), 3, ps.colors[k])
	}
}

// value formats v as quantity q (for status lines).
func value(q Quantity, v float64) string { return q.format(v) }

var _ = fmt.Sprint
