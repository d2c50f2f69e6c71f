package tcp

import (
	"math"
	"testing"
)

func TestRenoHalves(t *testing.T) {
	s := CCState{Cwnd: 40, Ssthresh: math.MaxFloat32}
	Reno{}.OnLoss(&s, 0)
	if s.Cwnd != 20 || s.Ssthresh != 20 {
		t.Fatalf("%+v", s)
	}
	Reno{}.OnRound(&s, 20, 0, 0.01) // congestion avoidance: +1 per RTT
	if s.Cwnd != 21 {
		t.Fatalf("cwnd %v, want 21", s.Cwnd)
	}
}

// RFC 9438 §4.2: after a loss at WMax the window is β·WMax and reaches WMax
// again K (for a window large enough that the Reno-friendly region does
// not dominate) = ∛(WMax(1−β)/C) seconds later.
func TestCubicRegainsWMaxAtK(t *testing.T) {
	s := CCState{Cwnd: 10000, Ssthresh: math.MaxFloat32}
	Cubic{}.OnLoss(&s, 0)
	if s.Cwnd != 7000 {
		t.Fatalf("cwnd after loss %v", s.Cwnd)
	}
	k := math.Cbrt(10000 * 0.3 / 0.4)
	if math.Abs(float64(s.K)-k) > 1e-4 {
		t.Fatalf("K %v, want %v", s.K, k)
	}
	const rtt = 0.05
	now := 0.0
	for now+rtt < k-rtt {
		now += rtt
		Cubic{}.OnRound(&s, s.Cwnd, secs(now), rtt)
	}
	if s.Cwnd < 9900 || s.Cwnd > 10100 {
		t.Fatalf("cwnd near K: %v, want ≈ 10000", s.Cwnd)
	}
}

func secs(x float64) (t simTime) { return simTime(x * 1e9) }
