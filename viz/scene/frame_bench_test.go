package scene

import "testing"

// frameApp is section 1 holding 10,000 live goroutines, as the browser
// frame-rate benchmark sets it up (wasm/browsertest BenchmarkFrameRate).
func frameApp(b *testing.B) *App {
	b.Helper()
	a := NewApp()
	if err := a.ApplyFragment("s=goroutines&speed=10&goroutines.client.think=exp(10s)&goroutines.session.rate=0"); err != nil {
		b.Fatal(err)
	}
	if err := a.Action("spawn", "10000"); err != nil {
		b.Fatal(err)
	}
	for range 2000 {
		a.Step(1)
		if g, _ := a.State()["view"].(map[string]any)["goroutines"].(int); g >= 10000 {
			break
		}
	}
	if err := a.SetSpeed(1); err != nil {
		b.Fatal(err)
	}
	return a
}

// BenchmarkFrame10k is the Go side of one frame of section 1 with 10,000
// goroutines: one tick of the simulation and the display list (painting
// is ebiten's and is measured in the browser).
func BenchmarkFrame10k(b *testing.B) {
	a := frameApp(b)
	b.ReportAllocs()
	for b.Loop() {
		a.Tick()
		a.Draw(1280, 800)
	}
	b.ReportMetric(float64(len(a.list.Prims)), "prims")
}
