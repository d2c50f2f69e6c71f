package chart

import (
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Layout is where Draw put a chart's parts on its canvas.
type Layout struct {
	Data   vg.Rectangle // the data area, inside the axes
	Legend vg.Rectangle // the legend (zero when the chart has none)
}

// legendGap separates the legend from the x axis label above it.
// legendMargin below it keeps descenders on the canvas.
const (
	legendGap    = 4 * vg.Millimeter
	legendMargin = 1 * vg.Millimeter
)

// Draw draws p on c with its legend outside the data: gonum/plot draws a
// legend inside the data area (plot.go's Draw), where it hides points, so
// Draw takes the legend out, gives the plot the canvas less a strip at the
// bottom as tall as the legend, and draws the legend in that strip, left
// aligned with the data area. p is left as it was.
func Draw(p *plot.Plot, c draw.Canvas) Layout {
	leg := p.Legend
	p.Legend = plot.NewLegend()
	defer func() { p.Legend = leg }()
	size := leg.Rectangle(c).Size()
	h := size.Y
	plotC := c
	if h > 0 {
		plotC = draw.Crop(c, 0, 0, legendMargin+h+legendGap, 0)
	}
	data := p.DataCanvas(plotC)
	p.Draw(plotC)
	lay := Layout{Data: data.Rectangle}
	if h > 0 {
		leg.Top, leg.Left = true, true
		lc := draw.Crop(c, data.Min.X-c.Min.X, 0, legendMargin, -(c.Size().Y - h - legendMargin))
		leg.Draw(lc)
		// (Legend.Rectangle puts a Left legend on the right: not used.)
		lay.Legend = vg.Rectangle{Min: lc.Min, Max: lc.Min.Add(size)}
	}
	return lay
}

// WriterTo renders c at w×h in format ("png", "svg", …) with Draw.
func WriterTo(c Plotter, w, h vg.Length, format string) (io.WriterTo, error) {
	p, err := c.Plot()
	if err != nil {
		return nil, err
	}
	if format == "png" {
		cv := vgimg.New(w, h)
		Draw(p, draw.New(cv))
		return fastPNG{cv}, nil
	}
	cv, err := draw.NewFormattedCanvas(w, h, format)
	if err != nil {
		return nil, err
	}
	Draw(p, draw.New(cv))
	return cv, nil
}
