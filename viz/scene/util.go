package scene

import (
	"fmt"
	"slices"
	"strings"
	"time"

	_ "github.com/gohttpsim/gohttpsim/model/scenarios" // registers the scenarios the sections run
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// fromRegistry completes a section's controls from the parameters of the
// registered scenario name, where they are declared once: a slider spans
// the parameter's typical range (its range tag) or else its bounds; a
// select of an enum offers the enum's values unless the section chose some;
// a control without a default takes the scenario's. The section chooses
// which keys to show, their labels, steps and page defaults. Keys in
// pageOnly are the section's own (mapped by its expand), not parameters.
// A key that is neither panics: a programming error the tests catch.
func fromRegistry(name string, cs []Control, pageOnly ...string) []Control {
	s := scenario.Lookup(name)
	if s == nil {
		panic("scene: scenario " + name + " is not registered")
	}
	out := slices.Clone(cs)
	for i := range out {
		c := &out[i]
		if slices.Contains(pageOnly, c.Key) {
			continue
		}
		j := slices.IndexFunc(s.Params, func(p scenario.Param) bool { return p.Key == c.Key })
		if j < 0 {
			panic(fmt.Sprintf("scene: scenario %s has no parameter %s", name, c.Key))
		}
		p := s.Params[j]
		if c.Default == "" {
			c.Default = p.Default
		}
		switch c.Kind {
		case Slider:
			c.Min, c.Max = p.Min, p.Max
			if p.RangeLo != 0 || p.RangeHi != 0 {
				c.Min, c.Max = p.RangeLo, p.RangeHi
			}
		case Select:
			if len(c.Options) == 0 {
				c.Options = p.Enum
			}
		}
	}
	return out
}

// parseControls parses vals (only keys that are controls) over the
// controls' defaults, over the scenario's defaults.
func parseControls(defs []scenario.Param, cs []Control, vals map[string]string) (*scenario.Values, error) {
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var sets []string
	for _, c := range cs {
		sets = append(sets, c.Key+"="+c.Default)
	}
	for _, k := range keys {
		if !slices.ContainsFunc(cs, func(c Control) bool { return c.Key == k }) {
			return nil, fmt.Errorf("no parameter %q", k)
		}
		sets = append(sets, k+"="+vals[k])
	}
	return scenario.Parse(defs, sets)
}

type legendItem struct {
	c Color
	s string
}

func legend(l *List, x, y float32, items []legendItem) {
	for _, it := range items {
		l.Rect(x, y+4, 10, 10, it.c)
		l.Text(x+14, y, it.s, Muted)
		x += 14 + float32(len(it.s)*CharW) + 12
	}
}

// roundDur rounds for display (microseconds under 10 ms, milliseconds
// under 10 s) and spells the micro sign "u": the painter's font is ASCII.
func roundDur(d time.Duration) string {
	switch {
	case d < 10*time.Microsecond:
	case d < 10*time.Millisecond:
		d = d.Round(time.Microsecond)
	case d < 10*time.Second:
		d = d.Round(time.Millisecond)
	default:
		d = d.Round(10 * time.Millisecond)
	}
	return strings.NewReplacer("\u00b5", "u", "\u03bc", "u").Replace(d.String())
}

func bytesStr(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// series is a fixed ring of samples for the live charts.
type series struct {
	v    []float64
	head int
	n    int
}

func newSeries(n int) series { return series{v: make([]float64, n)} }

func (s *series) push(x float64) {
	s.v[s.head] = x
	s.head = (s.head + 1) % len(s.v)
	s.n = min(s.n+1, len(s.v))
}

func (s *series) reset() { s.head, s.n = 0, 0 }

// at returns the i-th oldest retained sample.
func (s *series) at(i int) float64 { return s.v[(s.head-s.n+i+len(s.v))%len(s.v)] }

func (s *series) max() float64 {
	m := 0.0
	for i := range s.n {
		m = max(m, s.at(i))
	}
	return m
}

// chart draws series as polylines in the box, scaled to a common max.
func chart(l *List, b Box, title string, ss []*series, cs []Color) {
	l.Rect(b.X, b.Y, b.W, b.H, Panel)
	top := 0.0
	for _, s := range ss {
		top = max(top, s.max())
	}
	l.Text(b.X+4, b.Y+2, fmt.Sprintf("%s (max %s)", title, num(top)), Muted)
	if top == 0 {
		top = 1
	}
	py := b.Y + LineH + 4
	ph := b.H - LineH - 8
	for k, s := range ss {
		if s.n < 2 {
			continue
		}
		dx := b.W / float32(len(s.v)-1)
		for i := 1; i < s.n; i++ {
			x0 := b.X + float32(i-1)*dx
			y0 := py + ph - float32(s.at(i-1)/top)*ph
			y1 := py + ph - float32(s.at(i)/top)*ph
			l.Line(x0, y0, x0+dx, y1, cs[k])
		}
	}
}

// num formats a count compactly.
func num(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.2fG", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.1fk", v/1e3)
	case v == float64(int64(v)):
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.3g", v)
}

// wrap draws s from (x, y) in lines of at most w pixels, breaking at
// spaces, and returns the y below the last line.
func wrap(l *List, x, y, w float32, s string, c Color) float32 {
	n := max(int(w)/CharW, 8)
	for len(s) > n {
		cut := strings.LastIndexByte(s[:n+1], ' ')
		if cut <= 0 {
			cut = n
		}
		l.Text(x, y, s[:cut], c)
		y += LineH
		s = strings.TrimLeft(s[cut:], " ")
	}
	if s != "" {
		l.Text(x, y, s, c)
		y += LineH
	}
	return y
}
