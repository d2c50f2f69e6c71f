package chart

import (
	"bufio"
	"image/png"
	"io"

	"gonum.org/v1/plot/vg/vgimg"
)

// fastPNG writes a chart's PNG with the fastest deflate level: the same
// pixels as vgimg.PngCanvas, about a third of the encoding CPU (PNG encoding
// was half of the chart phase at the end of a sweep), slightly larger files.
type fastPNG struct{ cv *vgimg.Canvas }

func (f fastPNG) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	b := bufio.NewWriter(cw)
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(b, f.cv.Image()); err != nil {
		return cw.n, err
	}
	err := b.Flush()
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
