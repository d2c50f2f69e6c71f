package scenario

import (
	"math"
	"reflect"
	"testing"
)

type testLatency struct {
	P99 float64 `metric:"latency_p99_ns" unit:"ns"`
}

type testMetrics struct {
	Completed float64 `metric:"completed" unit:"{req}"`
	testLatency
	Heap    float64  `metric:"heap_peak_bytes" unit:"B"`
	DB      float64  `metric:"db_utilization,optional" unit:"1"` // NaN: no database
	Backend float64  `metric:"backend_utilization,optional" unit:"1"`
	PerP    []Metric // metrics whose number depends on the run
	ignored int
}

// The units come from the tags, in field order, groups walked in place and
// run-dependent metrics appended as they are.
func TestMetricsOf(t *testing.T) {
	got := MetricsOf(&testMetrics{Completed: 3, testLatency: testLatency{P99: 2e6}, Heap: 4096, DB: math.NaN(), Backend: 0.5,
		PerP: []Metric{{Name: "p0_util", Value: 0.5, Unit: "1"}}})
	want := []Metric{{"completed", 3, "{req}"}, {"latency_p99_ns", 2e6, "ns"}, {"heap_peak_bytes", 4096, "B"}, {"backend_utilization", 0.5, "1"}, {"p0_util", 0.5, "1"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	s := Summarize([]*Rep{{Metrics: got}, {Metrics: got}})
	if s[1].Unit != "ns" || s[2].Unit != "B" || s[0].Unit != "{req}" || s[3].Unit != "1" {
		t.Errorf("summaries keep the units: %+v", s)
	}
}

func TestMetricsOfRejectsNonFloat(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("an int metric field must panic")
		}
	}()
	MetricsOf(struct {
		N int `metric:"n" unit:"{req}"`
	}{})
}

// A metric without a unit is a programming error caught at the first call,
// whichever values the run produced.
func TestMetricsOfRejectsMissingUnit(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a metric field without a unit tag must panic")
		}
	}()
	MetricsOf(struct {
		N float64 `metric:"n"`
	}{})
}
