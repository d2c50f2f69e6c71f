package raster

import (
	"bytes"
	"image/gif"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/viz/scene"
)

// The same options give byte-identical GIFs; another seed another file.
// Every section records.
func TestRecordDeterministic(t *testing.T) {
	rec := func(section string, seed uint64) []byte {
		var b bytes.Buffer
		o := Options{Section: section, Seed: seed, Duration: 400 * time.Millisecond, FPS: 10, W: 320, H: 240}
		if err := Record(&b, o); err != nil {
			t.Fatalf("%s: %v", section, err)
		}
		return b.Bytes()
	}
	for _, id := range scene.NewApp().IDs() {
		a, b := rec(id, 5), rec(id, 5)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two recordings with seed 5 differ", id)
		}
		g, err := gif.DecodeAll(bytes.NewReader(a))
		if err != nil || len(g.Image) != 4 || g.Config.Width != 320 {
			t.Errorf("%s: decode: %v, %d frames", id, err, len(g.Image))
		}
	}
	if bytes.Equal(rec("pool", 5), rec("pool", 6)) {
		t.Errorf("pool: seeds 5 and 6 give the same GIF")
	}
}

func TestRecordBadInput(t *testing.T) {
	for _, o := range []Options{
		{Section: "nope"},
		{Section: "pool", Sets: []string{"nokey=1"}},
		{Section: "pool", Sets: []string{"Transport.MaxIdleConnsPerHost=x"}},
		{Section: "pool", FPS: 1000},
		{Section: "pool", W: 10, H: 10},
	} {
		if err := Record(&bytes.Buffer{}, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

// The painter draws what the list says: a disc's centre takes its colour
// exactly, its far corner stays background, and text inks pixels.
func TestPaint(t *testing.T) {
	var l scene.List
	l.Rect(0, 0, 100, 60, scene.Background)
	l.Circle(30, 30, 10, scene.Running)
	l.Text(50, 20, "Go", scene.Ink)
	img := PaintList(&l, 100, 60)
	if c := img.RGBAAt(30, 30); c != scene.Palette[scene.Running] {
		t.Errorf("disc centre %v", c)
	}
	if c := img.RGBAAt(21, 21); c != scene.Palette[scene.Background] {
		t.Errorf("outside the disc %v", c)
	}
	inked := 0
	for y := 20; y < 36; y++ {
		for x := 50; x < 75; x++ {
			if img.RGBAAt(x, y) != scene.Palette[scene.Background] {
				inked++
			}
		}
	}
	if inked < 20 {
		t.Errorf("text inked %d pixels", inked)
	}
}
