package experiment

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/sim/dist"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// MaxPoints is the largest grid a sweep runs without Config.Force.
const MaxPoints = 100_000

// maxAxis bounds one axis while it is being expanded, so that "1:1e12:1"
// fails fast instead of allocating a trillion strings.
const maxAxis = 10 * MaxPoints

// ErrEmptyRange is returned for a SPEC that yields no values.
var ErrEmptyRange = errors.New("sweep: empty range")

// Axis is one varied key and its values, in canonical text (as
// scenario.Values.Raw prints them) and, for numeric kinds, as numbers
// (durations in ns) for charts.
type Axis struct {
	Key     string
	Kind    scenario.Kind
	Values  []string
	Numbers []float64 // nil if the kind is not numeric
}

// ParseAxis parses "KEY=SPEC" against the scenario's parameters in base.
// SPEC is a comma list "1,2,4,8" (any kind; commas inside parentheses do not
// split, so "exp(1ms),uniform(1us,2us)" is two values), a range "LO:HI:STEP"
// or a geometric range "LO:HI:*F" (numeric kinds; HI is included when the
// steps land on it). Every value is validated by the scenario's own parser.
func ParseAxis(base *scenario.Values, vary string) (Axis, error) {
	key, spec, ok := strings.Cut(vary, "=")
	key, spec = strings.TrimSpace(key), strings.TrimSpace(spec)
	if !ok || key == "" {
		return Axis{}, scenario.Usage(fmt.Errorf("-vary %q: want KEY=SPEC", vary))
	}
	if !base.Has(key) {
		return Axis{}, scenario.Usage(fmt.Errorf("-vary: unknown key %q (valid keys: %s)", key, strings.Join(base.Keys(), ", ")))
	}
	var def scenario.Param
	for _, p := range base.Defs() {
		if p.Key == key {
			def = p
		}
	}
	ax := Axis{Key: key, Kind: def.Kind}
	var raw []string
	if strings.Contains(spec, ":") && !strings.ContainsAny(spec, "(") {
		var err error
		raw, err = expandRange(def, spec)
		if err != nil {
			return Axis{}, scenario.Usage(fmt.Errorf("-vary %s=%s: %w", key, spec, err))
		}
	} else {
		for _, s := range dist.SplitTop(spec, ',') {
			if s = strings.TrimSpace(s); s != "" {
				raw = append(raw, s)
			}
		}
	}
	if len(raw) == 0 {
		return Axis{}, scenario.Usage(fmt.Errorf("-vary %s=%q: %w", key, spec, ErrEmptyRange))
	}
	numeric := def.Kind == scenario.Int || def.Kind == scenario.Float || def.Kind == scenario.Duration || def.Kind == scenario.Bytes
	seen := map[string]bool{}
	for _, s := range raw {
		v, err := base.With(key, s)
		if err != nil {
			return Axis{}, scenario.Usage(fmt.Errorf("-vary %s: %w", key, err))
		}
		c := v.Raw(key)
		if seen[c] {
			return Axis{}, scenario.Usage(fmt.Errorf("-vary %s: value %s appears twice", key, c))
		}
		seen[c] = true
		ax.Values = append(ax.Values, c)
		if numeric {
			f, _ := v.Numeric(key)
			ax.Numbers = append(ax.Numbers, f)
		}
	}
	return ax, nil
}

// expandRange expands "LO:HI:STEP" or "LO:HI:*F" (STEP defaults to 1 for
// integers) into value strings in the parameter's own syntax.
func expandRange(p scenario.Param, spec string) ([]string, error) {
	parts := strings.Split(spec, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return nil, fmt.Errorf("want LO:HI:STEP or LO:HI:*FACTOR")
	}
	num := func(s string) (float64, error) { return parseNum(p.Kind, strings.TrimSpace(s)) }
	lo, err := num(parts[0])
	if err != nil {
		return nil, err
	}
	hi, err := num(parts[1])
	if err != nil {
		return nil, err
	}
	if lo > hi {
		return nil, fmt.Errorf("%w: LO %s is above HI %s", ErrEmptyRange, strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1]))
	}
	format := func(f float64) string { return formatNum(p.Kind, f) }
	var out []string
	stepS := "1"
	if len(parts) == 3 {
		stepS = strings.TrimSpace(parts[2])
	} else if p.Kind != scenario.Int && p.Kind != scenario.Bytes {
		return nil, fmt.Errorf("a %s range needs a STEP (LO:HI:STEP or LO:HI:*FACTOR)", p.Kind)
	}
	// Tolerance for float accumulation: HI counts as reached within 1e-9 of
	// the span, so 0.1:0.3:0.1 yields three values, not two.
	eps := 1e-9 * math.Max(math.Abs(hi), math.Abs(lo))
	if f, ok := strings.CutPrefix(stepS, "*"); ok {
		factor, err := strconv.ParseFloat(f, 64)
		if err != nil || !(factor > 1) || math.IsInf(factor, 0) {
			return nil, fmt.Errorf("geometric factor %q: want a number above 1", f)
		}
		if lo <= 0 {
			return nil, fmt.Errorf("a geometric range needs LO > 0")
		}
		if math.Log(hi/lo)/math.Log(factor) >= maxAxis {
			return nil, fmt.Errorf("more than %d values", maxAxis)
		}
		for x := lo; x <= hi+eps; x *= factor {
			s := format(x)
			if len(out) == 0 || out[len(out)-1] != s { // rounding can repeat an integer
				out = append(out, s)
			}
		}
		return out, nil
	}
	step, err := num(stepS)
	if err != nil {
		return nil, fmt.Errorf("step: %w", err)
	}
	if !(step > 0) {
		return nil, fmt.Errorf("step %q: want a positive step", stepS)
	}
	if (hi-lo)/step >= maxAxis {
		return nil, fmt.Errorf("more than %d values", maxAxis)
	}
	for i := 0; ; i++ {
		x := lo + float64(i)*step
		if x > hi+eps {
			break
		}
		out = append(out, format(x))
	}
	return out, nil
}

// parseNum reads a number in the kind's syntax: durations as Go durations
// (in ns), sizes with units (in bytes).
func parseNum(k scenario.Kind, s string) (float64, error) {
	switch k {
	case scenario.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			if s == "0" {
				return 0, nil
			}
			return 0, fmt.Errorf("bad duration %q: want Go syntax such as 250us or 1.5ms", s)
		}
		return float64(d), nil
	case scenario.Bytes:
		n, err := scenario.ParseBytes(s)
		return float64(n), err
	case scenario.Int, scenario.Float:
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("bad number %q", s)
		}
		return f, nil
	}
	return 0, fmt.Errorf("a range needs a numeric key, and this key is %s: use a list a,b,c", k)
}

func formatNum(k scenario.Kind, f float64) string {
	switch k {
	case scenario.Duration:
		return time.Duration(math.Round(f)).String()
	case scenario.Int, scenario.Bytes:
		return strconv.FormatInt(int64(math.Round(f)), 10)
	}
	return strconv.FormatFloat(f, 'g', 12, 64)
}
