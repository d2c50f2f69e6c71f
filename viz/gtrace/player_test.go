package gtrace

import (
	"os"
	"reflect"
	"testing"

	"github.com/gohttpsim/gohttpsim/model/goprog"
)

func record(t *testing.T, file string, procs int) *goprog.GTrace {
	t.Helper()
	src, err := os.ReadFile("../../model/goprog/testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := goprog.Compile(file, src)
	if err != nil {
		t.Fatal(err)
	}
	tr := &goprog.GTrace{}
	goprog.Run(prog, goprog.Options{GOMAXPROCS: procs, Seed: 1, GTrace: tr})
	return tr
}

// TestPlayer replays worker_pool.go's moves on 2 Ps: at every step each
// live G has one chip inside the canvas, running chips sit in their P's
// column, and seeking back replays to the same layout.
func TestPlayer(t *testing.T) {
	tr := record(t, "worker_pool.go", 2)
	p := NewPlayer(tr.Moves, 2)
	if p.Steps() < 10 {
		t.Fatalf("%d steps, want a real trace", p.Steps())
	}
	const w, h = 800, 420
	var mid []Box
	for k := 1; k <= p.Steps(); k++ {
		p.Seek(k)
		boxes := p.Layout(w, h, 1)
		live := 0
		for _, m := range p.cur {
			if m.Place != goprog.PlaceGone {
				live++
			}
		}
		chips := 0
		for _, b := range boxes {
			if b.G < 0 {
				continue
			}
			chips++
			if b.X < 0 || b.Y < 0 || b.X+b.W > w || b.Y+b.H > h {
				t.Fatalf("step %d: chip %+v outside the %vx%v canvas", k, b, w, h)
			}
			if b.Place == goprog.PlaceRunning {
				col := boxes[p.cur[b.G].P]
				if b.X < col.X || b.X+b.W > col.X+col.W {
					t.Fatalf("step %d: running chip %+v outside its P's column %+v", k, b, col)
				}
			}
		}
		if chips != live {
			t.Fatalf("step %d: %d chips for %d live Gs", k, chips, live)
		}
		if k == p.Steps()/2 {
			mid = p.Layout(w, h, 0.5)
		}
	}
	p.Seek(p.Steps() / 2)
	if got := p.Layout(w, h, 0.5); !reflect.DeepEqual(got, mid) {
		t.Errorf("seeking back to step %d gives a different layout", p.Steps()/2)
	}
}
