package scene

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// run selects id, runs n ticks and returns the app.
func run(t *testing.T, frag string, n int) *App {
	t.Helper()
	a := NewApp()
	if err := a.ApplyFragment(frag); err != nil {
		t.Fatalf("ApplyFragment(%q): %v", frag, err)
	}
	a.Step(n)
	return a
}

func TestSectionsRunAndDraw(t *testing.T) {
	for _, id := range NewApp().IDs() {
		t.Run(id, func(t *testing.T) {
			a := run(t, "s="+id, 60)
			st := a.State()
			if st["section"] != id {
				t.Fatalf("section %v, want %s", st["section"], id)
			}
			if _, err := json.Marshal(st); err != nil {
				t.Fatalf("state does not marshal: %v", err)
			}
			if id != "routing" && st["events"].(uint64) == 0 {
				t.Errorf("no events after 60 ticks")
			}
			for _, wh := range [][2]float32{{1280, 560}, {390, 640}} {
				l := a.Draw(wh[0], wh[1])
				if len(l.Prims) < 5 {
					t.Errorf("%v: only %d primitives", wh, len(l.Prims))
				}
				for _, p := range l.Prims {
					// Every line fits the canvas (the legend and chart
					// titles included); routing clips its own lines.
					if p.Kind == PrimText && (p.TextLeft()+TextWidth(p.S, p.R) > wh[0]+1 || p.TextLeft() < -1) {
						t.Errorf("%v: text overflows the canvas: %q at x=%v", wh, p.S, p.X)
					}
				}
			}
		})
	}
}

// Same fragment, same ticks: same digest; another seed: another digest.
func TestDeterministic(t *testing.T) {
	for _, id := range []string{"goroutines", "pool", "throughput", "timeouts", "protocols"} {
		frag := "s=" + id + "&seed=7"
		a, b := run(t, frag, 300), run(t, frag, 300)
		c := run(t, "s="+id+"&seed=8", 300)
		da, db, dc := a.State()["digest"], b.State()["digest"], c.State()["digest"]
		if da != db {
			t.Errorf("%s: digests differ for the same fragment: %v %v", id, da, db)
		}
		if da == dc {
			t.Errorf("%s: seed 7 and 8 give the same digest %v", id, da)
		}
	}
}

func TestFragmentRoundTrip(t *testing.T) {
	a := NewApp()
	if err := a.Select("pool"); err != nil {
		t.Fatal(err)
	}
	if err := a.Set("Transport.MaxIdleConnsPerHost", "10"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetSpeed(2.5); err != nil {
		t.Fatal(err)
	}
	a.SetPaused(true)
	f := a.Fragment()
	want := "paused=1&pool.Transport.MaxIdleConnsPerHost=10&s=pool&seed=1&speed=2.5"
	if f != want {
		t.Fatalf("fragment %q, want %q", f, want)
	}
	b := NewApp()
	if err := b.ApplyFragment("#" + f); err != nil {
		t.Fatal(err)
	}
	if g := b.Fragment(); g != f {
		t.Fatalf("round trip: %q, want %q", g, f)
	}
	if v := b.State()["params"].(map[string]string)["Transport.MaxIdleConnsPerHost"]; v != "10" {
		t.Fatalf("restored MaxIdleConnsPerHost %q", v)
	}
}

func TestBadInput(t *testing.T) {
	bad := []string{
		"s=nosuch", "seed=-1", "speed=0", "speed=abc", "pool.NoSuch=1", "nosuch.x=1",
		"s=pool&pool.Transport.MaxConnsPerHost=abc", "s=goroutines&goroutines.GOMAXPROCS=-1",
		"s=routing&routing.patterns=GET%20/a%0AGET%20/a", "s=routing&routing.patterns=%2F%7Bx", "%zz",
	}
	for _, f := range bad {
		a := NewApp()
		if err := a.ApplyFragment(f); err == nil {
			t.Errorf("ApplyFragment(%q): no error", f)
		}
	}
	a := NewApp()
	if err := a.Set("GOMAXPROCS", "x"); err == nil {
		t.Error("Set GOMAXPROCS=x: no error")
	}
	if err := a.Set("nosuch", "1"); err == nil {
		t.Error("Set nosuch: no error")
	}
	if err := a.Action("spawn", "-3"); err == nil {
		t.Error("spawn -3: no error")
	}
	if err := a.Action("fly", ""); err == nil {
		t.Error("unknown action: no error")
	}
	// After a bad Set the old run continues.
	a.Step(5)
	if a.State()["params"].(map[string]string)["GOMAXPROCS"] != "4" {
		t.Error("bad Set changed GOMAXPROCS")
	}
}

// The painter's font is ASCII: no drawn text may contain other runes.
func TestASCIIText(t *testing.T) {
	for _, id := range NewApp().IDs() {
		a := run(t, "s="+id, 200)
		if id == "routing" {
			for _, q := range DefaultRequests {
				a.Action("route", q)
				a.Step(400)
				checkASCII(t, id, a.Draw(1280, 600))
			}
		}
		checkASCII(t, id, a.Draw(1280, 600))
	}
}

func checkASCII(t *testing.T, id string, l *List) {
	t.Helper()
	for _, s := range l.Texts() {
		for _, r := range s {
			if r > 126 {
				t.Errorf("%s: non-ASCII %q in %q", id, r, s)
				break
			}
		}
	}
}

// FuzzApplyFragment: any fragment either is refused with an error or
// restores a state whose own fragment restores the same state again.
func FuzzApplyFragment(f *testing.F) {
	for _, s := range []string{"", "s=pool&seed=7", "s=routing&routing.legacy=true", "speed=2.5&paused=1",
		"s=goroutines&goroutines.GOMAXPROCS=2", "s=timeouts&timeouts.slowloris=false", "%zz", "s=9", "x.y=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, frag string) {
		a := NewApp()
		if err := a.ApplyFragment(frag); err != nil {
			return
		}
		f1 := a.Fragment()
		b := NewApp()
		if err := b.ApplyFragment(f1); err != nil {
			t.Fatalf("own fragment %q of %q refused: %v", f1, frag, err)
		}
		if f2 := b.Fragment(); f2 != f1 {
			t.Fatalf("fragment %q restores as %q", f1, f2)
		}
	})
}

