package scenario

// metrics.go turns a model's metrics struct into the []Metric a Model
// returns: each float64 field tagged `metric:"name"` is one metric, its unit
// in a `unit` tag that every metric must have (see "Metric units" in
// doc.go), so front ends read the unit from the metric rather than from its
// name's suffix. A []Metric field is appended as it is (metrics whose
// number depends on the run, such as one per P; they carry their Unit), and
// a struct field without a tag is a group walked in turn. A metric a run
// may not report (a database's utilization when there is no database) is
// tagged `metric:"name,optional"` and left out when its value is NaN.

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
)

var (
	metricsType = reflect.TypeFor[[]Metric]()
	metricPlans sync.Map // reflect.Type → []metricField
)

type metricField struct {
	index      []int
	name, unit string
	extra      bool // a []Metric field
	optional   bool // left out when NaN
}

// MetricsOf returns the metrics of m, a struct or a pointer to one, in
// field order. It panics on a malformed struct (a programming error): a
// tagged field that is not a float64 or has no unit.
func MetricsOf(m any) []Metric {
	v := reflect.Indirect(reflect.ValueOf(m))
	plan := metricPlan(v.Type())
	out := make([]Metric, 0, len(plan))
	for _, f := range plan {
		fv := v.FieldByIndex(f.index)
		if f.extra {
			out = append(out, fv.Interface().([]Metric)...)
			continue
		}
		v := fv.Float()
		if f.optional && math.IsNaN(v) {
			continue
		}
		out = append(out, Metric{Name: f.name, Value: v, Unit: f.unit})
	}
	return out
}

func metricPlan(t reflect.Type) []metricField {
	if p, ok := metricPlans.Load(t); ok {
		return p.([]metricField)
	}
	var plan []metricField
	var walk func(t reflect.Type, path []int)
	walk = func(t reflect.Type, path []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			idx := append(append([]int(nil), path...), i)
			tag, tagged := f.Tag.Lookup("metric")
			name, opt, _ := strings.Cut(tag, ",")
			if opt != "" && opt != "optional" {
				panic(fmt.Sprintf("scenario: metric %s: unknown option %q (want optional)", name, opt))
			}
			switch {
			case f.Type == metricsType:
				plan = append(plan, metricField{index: idx, extra: true})
			case tagged && f.Type.Kind() == reflect.Float64:
				unit := f.Tag.Get("unit")
				if unit == "" {
					panic(fmt.Sprintf("scenario: metric %s: field %s has no unit tag (\"1\" for a fraction, \"{what}\" for a count)", name, f.Name))
				}
				plan = append(plan, metricField{index: idx, name: name, unit: unit, optional: opt != ""})
			case tagged:
				panic(fmt.Sprintf("scenario: metric %s: field %s is %v, not float64", name, f.Name, f.Type))
			case f.Type.Kind() == reflect.Struct:
				walk(f.Type, idx)
			}
		}
	}
	walk(t, nil)
	metricPlans.Store(t, plan)
	return plan
}
