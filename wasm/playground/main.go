//go:build js && wasm

package main

import (
	"encoding/json"
	"fmt"
	"syscall/js"

	"github.com/gohttpsim/gohttpsim/model/goprog"
	"github.com/gohttpsim/gohttpsim/viz/gtrace"
)

// colours of the chips by place, after viz/scene's palette (Running,
// Runnable, Waiting, Syscall).
var placeColor = map[goprog.Place]string{
	goprog.PlaceRunning: "#00b080", goprog.PlaceRunnext: "#e69f00", goprog.PlaceRunq: "#e69f00", goprog.PlaceGlobal: "#e69f00",
	goprog.PlaceRunnable: "#e69f00", goprog.PlaceTimers: "#56b4e9", goprog.PlaceNetpoll: "#56b4e9", goprog.PlaceChan: "#56b4e9",
	goprog.PlaceSync: "#56b4e9", goprog.PlaceSyscall: "#cc79a7", goprog.PlaceOther: "#9aa4b3",
}

func main() {
	win := js.Global()
	var player *gtrace.Player
	// fn wraps a function so that a panic becomes {"error": ...}, not the
	// end of the module.
	fn := func(name string, f func(args []js.Value) any) {
		win.Set(name, js.FuncOf(func(this js.Value, args []js.Value) (ret any) {
			defer func() {
				if p := recover(); p != nil {
					b, _ := json.Marshal(map[string]any{"error": fmt.Sprintf("internal error in %s: %v", name, p), "exitCode": 2})
					ret = string(b)
				}
			}()
			b, err := json.Marshal(f(args))
			if err != nil {
				b, _ = json.Marshal(map[string]any{"error": err.Error()})
			}
			return string(b)
		}))
	}
	fn("gohttpsimRunProgram", func(a []js.Value) any {
		if len(a) < 3 {
			return map[string]any{"error": "gohttpsimRunProgram(src, gomaxprocs, seed)", "exitCode": 2}
		}
		out, tr := run(a[0].String(), a[1].Int(), uint64(a[2].Int()))
		if tr != nil {
			player = gtrace.NewPlayer(tr.Moves, a[1].Int())
		}
		return out
	})
	fn("gohttpsimPlaygroundExamples", func([]js.Value) any {
		l, err := exampleList()
		if err != nil {
			return map[string]any{"error": err.Error()}
		}
		return l
	})
	fn("gohttpsimPlaygroundDraw", func(a []js.Value) any {
		if player == nil || len(a) < 3 {
			return map[string]any{"steps": 0}
		}
		cv := a[0]
		w, h := cv.Get("width").Float(), cv.Get("height").Float()
		player.Seek(a[1].Int())
		boxes := player.Layout(w, h, a[2].Float())
		paint(cv.Call("getContext", "2d"), w, h, boxes)
		chips := 0
		for _, b := range boxes {
			if b.G >= 0 {
				chips++
			}
		}
		return map[string]any{"step": player.Step(), "steps": player.Steps(), "timeNs": int64(player.Time()), "chips": chips}
	})
	win.Set("gohttpsimPlaygroundReady", true)
	select {}
}

func paint(ctx js.Value, w, h float64, boxes []gtrace.Box) {
	ctx.Set("fillStyle", "#12161c")
	ctx.Call("fillRect", 0, 0, w, h)
	ctx.Set("font", "11px sans-serif")
	ctx.Set("textBaseline", "top")
	for _, b := range boxes {
		switch {
		case b.G == -1:
			ctx.Set("fillStyle", "#1e252e")
			ctx.Call("fillRect", b.X, b.Y, b.W, b.H)
			ctx.Set("fillStyle", "#9aa4b3")
			ctx.Call("fillText", b.Label, b.X+4, b.Y+3)
		case b.G == -2:
			ctx.Set("fillStyle", "#9aa4b3")
			ctx.Call("fillText", b.Label, b.X, b.Y+2)
		default:
			ctx.Set("fillStyle", placeColor[b.Place])
			ctx.Call("fillRect", b.X, b.Y, b.W, b.H)
			ctx.Set("fillStyle", "#12161c")
			ctx.Call("fillText", b.Label, b.X+4, b.Y+2)
		}
	}
}
