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

// UnitFor picks the unit of a quantity from its name's suffix and the
// magnitude of its values:
//
//	*_ns                 → ns, µs, ms or s, by the largest |value|
//	*_rps, *_per_sec     → req/s
//	*_bytes, *_bytes_*   → KiB, MiB or GiB by size
//	utilization, *_utilization, *_fraction → %
//
// It returns the unit and the title with the unit suffix removed
// ("latency_p99_ns" → "latency_p99").
func UnitFor(name string, values []float64) (Unit, string) {
	maxAbs := 0.0
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			maxAbs = math.Max(maxAbs, math.Abs(v))
		}
	}
	switch {
	case strings.HasSuffix(name, "_ns"):
		return DurationUnit(maxAbs), strings.TrimSuffix(name, "_ns")
	case strings.HasSuffix(name, "_rps"):
		return Unit{1, "req/s"}, strings.TrimSuffix(name, "_rps")
	case strings.HasSuffix(name, "_per_sec"):
		return Unit{1, "/s"}, strings.TrimSuffix(name, "_per_sec")
	case strings.HasSuffix(name, "_bytes") || strings.Contains(name, "_bytes_"):
		return ByteUnit(maxAbs), strings.TrimSuffix(name, "_bytes")
	case name == "utilization" || strings.HasSuffix(name, "_utilization") || strings.HasSuffix(name, "_fraction"):
		return Unit{100, "%"}, name
	}
	return Unit{1, ""}, name
}

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
