package tcp

import "github.com/gohttpsim/gohttpsim/sim"

// CCState is the congestion-control state of one direction of a connection,
// in segments. Policies read and write it; the flow owns it.
type CCState struct {
	Cwnd     float32 // congestion window (segments)
	Ssthresh float32 // slow-start threshold (segments); Linux starts it at infinity
	WMax     float32 // CUBIC: window before the last reduction
	K        float32 // CUBIC: seconds from the epoch to regain WMax
	Epoch    sim.Time
}

// Congestion is a congestion-avoidance policy, after Linux's
// tcp_congestion_ops (include/net/tcp.h) and ns-3's TcpCongestionOps: the
// flow calls OnRound once per round trip whose segments were all ACKed and
// OnLoss on a loss detected by duplicate ACKs. A retransmission timeout
// calls OnLoss and then sets Cwnd to 1 (RFC 5681 §3.1, loss window).
type Congestion interface {
	Name() string
	// OnRound grows s after acked segments were acknowledged in one round
	// trip ending at now; rtt is the path's round-trip time.
	OnRound(s *CCState, acked float32, now sim.Time, rttSec float64)
	// OnLoss applies the multiplicative decrease at now.
	OnLoss(s *CCState, now sim.Time)
}

// slowStart grows s by acked segments up to Ssthresh (RFC 5681 §3.1: +1 MSS
// per ACKed segment) and returns the segments left over for congestion
// avoidance.
func slowStart(s *CCState, acked float32) float32 {
	if s.Cwnd >= s.Ssthresh {
		return acked
	}
	room := s.Ssthresh - s.Cwnd
	if acked <= room {
		s.Cwnd += acked
		return 0
	}
	s.Cwnd = s.Ssthresh
	return acked - room
}

// CongestionByName returns "reno" or "cubic", or nil.
func CongestionByName(name string) Congestion {
	switch name {
	case "reno":
		return Reno{}
	case "cubic", "":
		return Cubic{}
	}
	return nil
}
