package stats

import (
	"math"
	"testing"
)

// TOST against a hand computation: a = 10, 12, 11 (mean 11, SE 1/√3, df 2,
// t(0.95, 2) = 2.920), b = 11.5 exactly: CI 0.5 ± 1.686.
func TestTOST(t *testing.T) {
	for _, c := range []struct {
		delta                float64
		equiv, beyond, concl bool
	}{{3, true, false, true}, {2, false, false, true}, {1.5, false, false, false}} {
		e := TOST([]float64{10, 12, 11}, []float64{11.5}, c.delta, 0.05)
		if math.Abs(e.Lo-(0.5-1.6865)) > 1e-3 || math.Abs(e.Hi-(0.5+1.6865)) > 1e-3 || e.DF != 2 {
			t.Errorf("δ=%v: CI [%v, %v] df %v", c.delta, e.Lo, e.Hi, e.DF)
		}
		if e.Equivalent != c.equiv || e.Beyond != c.beyond || e.Conclusive() != c.concl {
			t.Errorf("δ=%v: %+v", c.delta, e)
		}
		if e.PassIfOff > 0.05+1e-9 {
			t.Errorf("δ=%v: P(pass | off by δ) = %v > α", c.delta, e.PassIfOff)
		}
	}
	// No spread on either side: a plain comparison with the margin.
	if e := TOST([]float64{301, 301}, []float64{300}, 0.5, 0.05); e.Equivalent || !e.Beyond {
		t.Errorf("steady 1.0 offset, margin 0.5: %+v", e)
	}
	if e := TOST([]float64{301, 301}, []float64{300.6}, 0.5, 0.05); !e.Equivalent {
		t.Errorf("steady 0.4 offset, margin 0.5: %+v", e)
	}
	// Wholly beyond the margin.
	if e := TOST([]float64{1, 1.1, 0.9}, []float64{2}, 0.2, 0.05); !e.Beyond || e.Equivalent {
		t.Errorf("off by 1 ± 0.1, margin 0.2: %+v", e)
	}
}
