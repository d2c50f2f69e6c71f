package tcp

import "github.com/gohttpsim/gohttpsim/sim"

// Segments: a narrow read-only view of the segments of a few watched
// connections, for drawing (viz/scene's section 2).
//
// The model sends a direction's bytes in rounds (startRound) and never
// materialises a segment, so a watched connection keeps, per direction, a
// fixed ring of its last WatchRounds rounds: where each began in the byte
// stream, when it left, its serialisation time, which segment was lost and
// when the repair left and arrived. [Net.AppendSegments] expands them into
// [Segment] values. Only [Net.Watch] allocates (one ring, once); recording
// costs a length check per round on an unwatched Net, draws no random
// number and schedules nothing, so watching changes no result.

// WatchRounds is the number of rounds remembered per direction of a watched
// connection. A round's bytes are all delivered before the round after the
// next one starts (each starts when the previous one's ACKs are back), so a
// few rounds cover everything in flight.
const WatchRounds = 8

// MaxWatched bounds the connections one Net watches at once.
const MaxWatched = 4

// Segment is one TCP segment of a watched connection, as the model sent it.
type Segment struct {
	Seq, Len   int64    // its bytes [Seq, Seq+Len) of the direction's stream
	Sent       sim.Time // when it left the sender
	Arrive     sim.Time // when it reaches the receiver (Lost: when it would have)
	Delivered  sim.Time // when its bytes reach the reader: after Arrive when it waits behind a lost segment (in-order delivery); 0 if Lost
	Lost       bool     // dropped on the path
	Retransmit bool     // the retransmission of the round's lost segment
}

// round is one recorded round of a watched direction.
type round struct {
	seq, bytes int64    // first byte, bytes sent
	start, ser sim.Time // left at start, serialised over ser
	lost       int64    // index of the lost segment, -1: none
	before     sim.Time // delivery of the bytes before the lost segment
	repair     sim.Time // the retransmission leaves (lost >= 0)
	done       sim.Time // every byte of the round delivered
}

type watch struct {
	c    ConnID
	head [2]uint8 // next slot, by direction
	n    [2]uint8 // rounds recorded, ≤ WatchRounds
	r    [2][WatchRounds]round
}

// Watch starts recording c's rounds for AppendSegments (rounds sent before
// the call are not seen). It reports false when MaxWatched connections are
// already watched. Watching c twice is a no-op.
func (n *Net) Watch(c ConnID) bool {
	if n.watched(c) != nil {
		return true
	}
	if len(n.watch) >= MaxWatched {
		return false
	}
	n.watch = append(n.watch, watch{c: c})
	return true
}

func (n *Net) watched(c ConnID) *watch {
	for i := range n.watch {
		if n.watch[i].c == c {
			return &n.watch[i]
		}
	}
	return nil
}

// unwatch forgets c (it is freed; its ID may be reused).
func (n *Net) unwatch(c ConnID) {
	for i := range n.watch {
		if n.watch[i].c == c {
			n.watch[i] = n.watch[len(n.watch)-1]
			n.watch = n.watch[:len(n.watch)-1]
			return
		}
	}
}

// record stores one round of direction d of c if c is watched.
func (n *Net) record(c ConnID, d Side, r round) {
	w := n.watched(c)
	if w == nil {
		return
	}
	w.r[d][w.head[d]] = r
	w.head[d] = (w.head[d] + 1) % WatchRounds
	w.n[d] = min(w.n[d]+1, WatchRounds)
}

// AppendSegments appends to dst the recorded segments of direction d of the
// watched connection c (d is the sender: Server for the responses) that
// have left by now and are not yet delivered to the reader, lost ones until
// their retransmission is delivered, oldest round first, and returns it.
// An unwatched c yields none. It only reads.
func (n *Net) AppendSegments(dst []Segment, c ConnID, d Side) []Segment {
	w := n.watched(c)
	if w == nil {
		return dst
	}
	now := n.e.Now()
	mss := int64(n.cfg.MSS)
	for k := range int(w.n[d]) {
		r := &w.r[d][(int(w.head[d])-int(w.n[d])+k+WatchRounds)%WatchRounds]
		if r.start > now || r.done <= now {
			continue
		}
		segs := max((r.bytes+mss-1)/mss, 1)
		at := func(b int64) sim.Time { // when byte offset b has been serialised
			if r.bytes == 0 {
				return r.start
			}
			return r.start + sim.Time(float64(r.ser)*float64(b)/float64(r.bytes))
		}
		for i := range segs {
			lo, hi := i*mss, min((i+1)*mss, r.bytes)
			s := Segment{Seq: r.seq + lo, Len: hi - lo, Sent: at(lo), Arrive: at(hi) + n.half, Delivered: r.done}
			switch {
			case r.lost < 0:
			case i < r.lost:
				s.Delivered = r.before
			case i == r.lost:
				s.Lost, s.Delivered = true, 0
			}
			if s.Sent > now || (!s.Lost && s.Delivered <= now) {
				continue
			}
			dst = append(dst, s)
			if s.Lost && r.repair <= now {
				dst = append(dst, Segment{Seq: s.Seq, Len: s.Len, Sent: r.repair, Arrive: r.done, Delivered: r.done, Retransmit: true})
			}
		}
	}
	return dst
}
