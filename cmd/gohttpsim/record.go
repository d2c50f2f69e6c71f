package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/gohttpsim/gohttpsim/viz/raster"
	"github.com/gohttpsim/gohttpsim/viz/scene"
)

func init() {
	register(&command{
		name:    "record",
		summary: "record a section of the interactive page as an animated GIF, with no browser (same seed: same bytes)",
		usage:   "gohttpsim record [-seed N] [-set KEY=VALUE ...] [-duration D] [-fps N] [-size WxH] -o FILE.gif SECTION",
		run:     runRecord,
	})
}

func runRecord(args []string, stdout, stderr io.Writer) error {
	c := commands["record"]
	fs := flags(c, stderr)
	var o raster.Options
	var sets, actions patternList
	fs.Uint64Var(&o.Seed, "seed", 1, "simulation seed")
	fs.Var(&sets, "set", "a section parameter KEY=VALUE, as on the page (repeatable)")
	fs.Var(&actions, "action", "a section action NAME=ARG before the first frame, e.g. spawn=1000 or \"route=GET /users/42\" (repeatable)")
	fs.DurationVar(&o.Duration, "duration", 0, "length of the GIF at the page's pace (60 ticks per second at speed 1) (default 5s)")
	fs.IntVar(&o.FPS, "fps", 15, "GIF frames per second")
	fs.Float64Var(&o.Speed, "speed", 1, "speed multiplier, as on the page")
	size := fs.String("size", "800x500", "GIF size WxH in pixels")
	out := fs.String("o", "", "output file (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("want one SECTION (one of %s)", strings.Join(scene.NewApp().IDs(), ", "))
	}
	o.Section = fs.Arg(0)
	if _, err := scene.NewApp().ControlsOf(o.Section); err != nil {
		return usagef("%v", err)
	}
	if *out == "" {
		return usagef("-o FILE.gif is required")
	}
	ws, hs, ok := strings.Cut(*size, "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil {
		return usagef("-size %q: want WxH in pixels, e.g. 800x500", *size)
	}
	o.W, o.H, o.Sets, o.Actions = w, h, sets, actions
	if err := o.Validate(); err != nil {
		return usagef("%v", err)
	}
	var buf bytes.Buffer
	if err := raster.Record(&buf, o); err != nil {
		return usagef("%v", err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s: %d frames, %d bytes\n", *out, int(o.Duration.Seconds()*float64(o.FPS)+0.5), buf.Len())
	return nil
}
