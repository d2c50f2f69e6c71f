package chart

import (
	"math"
	"strings"
)

// Unit scales raw values for display: shown = raw * Scale.
type Unit struct {
	Scale float64
	Name  string // "ms", "req/s", "MiB", "%" or "" for plain numbers
}

// Label returns "title (unit)" or just title.
func (u Unit) Label(title string) string {
	if u.Name == "" {
		return title
	}
	return title + " (" + u.Name + ")"
}

// UnitFor picks the display unit of a metric from its unit (the model's
// declaration, [scenario.Metric.Unit]; see sim/scenario's "Metric units")
// and the magnitude of its values:
//
//	ns      → ns, µs, ms or s, by the largest |value|
//	B       → B, KiB, MiB or GiB by size
//	1       → % (a fraction in [0, 1])
//	{req}   → req (a count: the annotation without braces), likewise
//	          {event}/{req} → event/req
//	req/s … → as declared
//
// It returns the unit and the title: the name, less a suffix that only
// repeats the unit ("latency_p99_ns" in ns → "latency_p99"). A metric
// without a unit (a journal written before units were recorded) is a
// plain number.
//
// [scenario.Metric.Unit]: https://pkg.go.dev/github.com/gohttpsim/gohttpsim/sim/scenario#Metric
func UnitFor(name, unit string, values []float64) (Unit, string) {
	maxAbs := 0.0
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			maxAbs = math.Max(maxAbs, math.Abs(v))
		}
	}
	switch unit {
	case "":
		return Unit{1, ""}, name
	case "ns":
		return DurationUnit(maxAbs), strings.TrimSuffix(name, "_ns")
	case "B":
		return ByteUnit(maxAbs), strings.TrimSuffix(name, "_bytes")
	case "1":
		return Unit{100, "%"}, name
	case "req/s":
		return Unit{1, "req/s"}, strings.TrimSuffix(name, "_rps")
	}
	return Unit{1, annotations.Replace(unit)}, name
}

// annotations drops the braces of UCUM annotations: {req} → req.
var annotations = strings.NewReplacer("{", "", "}", "")

// DurationUnit returns ns, µs, ms or s for values (in ns) up to maxAbs.
// Below 1 ms we still prefer µs to ns only from 1 µs, so that typical
// latencies read in ms or µs.
func DurationUnit(maxAbs float64) Unit {
	switch {
	case maxAbs >= 10e9:
		return Unit{1e-9, "s"}
	case maxAbs >= 1e6:
		return Unit{1e-6, "ms"}
	case maxAbs >= 1e3:
		return Unit{1e-3, "µs"}
	}
	return Unit{1, "ns"}
}

// ByteUnit returns B, KiB, MiB or GiB for sizes up to maxAbs.
func ByteUnit(maxAbs float64) Unit {
	switch {
	case maxAbs >= 1<<30:
		return Unit{1.0 / (1 << 30), "GiB"}
	case maxAbs >= 1<<20:
		return Unit{1.0 / (1 << 20), "MiB"}
	case maxAbs >= 1<<10:
		return Unit{1.0 / (1 << 10), "KiB"}
	}
	return Unit{1, "B"}
}
