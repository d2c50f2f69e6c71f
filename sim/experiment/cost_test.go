package experiment

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseCost(t *testing.T) {
	vals := map[string]float64{"server.replicas": 3, "GOMAXPROCS": 4, "host.cores": 2.5, "x_1": 10}
	val := func(k string) (float64, error) {
		v, ok := vals[k]
		if !ok {
			return 0, fmt.Errorf("unknown key %q", k)
		}
		return v, nil
	}
	for _, tc := range []struct {
		in   string
		want float64
		keys string
	}{
		{"server.replicas*host.cores", 7.5, "server.replicas host.cores"},
		{"server.replicas * GOMAXPROCS + 1", 13, "server.replicas GOMAXPROCS"},
		{"2*(server.replicas+GOMAXPROCS)/7", 2, "server.replicas GOMAXPROCS"},
		{"-GOMAXPROCS+10-2-1", 3, "GOMAXPROCS"},
		{"x_1/4/5", 0.5, "x_1"},
		{"1.5e2", 150, ""},
		{"GOMAXPROCS*GOMAXPROCS", 16, "GOMAXPROCS"},
		{"--3", 3, ""},
	} {
		c, err := ParseCost(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		got, err := c.Eval(val)
		if err != nil || got != tc.want {
			t.Errorf("%q = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if k := strings.Join(c.Keys(), " "); k != tc.keys {
			t.Errorf("%q keys %q, want %q", tc.in, k, tc.keys)
		}
	}
}

func TestParseCostErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty expression"},
		{"   ", "empty expression"},
		{"a*", "column 3: expression ends early"},
		{"(a+b", "missing ')'"},
		{"a+b)", `column 4: unexpected ')'`},
		{"a $ b", `column 3: unexpected '$'`},
		{"3..4", "bad number"},
		{"a b", `unexpected 'b'`},
		{"*a", `unexpected '*'`},
		{strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100), "nested deeper than 64"},
		{strings.Repeat("-", 100) + "1", "nested deeper than 64"},
	} {
		_, err := ParseCost(tc.in)
		if err == nil || !errors.Is(err, ErrCost) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one containing %q", tc.in, err, tc.want)
		}
	}
	c, _ := ParseCost("a/(b-1)")
	_, err := c.Eval(func(string) (float64, error) { return 1, nil })
	if err == nil || !strings.Contains(err.Error(), "division by zero") {
		t.Errorf("division by zero: %v", err)
	}
}

// FuzzParseCost: any input parses or gives an ErrCost error, never a
// panic; a parsed expression's canonical form parses to itself.
func FuzzParseCost(f *testing.F) {
	for _, s := range []string{"server.replicas*host.cores", "(a+b)*2-c/4", "-(-x)", "1e309", "((", "a..b", "3.5e-2*k"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCost(s)
		if err != nil {
			if !errors.Is(err, ErrCost) {
				t.Fatalf("%q: error %v does not wrap ErrCost", s, err)
			}
			return
		}
		d, err := ParseCost(c.String())
		if err != nil {
			t.Fatalf("%q: canonical %q does not parse: %v", s, c.String(), err)
		}
		if d.String() != c.String() {
			t.Fatalf("%q: canonical %q reparses as %q", s, c.String(), d.String())
		}
		_, _ = c.Eval(func(string) (float64, error) { return 2, nil })
	})
}
