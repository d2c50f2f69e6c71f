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
		rs = append(rs, Resource{Name: name, Class: class(name), Utilization: math.NaN(), Wait: math.NaN()})
		return &rs[len(rs)-1]
	}
	for _, s := range p.Summaries {
		n := s.Name
		switch {
		case strings.HasPrefix(n, steadyPrefix) || strings.HasPrefix(n, "warmup_"):
		case n == "utilization":
			r := find("")
			r.Utilization, r.UtilMetric = s.Mean, n
		case strings.HasSuffix(n, "_utilization") || strings.HasSuffix(n, "_fraction"):
			r := find(n[:strings.LastIndexByte(n, '_')])
			if math.IsNaN(r.Utilization) {
				r.Utilization, r.UtilMetric = s.Mean, n
			}
		case strings.HasSuffix(n, "_ns") && (strings.HasPrefix(n, "wait_") || strings.Contains(n, "_wait_")):
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
