package scenario

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/sim/dist"
)

// Kind is the type of a parameter.
type Kind string

const (
	Int      Kind = "int"
	Float    Kind = "float"
	Duration Kind = "duration"
	Bool     Kind = "bool"
	Enum     Kind = "enum"     // one of Param.Enum
	Dist     Kind = "dist"     // a dist.Dist of durations: "250us", "exp(1ms)", ...
	String   Kind = "string"   // free text
	Bytes    Kind = "bytes"    // a size: 4096, 4KiB, 1MiB, 1.5MB
	SizeDist Kind = "sizedist" // a dist.Dist of byte counts: "2048", "exp(10KiB)"
)

// expect describes what a kind accepts, for error messages.
func (k Kind) expect(p *Param) string {
	switch k {
	case Int:
		return "an integer"
	case Float:
		return "a number"
	case Duration:
		return "a Go duration such as 250us, 1.5ms or 2s"
	case Bool:
		return "true or false"
	case Enum:
		return "one of " + strings.Join(p.Enum, ", ")
	case Dist:
		return "a duration distribution: " + dist.DistSyntax
	case Bytes:
		return "a size in bytes such as 4096, 64KiB or 1MiB"
	case SizeDist:
		return "a size distribution in bytes: " + dist.DistSyntax
	}
	return "a string"
}

// Param declares one scenario parameter. Scenarios made by [New] derive
// their Params from the struct tags of their config (config.go).
type Param struct {
	Key     string
	Kind    Kind
	Default string
	Help    string
	Unit    string   // "req/s", "B", ... ("" for durations and counts)
	Enum    []string // for Kind Enum
	// Min and Max bound numeric values (ignored when both are zero).
	Min, Max float64
	// RangeLo and RangeHi are the typical span a front end's slider
	// offers (both zero: none declared; Min and Max still bound it).
	RangeLo, RangeHi float64

	path []int // the config field (reflect index path), for [New]
}

// Values holds a scenario's parameters, defaults filled in, in declaration
// order. It is immutable once parsed; With returns a modified copy.
type Values struct {
	defs []Param
	raw  []string
	val  []any // parsed: int, float64, time.Duration, bool, string, dist.Dist
}

// Parameter errors are usage errors: the invocation is wrong, not the
// run. Every one is a *[ParamError] that matches one of these with
// errors.Is.
var (
	ErrUnknownKey = errors.New("unknown key")
	ErrBadValue   = errors.New("bad value")
	ErrSyntax     = errors.New("want KEY=VALUE")
)

// ErrUsage matches every error caused by a wrong request rather than by a
// failed run: each *ParamError, and errors marked with [Usage] (an
// experiment design's bad -search, -vary or -slo). Front ends exit 2 on
// them, 1 on the rest.
var ErrUsage = errors.New("usage error")

// Usage marks err as a usage error (errors.Is(err, ErrUsage)) without
// changing its message; nil stays nil.
func Usage(err error) error {
	if err == nil {
		return nil
	}
	return usageError{err}
}

type usageError struct{ error }

func (usageError) Is(target error) bool { return target == ErrUsage }
func (e usageError) Unwrap() error      { return e.error }

// ParamError is a bad parameter: Err is ErrUnknownKey, ErrBadValue or
// ErrSyntax; Msg says what is wrong (the valid keys, or the key and the
// value it expects).
type ParamError struct {
	Key, Value string
	Err        error
	Msg        string
}

func (e *ParamError) Error() string { return e.Msg }

// Unwrap returns the class of the error, for errors.Is.
func (e *ParamError) Unwrap() error { return e.Err }

// Is reports that every parameter error is a usage error.
func (e *ParamError) Is(target error) bool { return target == ErrUsage }

// SplitSet splits "KEY=VALUE" (the -set syntax) into its trimmed halves.
func SplitSet(s string) (key, value string, err error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		return "", "", &ParamError{Key: s, Err: ErrSyntax, Msg: fmt.Sprintf("-set %q: want KEY=VALUE", s)}
	}
	return strings.TrimSpace(k), strings.TrimSpace(v), nil
}

