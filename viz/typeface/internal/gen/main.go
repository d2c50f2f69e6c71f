// Command gen writes viz/typeface's glyph atlas (atlas.bin).
package main

import (
	"os"

	"github.com/gohttpsim/gohttpsim/viz/typeface/internal/render"
)

func main() {
	if err := os.WriteFile("atlas.bin", render.Atlas(), 0o644); err != nil {
		panic(err)
	}
}
