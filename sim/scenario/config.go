package scenario

// config.go derives a scenario's parameter list from its typed config
// struct, once, at registration, the way encoding/json derives a type's
// fields from its struct tags (encoding/json/encode.go, typeFields): each
// exported field with a `key` tag is a parameter; a struct field without
// one is a group whose fields are walked in turn (embedded or named), so a
// group of keys shared by several scenarios is declared once. The kind
// follows from the Go type:
//
//	int                         Int
//	int, int64 with unit B      Bytes  (4096, 64KiB, 1.5MB)
//	float64                     Float
//	float64 with unit B/s       Bytes  (a rate in bytes per second: 1.25MB)
//	time.Duration               Duration
//	bool                        Bool
//	string with an enum tag     Enum
//	string                      String
//	dist.Dist                   Dist   (250us, exp(1ms))
//	dist.Dist with unit B       SizeDist (2048, exp(10KiB))
//
// Tags:
//
//	key:"Server.ReadHeaderTimeout"  the parameter's name (Go's identifier where one exists)
//	unit:"req/s"                    the unit, shown in help and errors
//	min:"0" max:"24h"               bounds of numeric kinds (numbers, durations or sizes)
//	enum:"hello,json,db"            the values of an Enum
//	help:"..."                      one line: what the parameter means
//	range:"1,16"                    the typical span a slider offers (optional)
//
// A group field may carry omit:"k1,k2" (those keys of the group are not
// parameters of this scenario) or only:"k1,k2" (only those are); the keys
// left out keep the defaults' values.
//
// Defaults are the values the scenario's defaults function returns, which
// take them from the model packages (gmp.DefaultConfig(), ...).

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
)

// Run is the run length every scenario declares; embed it in a config.
type Run struct {
	Duration time.Duration `key:"duration" min:"1ns" max:"24h" help:"simulated time to run (a model that finishes earlier stops there)"`
}

// New returns a scenario whose parameters are the tagged fields of C with
// the values defaults returns as defaults. build receives a fresh copy of
// the defaults with every parameter's value applied. New panics on a
// malformed declaration (a programming error, found at init).
func New[C any](name, summary string, defaults func() C, build func(e *sim.Engine, c *C, env *Env) (Model, error)) *Scenario {
	def := defaults()
	params, err := deriveParams(reflect.ValueOf(&def).Elem())
	if err != nil {
		panic(fmt.Sprintf("scenario %s: %v", name, err))
	}
	s := &Scenario{Name: name, Summary: summary, Params: params}
	s.config = func(v *Values) (any, error) {
		c := defaults()
		if err := v.fill(reflect.ValueOf(&c).Elem()); err != nil {
			return nil, err
		}
		return &c, nil
	}
	s.Build = func(e *sim.Engine, v *Values, env *Env) (Model, error) {
		c, err := s.config(v)
		if err != nil {
			return nil, err
		}
		return build(e, c.(*C), env)
	}
	return s
}

// Config returns the typed config (a *C for a scenario made by New) holding
// v's values, for front ends that read a run's parameters by field rather
// than by key.
func (s *Scenario) Config(v *Values) (any, error) {
	if s.config == nil {
		return nil, fmt.Errorf("scenario %s has no typed config", s.Name)
	}
	return s.config(v)
}

// ConfigOf is Config with the type: ConfigOf[scenarios.PoolConfig](s, v).
func ConfigOf[C any](s *Scenario, v *Values) (*C, error) {
	c, err := s.Config(v)
	if err != nil {
		return nil, err
	}
	t, ok := c.(*C)
	if !ok {
		return nil, fmt.Errorf("scenario %s: config is %T, not %T", s.Name, c, t)
	}
	return t, nil
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	distType     = reflect.TypeFor[dist.Dist]()
)

// deriveParams walks the struct v depth-first in field order.
func deriveParams(v reflect.Value) ([]Param, error) {
	var out []Param
	// keep reports whether a key passes the omit and only tags of the
	// groups enclosing it.
	type filter func(key string) bool
	var walk func(v reflect.Value, path []int, keep []filter) error
	walk = func(v reflect.Value, path []int, keep []filter) error {
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			fp := append(slices.Clone(path), i)
			key, tagged := f.Tag.Lookup("key")
			if !tagged {
				if f.Type.Kind() == reflect.Struct && f.Type != durationType {
					k := slices.Clone(keep)
					if o := f.Tag.Get("omit"); o != "" {
						om := strings.Split(o, ",")
						k = append(k, func(key string) bool { return !slices.Contains(om, key) })
					}
					if o := f.Tag.Get("only"); o != "" {
						on := strings.Split(o, ",")
						k = append(k, func(key string) bool { return slices.Contains(on, key) })
					}
					if err := walk(v.Field(i), fp, k); err != nil {
						return err
					}
				}
				continue
			}
			if !f.IsExported() {
				return fmt.Errorf("field %s (key %s) is not exported", f.Name, key)
			}
			if slices.ContainsFunc(keep, func(f filter) bool { return !f(key) }) {
				continue
			}
			p, err := fieldParam(f, key, v.Field(i))
			if err != nil {
				return fmt.Errorf("key %s: %v", key, err)
			}
			if slices.ContainsFunc(out, func(q Param) bool { return q.Key == key }) {
				return fmt.Errorf("key %s declared twice", key)
			}
			p.path = fp
			out = append(out, p)
		}
		return nil
	}
	if err := walk(v, nil, nil); err != nil {
		return nil, err
	}
	// The defaults must parse back to themselves, within their bounds.
	if _, err := Parse(out, nil); err != nil {
		return nil, err
	}
	return out, nil
}

