// Package tcp models TCP connections between simulated hosts at the level of
// round trips: the three-way handshake and TLS, the listen backlog and accept
// queue, in-order byte streams with a congestion window, loss recovery,
// FIN/TIME_WAIT and file-descriptor limits.
//
// # Model
//
// A [Net] owns every connection. A connection has two sides, [Client] (the
// dialer) and [Server] (the acceptor), and one [flow] per direction. Bytes
// written with [Net.Send] are sent in rounds: each round sends
// min(queued, cwnd·MSS) bytes, takes serialisation time bytes/Bandwidth, and
// is delivered in one event RTT/2 after its last byte left. The next round
// starts when the round's ACKs return (ACK clocking: max(RTT, serialisation)
// after it started). The congestion window grows per round through a
// [Congestion] policy ([Reno] or [Cubic], one file each), as Linux does per
// ACK; modelling it per round trip keeps events to one or two per round and
// gives the same window sequence for whole rounds (RFC 5681 §3.1 growth is
// +1 MSS per ACKed segment, i.e. ×2 per RTT in slow start).
//
// Loss is per segment with probability Config.LossRate. Delivery is in
// order: bytes behind a lost segment wait for its retransmission, which is
// TCP's head-of-line blocking. A loss with at least three segments after it
// in the round is repaired by fast retransmit (RFC 5681 §3.2; one extra RTT,
// multiplicative decrease); a tail loss waits for the retransmission timeout
// (RFC 6298: RTO = RTT + RTOMin as Linux computes it with its 200 ms rttvar
// floor, doubling on each consecutive timeout, cwnd back to 1). Tail loss
// probes (RFC 8985) and SACK are not modelled: with them Linux repairs a
// tail loss in about 2 RTT instead of an RTO, so the model is pessimistic
// for tail losses. At most one loss per round is modelled.
//
// # Callbacks without allocation
//
// Owners implement [Receiver] and are registered with the connection when it
// is dialled or accepted; events reach them as (conn, side, kind, n). Each
// side also carries one int32 user word ([Net.SetUser], [Net.User]) so an
// owner with a million connections needs no map.
//
// # Simplifications
//
// Each direction of each connection has the whole link bandwidth (there is
// no shared bottleneck queue); the receive window is never the limit beyond
// Config.MaxWindow (the receiver always reads what arrives into its socket
// buffer, which is what Go's netpoller-driven readers do); SYN cookies are
// off, and a full accept queue drops the SYN so the client retransmits it
// after 1 s, 2 s, 4 s, ... (tcp_syn_retries = 6) as Linux does with
// tcp_abort_on_overflow = 0.
package tcp
