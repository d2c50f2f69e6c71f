//go:build js && wasm

// Command wasm is the browser entry point of the interactive reference: one
// ebiten game (viz/ebitenview) painting the section in view (viz/scene),
// and window.gohttpsim, the hooks the page and the browser tests call.
// Build: GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o bin/gohttpsim.wasm ./wasm
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/gohttpsim/gohttpsim/viz/ebitenview"
	"github.com/gohttpsim/gohttpsim/viz/raster"
	"github.com/gohttpsim/gohttpsim/viz/scene"
)

func main() {
	app := scene.NewApp()
	g := ebitenview.New(app)
	win := js.Global()
	if h := win.Get("location").Get("hash").String(); len(h) > 1 {
		if err := app.ApplyFragment(h); err != nil {
			win.Set("fragmentError", err.Error())
		}
	}
	api := win.Get("Object").New()
	win.Set("gohttpsim", api)
	// fn wraps a hook: it runs under the game's lock and returns a JSON
	// string: {"ok":true,...} or {"error":"..."}.
	fn := func(name string, f func(args []js.Value) (any, error)) {
		api.Set(name, js.FuncOf(func(this js.Value, args []js.Value) (ret any) {
			g.Mu.Lock()
			defer g.Mu.Unlock()
			// A bug in a hook must not end the program: report it instead.
			defer func() {
				if p := recover(); p != nil {
					b, _ := json.Marshal(map[string]any{"ok": false, "error": fmt.Sprintf("internal error in %s: %v", name, p)})
					js.Global().Get("console").Call("error", string(b))
					ret = string(b)
				}
			}()
			v, err := f(args)
			out := map[string]any{"ok": err == nil}
			if err != nil {
				out["error"] = err.Error()
			} else if v != nil {
				out["value"] = v
			}
			b, _ := json.Marshal(out)
			return string(b)
		}))
	}
	str := func(args []js.Value, i int) string {
		if i < len(args) && args[i].Type() != js.TypeUndefined && args[i].Type() != js.TypeNull {
			if args[i].Type() == js.TypeString {
				return args[i].String()
			}
			return win.Get("String").Invoke(args[i]).String()
		}
		return ""
	}
	fn("state", func([]js.Value) (any, error) { return app.State(), nil })
	fn("ids", func([]js.Value) (any, error) { return app.IDs(), nil })
	fn("controls", func(a []js.Value) (any, error) { return app.ControlsOf(str(a, 0)) })
	fn("values", func(a []js.Value) (any, error) { return app.ValuesOf(str(a, 0)) })
	fn("select", func(a []js.Value) (any, error) { return nil, app.Select(str(a, 0)) })
	fn("set", func(a []js.Value) (any, error) { return nil, app.Set(str(a, 0), str(a, 1)) })
	fn("action", func(a []js.Value) (any, error) { return nil, app.Action(str(a, 0), str(a, 1)) })
	fn("click", func(a []js.Value) (any, error) {
		x, _ := strconv.ParseFloat(str(a, 0), 32)
		y, _ := strconv.ParseFloat(str(a, 1), 32)
		return app.Click(float32(x), float32(y)), nil
	})
	fn("play", func([]js.Value) (any, error) { app.SetPaused(false); return nil, nil })
	fn("pause", func([]js.Value) (any, error) { app.SetPaused(true); return nil, nil })
	fn("step", func(a []js.Value) (any, error) {
		n := 1
		if s := str(a, 0); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 1 || v > 100000 {
				return nil, strconv.ErrRange
			}
			n = v
		}
		app.Step(n)
		return nil, nil
	})
	fn("reset", func([]js.Value) (any, error) { return nil, app.Reset() })
	fn("seek", func(a []js.Value) (any, error) {
		v, err := strconv.ParseUint(str(a, 0), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("seek: want a tick number, got %q", str(a, 0))
		}
		return nil, app.Seek(v)
	})
	fn("positions", func([]js.Value) (any, error) { return app.Positions(), nil })
	fn("texts", func([]js.Value) (any, error) { return app.TextBoxes(), nil })
	// gif records the section in view from its seed, as `gohttpsim record`
	// does (the same rasteriser, compiled to wasm), into gohttpsim.lastGIF
	// (a Uint8Array); it returns the size in bytes.
	fn("gif", func(a []js.Value) (any, error) {
		secs, _ := strconv.ParseFloat(str(a, 0), 64)
		fps, _ := strconv.Atoi(str(a, 1))
		w, _ := strconv.Atoi(str(a, 2))
		h, _ := strconv.Atoi(str(a, 3))
		rec := scene.NewApp()
		if err := rec.ApplyFragment(app.Fragment()); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		o := raster.Options{Duration: time.Duration(secs * float64(time.Second)), FPS: fps, W: w, H: h}
		if err := raster.RecordApp(&buf, rec, o); err != nil {
			return nil, err
		}
		u8 := js.Global().Get("Uint8Array").New(buf.Len())
		js.CopyBytesToJS(u8, buf.Bytes())
		api.Set("lastGIF", u8)
		return buf.Len(), nil
	})
	fn("seed", func(a []js.Value) (any, error) {
		v, err := strconv.ParseUint(str(a, 0), 10, 64)
		if err != nil {
			return nil, err
		}
		return nil, app.SetSeed(v)
	})
	fn("speed", func(a []js.Value) (any, error) {
		v, err := strconv.ParseFloat(str(a, 0), 64)
		if err != nil {
			return nil, err
		}
		return nil, app.SetSpeed(v)
	})
	fn("fragment", func([]js.Value) (any, error) { return app.Fragment(), nil })
	fn("apply", func(a []js.Value) (any, error) { return nil, app.ApplyFragment(str(a, 0)) })
	fn("empty", func(a []js.Value) (any, error) { g.Empty = str(a, 0) == "true"; return nil, nil })
	perf := win.Get("performance")
	g.OnFrame = func(n uint64) {
		api.Set("frames", n)
		if n == 1 {
			win.Set("tFirstFrame", perf.Call("now"))
		}
	}
	win.Set("tReady", perf.Call("now"))
	api.Set("frames", 0)
	api.Set("ready", true)
	if f := win.Get("onGohttpsimReady"); f.Type() == js.TypeFunction {
		f.Invoke()
	}

	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetWindowTitle("gohttpsim")
	if err := ebiten.RunGame(g); err != nil {
		win.Set("wasmError", err.Error())
		panic(err)
	}
}
