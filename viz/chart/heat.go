package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heat is a heat map over a two-key grid: Z[y][x] in display units, with
// categorical axes named by XNames and YNames. Each cell is labelled with
// its value, so the chart reads without a colour bar.
type Heat struct {
	Title, XLabel, YLabel string
	XNames, YNames        []string
	Z                     [][]float64
	// Miss lists the cells {x, y} to outline (those missing an SLO), and
	// MissLabel names the outline in the legend.
	Miss      [][2]int
	MissLabel []string
}

// outline draws a box around each cell in cells.
type outline struct{ cells [][2]int }

var outlineStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(2.5)}

func (o outline) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for _, cell := range o.cells {
		x0, x1 := tx(float64(cell[0])-0.5), tx(float64(cell[0])+0.5)
		y0, y1 := ty(float64(cell[1])-0.5), ty(float64(cell[1])+0.5)
		in := outlineStyle.Width / 2
		c.StrokeLines(outlineStyle, []vg.Point{{X: x0 + in, Y: y0 + in}, {X: x1 - in, Y: y0 + in}, {X: x1 - in, Y: y1 - in}, {X: x0 + in, Y: y1 - in}, {X: x0 + in, Y: y0 + in}})
	}
}

func (o outline) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.StrokeLines(outlineStyle, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
}

// grid adapts Z to plotter.GridXYZ with cells at integer coordinates.
type grid struct{ z [][]float64 }

func (g grid) Dims() (c, r int)   { return len(g.z[0]), len(g.z) }
func (g grid) Z(c, r int) float64 { return g.z[r][c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

func (h *Heat) dims() (nx, ny int)  { return len(h.XNames), len(h.YNames) }
func (h *Heat) at(x, y int) float64 { return h.Z[y][x] }

// cellLabel prints a cell's value in at most about four characters.
func cellLabel(v float64) string { return SI(v) }

// nanColor fills cells without a value (points not run, or NaN metrics).
func nanColor() color.Color { return color.Gray{Y: 220} }

// lightText reports whether text on background c should be white
// (ITU-R BT.601 luma below one half).
func lightText(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return 299*r+587*g+114*b < 500*0xffff
}

func clampUnit(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// finiteRange returns the smallest and largest finite values of z
// (+Inf, -Inf if there are none).
func finiteRange(z [][]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range z {
		for _, v := range row {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

// Plot builds the gonum plot; it fails if Z does not match the names.
func (h *Heat) Plot() (*plot.Plot, error) {
	nx, ny := h.dims()
	if nx == 0 || ny == 0 || len(h.Z) != ny {
		return nil, fmt.Errorf("chart: heat map %q: Z has %d rows for %d y names", h.Title, len(h.Z), ny)
	}
	for _, row := range h.Z {
		if len(row) != nx {
			return nil, fmt.Errorf("chart: heat map %q: a row has %d values for %d x names", h.Title, len(row), nx)
		}
	}
	p := plot.New()
	p.Title.Text = h.Title
	lo, hi := finiteRange(h.Z)
	if lo > hi { // all NaN
		lo, hi = 0, 1
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	cm := moreland.SmoothBlueRed()
	pal := cm.Palette(255)
	hm := plotter.NewHeatMap(grid{h.Z}, pal)
	hm.Min, hm.Max = lo, hi
	hm.NaN = nanColor()
	// Vector cells: the rasterized mode interpolates a tiny image and blurs
	// a coarse grid like ours.
	p.Add(hm)
	var labels plotter.XYLabels
	var styles []text.Style
	for y := range ny {
		for x := range nx {
			v := h.at(x, y)
			s := "n/a"
			if finite(v) {
				s = cellLabel(v)
			}
			labels.XYs = append(labels.XYs, plotter.XY{X: float64(x), Y: float64(y)})
			labels.Labels = append(labels.Labels, s)
			col := color.Color(color.Black)
			if finite(v) {
				idx := int(clampUnit((v-lo)/(hi-lo)) * float64(len(pal.Colors())-1))
				if lightText(pal.Colors()[idx]) {
					col = color.White
				}
			}
			styles = append(styles, text.Style{Color: col})
		}
	}
	lb, err := plotter.NewLabels(labels)
	if err != nil {
		return nil, err
	}
	for i := range lb.TextStyle {
		ts := lb.TextStyle[i]
		ts.Color = styles[i].Color
		ts.XAlign, ts.YAlign = draw.XCenter, draw.YCenter
		ts.Font.Size = vg.Points(8)
		lb.TextStyle[i] = ts
	}
	p.Add(lb)
	if len(h.Miss) > 0 {
		o := outline{h.Miss}
		p.Add(o)
		for _, l := range h.MissLabel {
			p.Legend.Add(l, o)
		}
	}
	p.NominalX(h.XNames...)
	p.NominalY(h.YNames...)
	p.X.Label.Text = h.XLabel
	p.Y.Label.Text = h.YLabel
	p.X.Min, p.X.Max = -0.5, float64(nx)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(ny)-0.5
	return p, nil
}
