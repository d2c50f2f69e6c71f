package http2

import "github.com/gohttpsim/gohttpsim/model/tcp"

// ConnView is a snapshot of one connection for drawing.
type ConnView struct {
	ID             int32
	Streams        int      // opened so far
	Active         int      // open on the client (HEADERS sent, END_STREAM not yet read)
	Waiting        int      // queued for a concurrency slot
	MaxStreams     uint32   // the client's current limit (100 until SETTINGS)
	FramesInFlight [2]int   // frames written and not yet wholly arrived, by sender (tcp.Client, tcp.Server)
	BytesInFlight  [2]int64 // their octets, by sender
	SendWindow     int32    // the server's connection send window
	GoAway         bool
}

// TCP returns the TCP connection c runs on.
func (c *Conn) TCP() tcp.ConnID { return c.tc }

// View returns c's snapshot. It only reads.
func (c *Conn) View() ConnView {
	v := ConnView{ID: c.ID, Streams: len(c.streams), Active: c.active, Waiting: c.waiting.Len(),
		MaxStreams: c.cMaxStreams, SendWindow: c.sConnOut.n, GoAway: c.goaway}
	for side := range c.wire {
		w := &c.wire[side]
		v.FramesInFlight[side] = w.q.Len()
		for i := range w.q.Len() {
			v.BytesInFlight[side] += w.q.At(i).WireLen()
		}
		v.BytesInFlight[side] -= w.arrived
	}
	return v
}

// StreamState is a stream's state as drawn.
type StreamState uint8

const (
	StreamWaiting   StreamState = iota // queued for a concurrency slot
	StreamOpen                         // request sent, no response yet
	StreamReceiving                    // response HEADERS arrived, body flowing
	StreamClosed                       // END_STREAM read (or reset)
)

var streamStateNames = [...]string{"waiting", "open", "receiving", "closed"}

func (s StreamState) String() string { return streamStateNames[s] }

// StreamView is one stream as a value.
type StreamView struct {
	ID        uint32
	State     StreamState
	Received  int64 // body octets arrived
	Remaining int64 // body octets the server has not framed yet
	Window    int32 // the server's send window for it
}

// AppendStreams appends every stream of c in ID order to dst; pass a reused
// slice to draw without allocating.
func (c *Conn) AppendStreams(dst []StreamView) []StreamView {
	for i := range c.streams {
		st := &c.streams[i]
		v := StreamView{ID: st.ID, Received: st.Received, Remaining: st.body, Window: st.out.n}
		switch {
		case st.pending:
			v.State = StreamWaiting
		case st.Done != 0:
			v.State = StreamClosed
		case st.Response != 0:
			v.State = StreamReceiving
		default:
			v.State = StreamOpen
		}
		dst = append(dst, v)
	}
	return dst
}

// AppendFrames appends the frames side has written that have not wholly
// arrived, oldest first.
func (c *Conn) AppendFrames(side tcp.Side, dst []Frame) []Frame {
	w := &c.wire[side]
	for i := range w.q.Len() {
		if f := w.q.At(i); f.Type != framePreface {
			dst = append(dst, *f)
		}
	}
	return dst
}
