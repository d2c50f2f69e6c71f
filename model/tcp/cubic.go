package tcp

import (
	"math"

	"github.com/gohttpsim/gohttpsim/sim"
)

// CUBIC constants from RFC 9438 §4.1 (C = 0.4, β = 0.7), as in Linux
// net/ipv4/tcp_cubic.c (beta = 717/1024, bic_scale = 41 → C ≈ 0.4).
const (
	cubicC    = 0.4
	cubicBeta = 0.7
	// cubicAlpha is α_cubic = 3(1−β)/(1+β) (§4.3 eq. 4): the Reno-friendly
	// window's growth per RTT.
	cubicAlpha = 3 * (1 - cubicBeta) / (1 + cubicBeta)
)

// Cubic is CUBIC congestion control (RFC 9438), Linux's default. After a
// loss the window follows W(t) = C·(t−K)³ + WMax (§4.2) with
// K = ∛(WMax·(1−β)/C) (§4.2 eq. 2), never growing slower than Reno would
// (the Reno-friendly region, §4.3: +α_cubic segments per RTT), and by
// at most 1.5× per round trip (§4.4's target cap). Slow start is standard.
type Cubic struct{}

func (Cubic) Name() string { return "cubic" }

func (Cubic) OnRound(s *CCState, acked float32, now sim.Time, rttSec float64) {
	rest := slowStart(s, acked)
	if rest <= 0 || s.Cwnd <= 0 {
		return
	}
	reno := s.Cwnd + cubicAlpha*rest/s.Cwnd
	if s.WMax == 0 { // no loss yet: no cubic epoch; behave like Reno
		s.Cwnd = reno
		return
	}
	t := (now - s.Epoch).Seconds() + rttSec
	d := t - float64(s.K)
	target := float32(cubicC*d*d*d) + s.WMax
	target = min(target, 1.5*s.Cwnd)
	s.Cwnd = max(reno, target)
}

func (Cubic) OnLoss(s *CCState, now sim.Time) {
	s.WMax = s.Cwnd
	s.Cwnd = max(s.Cwnd*cubicBeta, 2)
	s.Ssthresh = s.Cwnd
	s.Epoch = now
	s.K = float32(math.Cbrt(float64(s.WMax) * (1 - cubicBeta) / cubicC))
}
