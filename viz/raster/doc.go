// Package raster paints viz/scene display lists natively, with no browser,
// GPU or ebiten: anti-aliased shapes with golang.org/x/image/vector, text
// with viz/typeface (Go Regular through golang.org/x/image/font), into an
// image.RGBA. [Record] runs a section of the page for a while and writes
// the frames as an animated GIF with a fixed palette, so the same seed and
// parameters give a byte-identical file (`gohttpsim record`, and the
// page's "download GIF", which runs this same code in wasm).
package raster
