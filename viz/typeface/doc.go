// Package typeface is the one font of every scene: Go Regular
// (golang.org/x/image/font/gofont), embedded, as anti-aliased vector
// glyphs. viz/scene measures text with it for layout, viz/ebitenview
// paints with it in the browser and viz/raster paints with it natively, so
// a scene's text has the same metrics wherever it is drawn.
//
// It imports no ebiten: faces are golang.org/x/image/font.Face values.
package typeface
