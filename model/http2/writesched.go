package http2

// WriteScheduler chooses which stream's DATA frame the server writes next.
// It plays the role of http2WriteScheduler (h2_bundle.go, go1.26) for
// stream frames; control frames (SETTINGS, WINDOW_UPDATE, PING, RST_STREAM,
// GOAWAY) bypass it and go first, as the scheduler's control queue does.
// Streams are dense indices. Implementations are not safe for concurrent
// use; the Conn calls them from the event loop.
type WriteScheduler interface {
	// Open makes stream schedulable; opening twice is a no-op.
	Open(stream int32)
	// Close removes stream.
	Close(stream int32)
	// Next returns the next stream for which r.CanWrite is true, or -1.
	Next(r Writable) int32
}

// Writable reports whether a stream can send a DATA frame now (it has data
// and flow-control window, or an END_STREAM to send).
type Writable interface {
	CanWrite(stream int32) bool
}

// roundRobin mirrors http2roundRobinWriteScheduler: streams take turns, one
// frame each, in the order they became ready.
type roundRobin struct {
	ring []int32
	cur  int
}

// NewRoundRobinScheduler returns the go1.26 bundled server's scheduler.
func NewRoundRobinScheduler() WriteScheduler { return &roundRobin{} }

func (q *roundRobin) Open(s int32) {
	for _, x := range q.ring {
		if x == s {
			return
		}
	}
	q.ring = append(q.ring, s)
}

func (q *roundRobin) Close(s int32) {
	for i, x := range q.ring {
		if x == s {
			q.ring = append(q.ring[:i], q.ring[i+1:]...)
			if i < q.cur {
				q.cur--
			}
			if q.cur >= len(q.ring) {
				q.cur = 0
			}
			return
		}
	}
}

func (q *roundRobin) Next(r Writable) int32 {
	n := len(q.ring)
	for i := range n {
		j := (q.cur + i) % n
		if s := q.ring[j]; r.CanWrite(s) {
			q.cur = (j + 1) % n
			return s
		}
	}
	return -1
}

// sequential serves the oldest ready stream first: the RFC 9218 scheduler
// of golang.org/x/net/http2 (http2's default there) for streams of equal
// urgency sent non-incrementally, which is what Go's client requests get.
type sequential struct{ roundRobin }

// NewSequentialScheduler returns the RFC 9218 non-incremental order.
func NewSequentialScheduler() WriteScheduler { return &sequential{} }

func (q *sequential) Next(r Writable) int32 {
	for _, s := range q.ring {
		if r.CanWrite(s) {
			return s
		}
	}
	return -1
}
