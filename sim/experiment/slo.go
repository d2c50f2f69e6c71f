package experiment

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// SLO is an objective on one metric: Metric Op Value, judged on the 95%
// confidence interval of the mean across replications.
type SLO struct {
	Metric string
	Op     string // "<=", "<", ">=" or ">"
	Value  float64
	Text   string // as given
}

// ParseSLO parses "METRIC<=VALUE" (also <, >=, >). VALUE is a number, a Go
// duration (converted to ns: "latency_p99_ns<=50ms"), a size with a unit
// (converted to bytes: "heap_bytes<=512MiB") or a percentage ("90%" is 0.9).
func ParseSLO(s string) (SLO, error) {
	for _, op := range []string{"<=", ">=", "<", ">"} {
		i := strings.Index(s, op)
		if i < 0 {
			continue
		}
		metric, val := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(op):])
		if metric == "" {
			return SLO{}, fmt.Errorf("-slo %q: no metric before %s", s, op)
		}
		v, err := parseSLOValue(val)
		if err != nil {
			return SLO{}, fmt.Errorf("-slo %q: %v", s, err)
		}
		return SLO{Metric: metric, Op: op, Value: v, Text: metric + op + val}, nil
	}
	return SLO{}, fmt.Errorf("-slo %q: want METRIC<=VALUE or METRIC>=VALUE (e.g. latency_p99_ns<=50ms)", s)
}

func parseSLOValue(s string) (float64, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return f, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return float64(d), nil
	}
	if p, ok := strings.CutSuffix(s, "%"); ok {
		if f, err := strconv.ParseFloat(p, 64); err == nil {
			return f / 100, nil
		}
	}
	if strings.HasSuffix(s, "B") {
		if n, err := scenario.ParseBytes(s); err == nil {
			return float64(n), nil
		}
	}
	return 0, fmt.Errorf("bad value %q: want a number, a Go duration (50ms, converted to ns), a size (512MiB) or a percentage (90%%)", s)
}

// Met reports whether s holds at 95% confidence: for an upper limit the CI's
// upper bound meets it, for a lower limit its lower bound does.
func (o SLO) Met(s stats.Summary) bool {
	switch o.Op {
	case "<=":
		return s.Hi <= o.Value
	case "<":
		return s.Hi < o.Value
	case ">=":
		return s.Lo >= o.Value
	}
	return s.Lo > o.Value
}

// Excess measures how far s misses the objective, relative to the target
// (0 when met; larger is worse), to rank points when none meets every SLO.
func (o SLO) Excess(s stats.Summary) float64 {
	if o.Met(s) {
		return 0
	}
	den := math.Max(math.Abs(o.Value), 1e-300)
	if o.Op[0] == '<' {
		return (s.Hi - o.Value) / den
	}
	return (o.Value - s.Lo) / den
}
