package tcp

import "github.com/gohttpsim/gohttpsim/sim"

// Reno is NewReno congestion avoidance (RFC 5681 §3.1, RFC 6582): +1 MSS per
// round trip after slow start, halve on loss. Mirrors tcp_reno_cong_avoid
// and tcp_reno_ssthresh (linux net/ipv4/tcp_cong.c).
type Reno struct{}

func (Reno) Name() string { return "reno" }

func (Reno) OnRound(s *CCState, acked float32, _ sim.Time, _ float64) {
	if rest := slowStart(s, acked); rest > 0 && s.Cwnd > 0 {
		s.Cwnd += rest / s.Cwnd
	}
}

func (Reno) OnLoss(s *CCState, _ sim.Time) {
	s.Ssthresh = max(s.Cwnd/2, 2)
	s.Cwnd = s.Ssthresh
}
