// Package typeface is the one font of every scene: Go Regular
// (golang.org/x/image/font/gofont), anti-aliased, at the scene's text
// sizes. viz/scene measures text with it for layout, viz/ebitenview paints
// it in the browser and viz/raster natively, from the same glyph masks, so
// a scene's text is the same wherever it is drawn.
//
// The glyphs are rendered from the vector font ahead of time into an
// embedded atlas (atlas.bin, `go generate`; TestAtlasUpToDate checks it):
// parsing the TrueType font at run time would put the font parser and the
// font file, about 160 KB gzipped, into the wasm module, whose budget is
// 4 MiB. Sizes between the rendered ones use the nearest.
//
// It imports no ebiten.
package typeface

//go:generate go run ./internal/gen
