package tcp

import (
	"slices"
	"testing"
	"time"
)

// lossyTransfer sends 300 KiB client→server over a lossy path, watching the
// connection when watch is set, and samples the segments every 1 ms.
func lossyTransfer(t *testing.T, watch bool) (events []recEv, digest uint64, samples [][]Segment) {
	t.Helper()
	e, n, r := setup(t, Config{RTT: 20 * time.Millisecond, Bandwidth: 2.5e6, LossRate: 0.03})
	c := n.Dial(r, 0, 0)
	if watch && !n.Watch(c) {
		t.Fatal("Watch refused")
	}
	if err := n.Send(c, Client, 300<<10); err != nil {
		t.Fatal(err)
	}
	var buf []Segment
	for at := ms; e.Pending() > 0; at += ms {
		e.RunUntil(at)
		if watch {
			buf = n.AppendSegments(buf[:0], c, Client)
			samples = append(samples, slices.Clone(buf))
		}
	}
	return r.events, e.Digest(), samples
}

// A lost segment is seen in flight, then its retransmission covering the
// same bytes; the segments behind it in its round wait at the receiver
// until the retransmission arrives (TCP's head-of-line blocking). The
// Segment fields agree with what the model delivered.
func TestSegmentsLossAndRetransmit(t *testing.T) {
	events, _, samples := lossyTransfer(t, true)
	var lost, resent *Segment
	held := 0
	sawSegment := false
	for i, ss := range samples {
		now := simTime(i+1) * ms
		for j := range ss {
			s := &ss[j]
			sawSegment = true
			if s.Sent > now || (!s.Lost && s.Delivered <= now) || s.Arrive < s.Sent {
				t.Fatalf("t=%v: segment %+v is not in flight", now, *s)
			}
			if s.Lost && lost == nil {
				lost = s
			}
			if s.Retransmit && lost != nil && s.Seq == lost.Seq && resent == nil {
				resent = s
			}
			if lost != nil && resent != nil && !s.Lost && !s.Retransmit && s.Seq > lost.Seq && s.Delivered == resent.Delivered && s.Arrive <= now {
				held++ // arrived, waiting for the retransmission
			}
		}
	}
	if !sawSegment || lost == nil || resent == nil {
		t.Fatalf("segments seen %v, lost %+v, retransmission %+v", sawSegment, lost, resent)
	}
	if resent.Sent <= lost.Arrive || resent.Len != lost.Len || resent.Arrive != resent.Delivered {
		t.Errorf("lost %+v, retransmission %+v", *lost, *resent)
	}
	if held == 0 {
		t.Error("no segment was seen waiting behind the lost one")
	}
	// The reader gets the bytes from the lost one onwards at the
	// retransmission's arrival.
	got := false
	for _, ev := range events {
		if ev.kind == Data && ev.side == Server && ev.t == resent.Delivered {
			got = true
		}
	}
	if !got {
		t.Errorf("no Data event at the retransmission's delivery %v", resent.Delivered)
	}
}

// Watching changes nothing: the same events at the same times, the same
// digest.
func TestWatchChangesNothing(t *testing.T) {
	ev0, d0, _ := lossyTransfer(t, false)
	ev1, d1, _ := lossyTransfer(t, true)
	if d0 != d1 || !slices.Equal(ev0, ev1) {
		t.Fatalf("digest %x vs %x; %d vs %d events", d0, d1, len(ev0), len(ev1))
	}
}

// Expanding the segments into a buffer with room allocates nothing, and at
// most MaxWatched connections are watched.
func TestSegmentsNoAlloc(t *testing.T) {
	e, n, r := setup(t, Config{RTT: 20 * time.Millisecond, Bandwidth: 2.5e6})
	c := n.Dial(r, 0, 0)
	n.Watch(c)
	n.Send(c, Client, 1<<20)
	e.RunUntil(60 * ms)
	buf := make([]Segment, 0, 1024)
	if len(n.AppendSegments(buf, c, Client)) == 0 {
		t.Fatal("no segment in flight at 60 ms")
	}
	if a := testing.AllocsPerRun(100, func() { buf = n.AppendSegments(buf[:0], c, Client) }); a != 0 {
		t.Errorf("%v allocations per AppendSegments", a)
	}
	for i := range MaxWatched {
		n.Watch(ConnID(100 + i))
	}
	if n.Watch(ConnID(200)) || len(n.AppendSegments(nil, ConnID(200), Client)) != 0 {
		t.Error("watched more than MaxWatched")
	}
}
