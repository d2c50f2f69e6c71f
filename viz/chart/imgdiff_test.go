package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
)

// pngClose reports whether two PNGs have the same size and differ in at most
// maxFrac of their pixels, where a pixel differs if any channel moves by
// more than 48/255. This tolerates anti-aliasing and font hinting
// differences but not a moved line or point. (gonum's cmpimg would need
// rsc.io/pdf in go.mod; this is all we use of it.)
func pngClose(a, b []byte, maxFrac float64) (bool, string, error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return false, "", err
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return false, "", err
	}
	if ia.Bounds() != ib.Bounds() {
		return false, fmt.Sprintf("size %v vs %v", ia.Bounds(), ib.Bounds()), nil
	}
	r := ia.Bounds()
	diff := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if pixelDiffers(ia, ib, x, y) {
				diff++
			}
		}
	}
	frac := float64(diff) / float64(r.Dx()*r.Dy())
	return frac <= maxFrac, fmt.Sprintf("%d of %d pixels differ (%.3f%%)", diff, r.Dx()*r.Dy(), 100*frac), nil
}

func pixelDiffers(a, b image.Image, x, y int) bool {
	r1, g1, b1, a1 := a.At(x, y).RGBA()
	r2, g2, b2, a2 := b.At(x, y).RGBA()
	const tol = 48 << 8
	d := func(p, q uint32) bool { return p > q+tol || q > p+tol }
	return d(r1, r2) || d(g1, g2) || d(b1, b2) || d(a1, a2)
}
