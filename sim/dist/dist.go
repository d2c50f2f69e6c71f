package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Dist is a distribution of non-negative values: durations in nanoseconds or
// sizes in bytes, depending on the parameter that holds it. Sample draws from
// the caller's stream, so each component keeps its own sequence.
type Dist interface {
	Sample(r *rand.Rand) float64
	Mean() float64
	String() string
}

// SampleDuration draws a duration from d (negative draws clamp to 0).
func SampleDuration(d Dist, r *rand.Rand) time.Duration {
	v := d.Sample(r)
	if v <= 0 {
		return 0
	}
	return time.Duration(v + 0.5)
}

// Const always returns V.
type Const struct{ V float64 }

func (c Const) Sample(*rand.Rand) float64 { return c.V }
func (c Const) Mean() float64             { return c.V }
func (c Const) String() string            { return fmtNum(c.V, true) }

// Uniform is uniform on [Lo, Hi).
type Uniform struct{ Lo, Hi float64 }

func (u Uniform) Sample(r *rand.Rand) float64 { return u.Lo + (u.Hi-u.Lo)*r.Float64() }
func (u Uniform) Mean() float64               { return (u.Lo + u.Hi) / 2 }
func (u Uniform) String() string {
	return "uniform(" + fmtNum(u.Lo, true) + "," + fmtNum(u.Hi, true) + ")"
}

// Exp is exponential with the given mean.
type Exp struct{ M float64 }

func (e Exp) Sample(r *rand.Rand) float64 { return r.ExpFloat64() * e.M }
func (e Exp) Mean() float64               { return e.M }
func (e Exp) String() string              { return "exp(" + fmtNum(e.M, true) + ")" }

// Normal is normal with mean Mu and standard deviation Sigma, truncated at 0
// by resampling (so Mean is exact only when Mu ≫ Sigma).
type Normal struct{ Mu, Sigma float64 }

func (n Normal) Sample(r *rand.Rand) float64 {
	for i := 0; i < 64; i++ {
		if v := n.Mu + n.Sigma*r.NormFloat64(); v >= 0 {
			return v
		}
	}
	return 0
}
func (n Normal) Mean() float64 { return n.Mu }
func (n Normal) String() string {
	return "normal(" + fmtNum(n.Mu, true) + "," + fmtNum(n.Sigma, true) + ")"
}

// LogNormal is log-normal parameterised by its own mean and standard
// deviation (not those of the underlying normal), which is how latencies are
// usually quoted.
type LogNormal struct{ M, S float64 }

func (l LogNormal) params() (mu, sigma float64) {
	v := math.Log(1 + (l.S*l.S)/(l.M*l.M))
	return math.Log(l.M) - v/2, math.Sqrt(v)
}
func (l LogNormal) Sample(r *rand.Rand) float64 {
	mu, sigma := l.params()
	return math.Exp(mu + sigma*r.NormFloat64())
}
func (l LogNormal) Mean() float64 { return l.M }
func (l LogNormal) String() string {
	return "lognormal(" + fmtNum(l.M, true) + "," + fmtNum(l.S, true) + ")"
}

// Pareto is Pareto type I with scale Xm and shape Alpha (heavy tail).
type Pareto struct{ Xm, Alpha float64 }

func (p Pareto) Sample(r *rand.Rand) float64 {
	return p.Xm / math.Pow(1-r.Float64(), 1/p.Alpha)
}
func (p Pareto) Mean() float64 {
	if p.Alpha <= 1 {
		return math.Inf(1)
	}
	return p.Alpha * p.Xm / (p.Alpha - 1)
}
func (p Pareto) String() string {
	return "pareto(" + fmtNum(p.Xm, true) + "," + strconv.FormatFloat(p.Alpha, 'g', -1, 64) + ")"
}

// Empirical draws uniformly from observed samples.
type Empirical struct{ Samples []float64 }

func (e Empirical) Sample(r *rand.Rand) float64 { return e.Samples[r.IntN(len(e.Samples))] }
func (e Empirical) Mean() float64 {
	s := 0.0
	for _, v := range e.Samples {
		s += v
	}
	return s / float64(len(e.Samples))
}
func (e Empirical) String() string {
	parts := make([]string, len(e.Samples))
	for i, v := range e.Samples {
		parts[i] = fmtNum(v, true)
	}
	return "empirical(" + strings.Join(parts, ",") + ")"
}

// DistSyntax describes the accepted spellings, for error messages.
const DistSyntax = "a value (5us, 1.5ms, 2048) or const(V), exp(MEAN), uniform(LO,HI), normal(MEAN,SD), lognormal(MEAN,SD), pareto(XM,ALPHA), empirical(V,V,...)"

// ParseDist parses a distribution. Arguments are Go durations ("250us") or
// plain non-negative numbers; durations are held in nanoseconds.
func ParseDist(s string) (Dist, error) {
	s = strings.TrimSpace(s)
	open := strings.IndexByte(s, '(')
	if open < 0 {
		v, err := parseNum(s)
		if err != nil {
			return nil, err
		}
		return Const{v}, nil
	}
	if !strings.HasSuffix(s, ")") {
		return nil, fmt.Errorf("missing ')' in %q", s)
	}
	name := s[:open]
	var args []float64
	for _, a := range strings.Split(s[open+1:len(s)-1], ",") {
		v, err := parseNum(strings.TrimSpace(a))
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	want := func(n int) error {
		if len(args) != n {
			return fmt.Errorf("%s takes %d argument(s), got %d", name, n, len(args))
		}
		return nil
	}
	switch name {
	case "const":
		if err := want(1); err != nil {
			return nil, err
		}
		return Const{args[0]}, nil
	case "exp":
		if err := want(1); err != nil {
			return nil, err
		}
		return Exp{args[0]}, nil
	case "uniform":
		if err := want(2); err != nil {
			return nil, err
		}
		if args[1] < args[0] {
			return nil, fmt.Errorf("uniform(LO,HI) needs LO <= HI")
		}
		return Uniform{args[0], args[1]}, nil
	case "normal":
		if err := want(2); err != nil {
			return nil, err
		}
		return Normal{args[0], args[1]}, nil
	case "lognormal":
		if err := want(2); err != nil {
			return nil, err
		}
		if args[0] <= 0 {
			return nil, fmt.Errorf("lognormal needs a positive mean")
		}
		return LogNormal{args[0], args[1]}, nil
	case "pareto":
		if err := want(2); err != nil {
			return nil, err
		}
		if args[0] <= 0 || args[1] <= 0 {
			return nil, fmt.Errorf("pareto needs positive XM and ALPHA")
		}
		return Pareto{args[0], args[1]}, nil
	case "empirical":
		if len(args) == 0 {
			return nil, fmt.Errorf("empirical needs at least one sample")
		}
		return Empirical{slices.Clone(args)}, nil
	}
	return nil, fmt.Errorf("unknown distribution %q", name)
}

func parseNum(s string) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty value")
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d < 0 {
			return 0, fmt.Errorf("negative value %q", s)
		}
		return float64(d), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is neither a duration nor a number", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("negative value %q", s)
	}
	return v, nil
}

// fmtNum prints v as a duration when asDur and v is a whole number of ns.
func fmtNum(v float64, asDur bool) string {
	if asDur && v == math.Trunc(v) && v < 1<<62 {
		return time.Duration(v).String()
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// SplitTop splits s at every sep that is outside parentheses, so that
// "exp(1ms),uniform(1ms,2ms)" splits at the first comma only. The parts are
// not trimmed; a trailing part is kept even when empty (len(result) is the
// number of top-level seps plus one).
func SplitTop(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case sep:
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
