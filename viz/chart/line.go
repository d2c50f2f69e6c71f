package chart

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one line: Y against X with a 95% CI [Lo, Hi] per point (Lo and
// Hi may be nil: no error bars). Values are already in display units.
type Series struct {
	Name         string
	X, Y, Lo, Hi []float64
}

// Rule is a horizontal (Y) or vertical (X) reference line.
type Rule struct {
	Vertical bool
	At       float64
	Label    string
}

// Line is a line chart. When XNames is set the x axis is categorical: X
// values are indices into XNames.
type Line struct {
	Title, XLabel, YLabel string
	XNames                []string
	LogX                  bool // log-scale x axis (geometric sweeps)
	LogY                  bool // log-scale y axis (latencies spanning decades)
	// YMax > 0 clips the y axis: points above it are left out (with their
	// error bars), so that the region of interest stays readable.
	YMax   float64
	Series []Series
	Rules  []Rule
}

func (l *Line) hasRuleAtOrBelowZero() bool {
	for _, r := range l.Rules {
		if !r.Vertical && r.At <= 0 {
			return true
		}
	}
	return false
}

// xyErr adapts a Series to plotter.XYer and plotter.YErrorer, skipping
// non-finite points (which gonum/plot cannot draw).
type xyErr struct{ x, y, lo, hi []float64 }

func (s xyErr) Len() int                { return len(s.x) }
func (s xyErr) XY(i int) (x, y float64) { return s.x[i], s.y[i] }
func (s xyErr) YError(i int) (float64, float64) {
	return s.y[i] - s.lo[i], s.hi[i] - s.y[i]
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// Plot builds the gonum plot. It fails on mismatched slice lengths, never
// panics on NaN (such points are left out).
func (l *Line) Plot() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = l.Title
	p.X.Label.Text = l.XLabel
	p.Y.Label.Text = l.YLabel
	p.Add(plotter.NewGrid())
	drawn := 0
	// A log y axis only when every value to draw is positive.
	logY := l.LogY && !l.hasRuleAtOrBelowZero()
	for _, s := range l.Series {
		for j := range s.Y {
			if finite(s.Y[j]) && (s.Y[j] <= 0 || (s.Lo != nil && s.Lo[j] <= 0)) {
				logY = false
			}
		}
	}
	for i, s := range l.Series {
		if len(s.Y) != len(s.X) || (s.Lo != nil && len(s.Lo) != len(s.X)) || (s.Hi != nil && len(s.Hi) != len(s.X)) {
			return nil, fmt.Errorf("chart: series %q: X, Y, Lo and Hi lengths differ", s.Name)
		}
		var d xyErr
		for j := range s.X {
			lo, hi := s.Y[j], s.Y[j]
			if s.Lo != nil {
				lo, hi = s.Lo[j], s.Hi[j]
			}
			if !finite(s.X[j], s.Y[j], lo, hi) || (l.LogX && s.X[j] <= 0) || (logY && (s.Y[j] <= 0 || lo <= 0)) || (l.YMax > 0 && s.Y[j] > l.YMax) {
				continue
			}
			if l.YMax > 0 {
				hi = math.Min(hi, l.YMax)
			}
			d.x, d.y, d.lo, d.hi = append(d.x, s.X[j]), append(d.y, s.Y[j]), append(d.lo, lo), append(d.hi, hi)
		}
		if d.Len() == 0 {
			continue
		}
		drawn += d.Len()
		line, points, err := plotter.NewLinePoints(d)
		if err != nil {
			return nil, err
		}
		c := plotutil.Color(i)
		line.Color = c
		points.Color = c
		points.Shape = plotutil.Shape(i)
		p.Add(line, points)
		if s.Lo != nil {
			eb, err := plotter.NewYErrorBars(d)
			if err != nil {
				return nil, err
			}
			eb.Color = c
			eb.CapWidth = vg.Points(6)
			p.Add(eb)
		}
		if s.Name != "" {
			p.Legend.Add(s.Name, line, points)
		}
	}
	for _, r := range l.Rules {
		rl := ruleLine{r}
		p.Add(rl)
		if r.Label != "" {
			p.Legend.Add(r.Label, rl)
		}
	}
	p.Y.Tick.Marker = siTicks{plot.DefaultTicks{}}
	if logY && drawn > 0 {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = siTicks{plot.LogTicks{Prec: -1}}
	}
	if l.XNames == nil && !l.LogX {
		p.X.Tick.Marker = siTicks{plot.DefaultTicks{}}
	}
	if l.YMax > 0 {
		p.Y.Max = l.YMax
		// Keep the x range of every point, drawn or clipped.
		for _, s := range l.Series {
			for _, x := range s.X {
				if finite(x) && (!l.LogX || x > 0) {
					p.X.Min, p.X.Max = math.Min(p.X.Min, x), math.Max(p.X.Max, x)
				}
			}
		}
	}
	if l.XNames != nil {
		p.NominalX(l.XNames...)
		p.X.Label.Text = l.XLabel
		p.X.Min, p.X.Max = -0.5, float64(len(l.XNames))-0.5
	} else if l.LogX {
		// Geometric sweeps: a log axis with a tick at every swept value
		// (gonum's LogTicks would label only the powers of ten).
		p.X.Scale = plot.LogScale{}
		var ticks []plot.Tick
		for _, s := range l.Series {
			for _, x := range s.X {
				if x > 0 && finite(x) && !hasTick(ticks, x) {
					ticks = append(ticks, plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', 4, 64)})
				}
			}
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	return p, nil
}

func hasTick(ts []plot.Tick, x float64) bool {
	for _, t := range ts {
		if t.Value == x {
			return true
		}
	}
	return false
}

// ruleLine draws a dashed reference line across the data area.
type ruleLine struct{ r Rule }

var ruleStyle = draw.LineStyle{Color: color.RGBA{R: 200, A: 255}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}

func (rl ruleLine) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	var pts []vg.Point
	if rl.r.Vertical {
		x := tx(rl.r.At)
		pts = []vg.Point{{X: x, Y: c.Min.Y}, {X: x, Y: c.Max.Y}}
	} else {
		y := ty(rl.r.At)
		pts = []vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}}
	}
	c.StrokeLines(ruleStyle, c.ClipLinesXY(pts)...)
}

// DataRange includes the rule's position so that it is always visible.
func (rl ruleLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	if rl.r.Vertical {
		return rl.r.At, rl.r.At, math.Inf(1), math.Inf(-1)
	}
	return math.Inf(1), math.Inf(-1), rl.r.At, rl.r.At
}

func (rl ruleLine) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(ruleStyle, c.Min.X, y, c.Max.X, y)
}
