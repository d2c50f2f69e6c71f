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
	return wrapAt(l, x, y, w, s, SizeNormal, c)
}

// wrapAt is wrap for text of the given size.
func wrapAt(l *List, x, y, w float32, s string, size float32, c Color) float32 {
	lh := float32(LineH) * size / SizeNormal
	for s != "" {
		n := fitChars(s, w, size)
		if n < len(s) {
			if cut := strings.LastIndexByte(s[:n+1], ' '); cut > 0 {
				n = cut
			}
		}
		l.TextAt(x, y, s[:n], size, Left, c)
		y += lh
		s = strings.TrimLeft(s[n:], " ")
	}
	return y
}

// fitChars returns how many leading bytes of s fit in w pixels (at least 1).
func fitChars(s string, w, size float32) int {
	x := float32(0)
	for i, r := range s {
		x += typefaceAdvance(r, size)
		if x > w {
			return max(i, 1)
		}
	}
	return len(s)
}