// The scene package paints nothing itself: it must not depend on ebiten
// (so `go test ./...` needs no X11), and viz must not be imported by models.
func TestNoEbitenImport(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	if strings.Contains(string(out), "hajimehoshi/ebiten") {
		t.Error("viz/scene depends on ebiten")
	}
}

// Section 1 follows GOMAXPROCS and a spawn adds goroutines.
func TestGoroutinesControls(t *testing.T) {
	a := run(t, "s=goroutines&goroutines.GOMAXPROCS=2&goroutines.session.rate=0", 10)
	v := a.State()["view"].(map[string]any)
	if n := len(v["ps"].([]map[string]any)); n != 2 {
		t.Fatalf("GOMAXPROCS=2: %d Ps", n)
	}
	g0 := v["goroutines"].(int)
	if err := a.Action("spawn", "500"); err != nil {
		t.Fatal(err)
	}
	a.Step(50) // 10 ms: the accept loop takes 500 connections at ~2 us each
	if g := a.State()["view"].(map[string]any)["goroutines"].(int); g != g0+500 {
		t.Errorf("after spawn 500: %d goroutines, want %d", g, g0+500)
	}
	l := a.Draw(1280, 600)
	if l.Count(PrimDots, Waiting) != 1 {
		t.Errorf("netpoller dots: %d primitives", l.Count(PrimDots, Waiting))
	}
}

// Section 3's protocol switch: HTTP/2 shares a few connections through the
// pool where HTTP/1.1 dials one per concurrent request.
func TestPoolProtocol(t *testing.T) {
	dials := func(frag string) float64 {
		a := run(t, frag, 300)
		return a.State()["view"].(map[string]any)["metrics"].(map[string]float64)["conns_dialed"]
	}
	h1, h2 := dials("s=pool"), dials("s=pool&pool.client.protocol=h2")
	if !(h2 < h1) || h1 < 10 {
		t.Errorf("dials: http1 %v, h2 %v; want h2 far fewer", h1, h2)
	}
}

// The page formats a metric by its declared unit, not its name.
func TestQuantityOf(t *testing.T) {
	for _, c := range []struct {
		unit string
		v    float64
		want string
	}{
		{"ns", 2.5e6, "2.5 ms"},
		{"B", 12 << 20, "12 MiB"},
		{"req/s", 750e3, "750K/s"},
		{"1", 0.42, "42%"},
		{"{req}", 1200, "1.2K"},
	} {
		if got := value(QuantityOf(c.unit), c.v); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.unit, c.v, got, c.want)
		}
	}
}