// SetAll applies sets ("KEY=VALUE") to v in place, in order.
func (v *Values) SetAll(sets []string) error {
	for _, s := range sets {
		k, val, err := SplitSet(s)
		if err != nil {
			return err
		}
		if err := v.Set(k, val); err != nil {
			return err
		}
	}
	return nil
}

// Parse fills defaults and applies sets ("KEY=VALUE") in order.
func Parse(defs []Param, sets []string) (*Values, error) {
	v := &Values{defs: defs, raw: make([]string, len(defs)), val: make([]any, len(defs))}
	for i, p := range defs {
		if err := v.set(i, p.Default); err != nil {
			panic(fmt.Sprintf("scenario: bad default for %s: %v", p.Key, err))
		}
	}
	if err := v.SetAll(sets); err != nil {
		return nil, err
	}
	return v, nil
}

// Keys returns the valid keys in declaration order.
func (v *Values) Keys() []string { return keys(v.defs) }

func keys(defs []Param) []string {
	out := make([]string, len(defs))
	for i, p := range defs {
		out[i] = p.Key
	}
	return out
}

func (v *Values) index(key string) int {
	for i := range v.defs {
		if v.defs[i].Key == key {
			return i
		}
	}
	return -1
}

// Has reports whether key is a parameter.
func (v *Values) Has(key string) bool { return v.index(key) >= 0 }

// Set parses and stores one value in place (use before sharing v).
func (v *Values) Set(key, val string) error {
	i := v.index(key)
	if i < 0 {
		return &ParamError{Key: key, Err: ErrUnknownKey,
			Msg: fmt.Sprintf("unknown key %q (valid keys: %s)", key, strings.Join(v.Keys(), ", "))}
	}
	return v.set(i, val)
}

// With returns a copy of v with key set to val.
func (v *Values) With(key, val string) (*Values, error) {
	c := &Values{defs: v.defs, raw: slices.Clone(v.raw), val: slices.Clone(v.val)}
	return c, c.Set(key, val)
}

func (v *Values) set(i int, s string) error {
	p := &v.defs[i]
	bad := func(extra string) error {
		msg := fmt.Sprintf("bad value %q for key %s: want %s", s, p.Key, p.Kind.expect(p))
		if p.Unit != "" && p.Unit != "B" && p.Kind != Enum {
			msg += " in " + p.Unit
		}
		if extra != "" {
			msg += " (" + extra + ")"
		}
		return &ParamError{Key: p.Key, Value: s, Err: ErrBadValue, Msg: msg}
	}
	var x any
	var num float64
	numeric := false
	switch p.Kind {
	case Int:
		n, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(s, 64) // accept 1e6
			if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
				return bad("")
			}
			n = int64(f)
		}
		x, num, numeric = int(n), float64(n), true
	case Float:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return bad("")
		}
		x, num, numeric = f, f, true
	case Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			if s == "0" {
				d, err = 0, nil
			} else {
				return bad("")
			}
		}
		x, num, numeric = d, float64(d), true
		s = d.String()
	case Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return bad("")
		}
		x, s = b, strconv.FormatBool(b)
	case Enum:
		if !slices.Contains(p.Enum, s) {
			return bad("")
		}
		x = s
	case Dist, SizeDist:
		in := s
		if p.Kind == SizeDist {
			in = replaceSizes(s)
		}
		d, err := dist.ParseDist(in)
		if err != nil {
			return bad(err.Error())
		}
		x = d
	case Bytes:
		n, err := ParseBytes(s)
		if err != nil {
			return bad("")
		}
		x, num, numeric = n, float64(n), true
	default:
		x = s
	}
	if numeric && (p.Min != 0 || p.Max != 0) && (num < p.Min || num > p.Max) {
		lo, hi := fmtBound(p, p.Min), fmtBound(p, p.Max)
		return bad(fmt.Sprintf("must be between %s and %s", lo, hi))
	}
	v.raw[i], v.val[i] = s, x
	return nil
}