// fieldParam declares the parameter of field f whose default value is d.
func fieldParam(f reflect.StructField, key string, d reflect.Value) (Param, error) {
	p := Param{Key: key, Unit: f.Tag.Get("unit"), Help: f.Tag.Get("help")}
	if p.Help == "" {
		return p, fmt.Errorf("no help tag")
	}
	bytes := p.Unit == "B" || p.Unit == "B/s"
	t := f.Type
	switch {
	case t == durationType:
		p.Kind, p.Default = Duration, time.Duration(d.Int()).String()
	case t == distType:
		p.Kind = Dist
		if bytes {
			p.Kind = SizeDist
		}
		dv, _ := d.Interface().(dist.Dist)
		if dv == nil {
			return p, fmt.Errorf("no default distribution")
		}
		p.Default = formatDist(dv, p.Kind == SizeDist)
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		p.Kind, p.Default = Int, strconv.FormatInt(d.Int(), 10)
		if bytes {
			p.Kind, p.Default = Bytes, FormatBytes(d.Int())
		}
	case t.Kind() == reflect.Float64:
		p.Kind, p.Default = Float, strconv.FormatFloat(d.Float(), 'g', -1, 64)
		if bytes {
			if d.Float() != math.Trunc(d.Float()) {
				return p, fmt.Errorf("default %v is not a whole number of bytes", d.Float())
			}
			p.Kind, p.Default = Bytes, FormatBytes(int64(d.Float()))
		}
	case t.Kind() == reflect.Bool:
		p.Kind, p.Default = Bool, strconv.FormatBool(d.Bool())
	case t.Kind() == reflect.String:
		p.Kind, p.Default = String, d.String()
		if e := f.Tag.Get("enum"); e != "" {
			p.Kind, p.Enum = Enum, strings.Split(e, ",")
		}
	default:
		return p, fmt.Errorf("field %s: type %v has no parameter kind", f.Name, t)
	}
	var err error
	if p.Min, err = parseBound(f.Tag.Get("min")); err != nil {
		return p, err
	}
	if p.Max, err = parseBound(f.Tag.Get("max")); err != nil {
		return p, err
	}
	if r := f.Tag.Get("range"); r != "" {
		lo, hi, ok := strings.Cut(r, ",")
		if p.RangeLo, err = parseBound(lo); err != nil || !ok {
			return p, fmt.Errorf("range %q: want LO,HI", r)
		}
		if p.RangeHi, err = parseBound(hi); err != nil {
			return p, fmt.Errorf("range %q: want LO,HI", r)
		}
	}
	return p, nil
}

// parseBound reads a min/max tag: a number, a Go duration or a size.
func parseBound(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, nil
	}
	neg := strings.HasPrefix(s, "-")
	if d, err := time.ParseDuration(strings.TrimPrefix(s, "-")); err == nil {
		if neg {
			d = -d
		}
		return float64(d), nil
	}
	if n, err := ParseBytes(s); err == nil {
		return float64(n), nil
	}
	return 0, fmt.Errorf("bad bound %q", s)
}

// FormatBytes writes n in the largest binary unit that divides it
// (8KiB, 1MiB), else in decimal megabytes when whole (1.25MB), else as a
// plain number; ParseBytes reads every form back.
func FormatBytes(n int64) string {
	for _, u := range []struct {
		suf string
		m   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n != 0 && n%u.m == 0 {
			return strconv.FormatInt(n/u.m, 10) + u.suf
		}
	}
	if n >= 1e6 && n%1e4 == 0 {
		return strconv.FormatFloat(float64(n)/1e6, 'g', -1, 64) + "MB"
	}
	return strconv.FormatInt(n, 10)
}

// formatDist writes d in the syntax ParseDist reads; sizes are written as
// sizes (a size distribution's String would print them as durations).
func formatDist(d dist.Dist, sizes bool) string {
	if !sizes {
		return d.String()
	}
	switch x := d.(type) {
	case dist.Const:
		return FormatBytes(int64(x.V))
	case dist.Exp:
		return "exp(" + FormatBytes(int64(x.M)) + ")"
	}
	return d.String()
}

// fill sets the fields of the config c from v.
func (v *Values) fill(c reflect.Value) error {
	for i, p := range v.defs {
		if p.path == nil {
			return fmt.Errorf("parameter %s has no config field", p.Key)
		}
		f := c.FieldByIndex(p.path)
		x := reflect.ValueOf(v.val[i])
		switch {
		case f.Type() == distType:
		case x.Type() != f.Type() && x.CanConvert(f.Type()):
			x = x.Convert(f.Type())
		}
		f.Set(x)
	}
	return nil
}
