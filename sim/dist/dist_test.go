package dist

import (
	"math"
	"slices"
	"testing"

	"github.com/gohttpsim/gohttpsim/sim"
)

func TestParseDist(t *testing.T) {
	good := []struct {
		in   string
		mean float64
	}{
		{"5us", 5000},
		{"2048", 2048},
		{"const(1ms)", 1e6},
		{"exp(1ms)", 1e6},
		{"uniform(1ms,3ms)", 2e6},
		{"normal(10ms,1ms)", 1e7},
		{"lognormal(1ms,2ms)", 1e6},
		{"pareto(1ms,3)", 1.5e6},
		{"empirical(1ms, 2ms, 6ms)", 3e6},
	}
	r := sim.NewStream(1, "dist")
	for _, g := range good {
		d, err := ParseDist(g.in)
		if err != nil {
			t.Fatalf("%q: %v", g.in, err)
		}
		if math.Abs(d.Mean()-g.mean) > 1e-9*g.mean {
			t.Errorf("%q: Mean %v, want %v", g.in, d.Mean(), g.mean)
		}
		// The sample mean converges to Mean (loose: heavy tails).
		n := 200000
		s := 0.0
		for i := 0; i < n; i++ {
			v := d.Sample(r)
			if v < 0 {
				t.Fatalf("%q: negative sample %v", g.in, v)
			}
			s += v
		}
		if rel := math.Abs(s/float64(n)-g.mean) / g.mean; rel > 0.03 {
			t.Errorf("%q: sample mean %v, want %v (rel %.3f)", g.in, s/float64(n), g.mean, rel)
		}
		if _, err := ParseDist(d.String()); err != nil {
			t.Errorf("%q: String() %q does not parse back: %v", g.in, d.String(), err)
		}
	}
	for _, bad := range []string{"", "exp(", "exp()", "exp(1ms,2ms)", "uniform(3,1)", "foo(1)", "-1ms", "abc", "pareto(0,1)", "lognormal(0,1)", "NaN"} {
		if _, err := ParseDist(bad); err == nil {
			t.Errorf("%q: expected an error", bad)
		}
	}
}

func FuzzParseDist(f *testing.F) {
	for _, s := range []string{"exp(1ms)", "uniform(1,2)", "empirical(1,2,3)", "5us", "pareto(1ms,1.5)"} {
		f.Add(s)
	}
	r := sim.NewStream(1, "fuzz")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDist(s)
		if err != nil {
			return
		}
		_ = d.Mean()
		_ = d.String()
		if v := d.Sample(r); math.IsNaN(v) {
			t.Fatalf("%q: NaN sample", s)
		}
	})
}

func TestSplitTop(t *testing.T) {
	for _, tc := range []struct {
		s    string
		sep  byte
		want []string
	}{
		{"1ms,2ms", ',', []string{"1ms", "2ms"}},
		{"exp(1ms),uniform(1ms,2ms)", ',', []string{"exp(1ms)", "uniform(1ms,2ms)"}},
		{"cpu(5us)+db(exp(2ms))+cpu(3us)", '+', []string{"cpu(5us)", "db(exp(2ms))", "cpu(3us)"}},
		{"a,", ',', []string{"a", ""}},
		{"", ',', []string{""}},
	} {
		if got := SplitTop(tc.s, tc.sep); !slices.Equal(got, tc.want) {
			t.Errorf("SplitTop(%q, %q) = %q, want %q", tc.s, tc.sep, got, tc.want)
		}
	}
}
