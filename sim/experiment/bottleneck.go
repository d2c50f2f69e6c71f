package experiment

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Resource is one resource found in a point's metrics by the naming
// convention in the package doc.
type Resource struct {
	Name        string  // metric prefix, "" for the model's main servers
	Class       string  // CPU, connections, pool wait, DB, GC, servers, or the prefix
	Utilization float64 // mean busy fraction, NaN if not reported
	UtilMetric  string
	Wait        float64 // mean of the first wait metric, ns; NaN if none
	WaitMetric  string
	Refused     float64 // mean of "<resource>_refused": work turned away at its limit; NaN if none
	Near        bool    // near saturation (see Saturated)
}

// Thresholds of [Saturated].
const (
	// NearUtilization is the busy fraction from which a resource counts
	// as near saturation: past it, queueing delay grows steeply (an
	// M/M/c queue's wait at ρ = 0.8 is already 4× its wait at ρ = 0.5).
	NearUtilization = 0.8
	// NearWaitShare is the share of the mean latency ("latency_mean_ns")
	// that waiting for a resource must reach for the wait to count.
	NearWaitShare = 0.1
)

// Saturated returns the resources of p near saturation, busiest first: a
// busy fraction of at least NearUtilization, work refused at a limit, or a
// mean wait of at least NearWaitShare of the mean latency (when the point
// reports latency_mean_ns; any wait otherwise).
func Saturated(p *Point) []Resource {
	var out []Resource
	for _, r := range Bottlenecks(p) {
		if r.Near {
			out = append(out, r)
		}
	}
	return out
}

// Bottlenecks returns the resources p's metrics describe, busiest first
// (resources with only a wait metric come last, longest wait first).
func Bottlenecks(p *Point) []Resource {
	var rs []Resource
	find := func(name string) *Resource {
		for i := range rs {
			if rs[i].Name == name {
				return &rs[i]
			}
		}
		rs = append(rs, Resource{Name: name, Class: class(name), Utilization: math.NaN(), Wait: math.NaN(), Refused: math.NaN()})
		return &rs[len(rs)-1]
	}
	for _, s := range p.Summaries {
		n := s.Name
		switch {
		case strings.HasPrefix(n, steadyPrefix) || strings.HasPrefix(n, "warmup_") || strings.HasPrefix(n, "failed_"):
			// Probe means, warm-up figures and outcome counts
			// (failed_<cause>) describe no resource.
		case n == "utilization" && s.Unit == "1":
			r := find("")
			r.Utilization, r.UtilMetric = s.Mean, n
		case s.Unit == "1" && (strings.HasSuffix(n, "_utilization") || strings.HasSuffix(n, "_fraction")):
			r := find(n[:strings.LastIndexByte(n, '_')])
			if math.IsNaN(r.Utilization) {
				r.Utilization, r.UtilMetric = s.Mean, n
			}
		case strings.HasSuffix(n, "_refused"):
			r := find(strings.TrimSuffix(n, "_refused"))
			r.Refused = s.Mean
		case s.Unit == "ns" && (strings.HasPrefix(n, "wait_") || strings.Contains(n, "_wait_")):
			prefix := ""
			if i := strings.Index(n, "_wait_"); i >= 0 {
				prefix = n[:i]
			}
			r := find(prefix)
			if math.IsNaN(r.Wait) {
				r.Wait, r.WaitMetric = s.Mean, n
			}
		}
	}
	latency := math.NaN()
	if l, ok := p.Summary("latency_mean_ns"); ok {
		latency = l.Mean
	}
	for i := range rs {
		r := &rs[i]
		switch {
		case r.Utilization >= NearUtilization, r.Refused > 0:
			r.Near = true
		case r.Wait > 0:
			r.Near = math.IsNaN(latency) || r.Wait >= NearWaitShare*latency
		}
	}
	slices.SortStableFunc(rs, func(a, b Resource) int {
		au, bu := nanLow(a.Utilization), nanLow(b.Utilization)
		if c := cmp.Compare(bu, au); c != 0 {
			return c
		}
		return cmp.Compare(nanLow(b.Wait), nanLow(a.Wait))
	})
	return rs
}

func nanLow(x float64) float64 {
	if math.IsNaN(x) {
		return math.Inf(-1)
	}
	return x
}

// class maps a metric prefix to the resource classes the planner names.
func class(prefix string) string {
	if prefix == "" {
		return "servers"
	}
	// Whole prefixes first: the host's resources (model/host).
	switch prefix {
	case "host_cpu", "host_cores":
		return "host cores"
	case "cpu_throttled":
		return "quota throttling"
	case "cpu_quota":
		return "CPU quota"
	case "cpu":
		return "Ps"
	}
	first, _, _ := strings.Cut(prefix, "_")
	switch first {
	case "cpu", "sched", "gomaxprocs":
		return "CPU"
	case "conn", "conns", "connections", "tcp":
		return "connections"
	case "pool":
		return "pool wait"
	case "db", "sql":
		return "DB"
	case "gc":
		return "GC"
	}
	return prefix
}
