package experiment

import (
	"math"
	"testing"
)

// FuzzParseAxis: any SPEC gives an error or a non-empty axis of distinct
// values that the scenario accepts, never a panic or a huge allocation.
func FuzzParseAxis(f *testing.F) {
	for _, s := range []string{"servers=1:64:*2", "servers=1,2,4", "service.mean=1ms:3ms:500us", "load.rate=0.1:0.3:0.1",
		"servers=1:1e9", "service.mean=1ns:24h:*1.0000001", "warmup=0:1s:1ms", "load.rate=-1:1:0.5", "servers=(1,2)"} {
		f.Add(s)
	}
	_, base := mmcBase(f)
	f.Fuzz(func(t *testing.T, vary string) {
		a, err := ParseAxis(base, vary)
		if err != nil {
			return
		}
		if len(a.Values) == 0 || len(a.Values) > maxAxis {
			t.Fatalf("%q: %d values", vary, len(a.Values))
		}
		seen := map[string]bool{}
		for _, v := range a.Values {
			if seen[v] {
				t.Fatalf("%q: duplicate %s", vary, v)
			}
			seen[v] = true
			if _, err := base.With(a.Key, v); err != nil {
				t.Fatalf("%q: value %s rejected: %v", vary, v, err)
			}
		}
	})
}

func FuzzParseSLO(f *testing.F) {
	for _, s := range []string{"latency_p99_ns<=50ms", "x>=1e3", "u<90%", "h<=1MiB", "<=", "a<=<=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseSLO(s)
		if err == nil && (o.Metric == "" || math.IsNaN(o.Value) || math.IsInf(o.Value, 0)) {
			t.Fatalf("%q parsed to %+v", s, o)
		}
	})
}