func fmtBound(p *Param, f float64) string {
	if p.Kind == Duration {
		return time.Duration(f).String()
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// ParseBytes parses 4096, 4KiB, 4KB, 1.5MiB, 1GiB (KB = 1000, KiB = 1024).
func ParseBytes(s string) (int64, error) {
	units := []struct {
		suf string
		m   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	m := 1.0
	for _, u := range units {
		if strings.HasSuffix(s, u.suf) {
			s, m = strings.TrimSpace(strings.TrimSuffix(s, u.suf)), u.m
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return int64(f * m), nil
}

// replaceSizes turns size tokens inside a distribution into plain numbers.
func replaceSizes(s string) string {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		if n, err := ParseBytes(strings.TrimSpace(s)); err == nil {
			return strconv.FormatInt(n, 10)
		}
		return s
	}
	inner := strings.TrimSuffix(s[open+1:], ")")
	parts := strings.Split(inner, ",")
	for i, a := range parts {
		if n, err := ParseBytes(strings.TrimSpace(a)); err == nil {
			parts[i] = strconv.FormatInt(n, 10)
		}
	}
	return s[:open+1] + strings.Join(parts, ",") + ")"
}

func (v *Values) get(key string, k ...Kind) any {
	i := v.index(key)
	if i < 0 {
		panic("scenario: model asked for undeclared parameter " + key)
	}
	if len(k) > 0 && !slices.Contains(k, v.defs[i].Kind) {
		panic(fmt.Sprintf("scenario: parameter %s is %s, not %v", key, v.defs[i].Kind, k))
	}
	return v.val[i]
}

// Int returns an Int parameter.
func (v *Values) Int(key string) int { return v.get(key, Int).(int) }

// Float returns a Float parameter.
func (v *Values) Float(key string) float64 { return v.get(key, Float).(float64) }

// Duration returns a Duration parameter.
func (v *Values) Duration(key string) time.Duration { return v.get(key, Duration).(time.Duration) }

// Bool returns a Bool parameter.
func (v *Values) Bool(key string) bool { return v.get(key, Bool).(bool) }

// String returns an Enum or String parameter.
func (v *Values) String(key string) string { return v.get(key, Enum, String).(string) }

// Bytes returns a Bytes parameter.
func (v *Values) Bytes(key string) int64 { return v.get(key, Bytes).(int64) }

// Dist returns a Dist or SizeDist parameter.
func (v *Values) Dist(key string) dist.Dist { return v.get(key, Dist, SizeDist).(dist.Dist) }

// Raw returns the canonical text of a parameter.
func (v *Values) Raw(key string) string {
	i := v.index(key)
	if i < 0 {
		return ""
	}
	return v.raw[i]
}

// Numeric returns a numeric view of a parameter (durations in ns), for
// charts and planners; ok is false for non-numeric kinds.
func (v *Values) Numeric(key string) (f float64, ok bool) {
	i := v.index(key)
	if i < 0 {
		return 0, false
	}
	switch x := v.val[i].(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	case time.Duration:
		return float64(x), true
	case int64:
		return float64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// Defs returns the parameter declarations.
func (v *Values) Defs() []Param { return v.defs }

// MarshalJSON writes every parameter in declaration order: numbers as JSON
// numbers, booleans as booleans, durations and distributions as Go-syntax
// strings ("250us", "exp(1ms)").
func (v *Values) MarshalJSON() ([]byte, error) {
	return OrderedObject(len(v.defs), func(i int) (string, string) {
		var x []byte
		switch val := v.val[i].(type) {
		case int, float64, bool, int64:
			x, _ = json.Marshal(val)
		default:
			x, _ = json.Marshal(v.raw[i])
		}
		return v.defs[i].Key, string(x)
	}), nil
}
