// This file holds the client peer: net/http's HTTP/2 Transport on one
// connection.
//
// clientStart writes the preface, SETTINGS and a connection WINDOW_UPDATE
// without waiting for the server's SETTINGS. OpenStream writes a request's
// HEADERS at once if fewer than MAX_CONCURRENT_STREAMS streams are active,
// else queues it until one ends (startWaiting); until the server's SETTINGS
// arrive the limit is 100. clientFrame reads the server's frames: it applies
// SETTINGS and acknowledges them, returns flow-control credit for DATA in
// ReadSize reads, ends streams on END_STREAM or RST_STREAM, and stops new
// streams after GOAWAY.
//
// Mirrors http2Transport.newClientConn, http2ClientConn.RoundTrip's wait for
// a stream slot (awaitOpenSlotForStreamLocked), http2clientConnReadLoop and
// http2clientStream.abortStream (src/net/http/h2_bundle.go, go1.26).

package http2

import (
	"fmt"

	"github.com/gohttpsim/gohttpsim/model/tcp"
)

// clientStart mirrors http2Transport.newClientConn: preface, SETTINGS,
// connection WINDOW_UPDATE.
func (c *Conn) clientStart() {
	cfg := &c.set.cfg
	c.up = true
	c.send(tcp.Client, Frame{Type: framePreface})
	c.send(tcp.Client, Frame{Type: FrameSettings, Length: uint32(6 * len(cfg.ClientSettings))})
	if cfg.ClientConnWindowIncr > 0 {
		c.send(tcp.Client, Frame{Type: FrameWindowUpdate, Length: 4, Incr: cfg.ClientConnWindowIncr})
		c.cConnIn.avail += int32(cfg.ClientConnWindowIncr)
	}
	for _, st := range cfg.ClientSettings {
		if st.ID == SettingInitialWindowSize {
			c.cInitWinPeer = int32(st.Val) // our receive window per stream
		}
	}
	c.set.owner.Connected(c)
}

// OpenStream starts a GET on c and returns its index. Beyond the server's
// concurrency limit the stream waits for a slot on this conn
// (StrictMaxConcurrentStreams behaviour; a pool would dial instead).
func (c *Conn) OpenStream(path string) int32 {
	s := int32(len(c.streams))
	c.streams = append(c.streams, Stream{ID: uint32(2*s + 1)})
	st := &c.streams[s]
	st.in.avail = c.cInitWinPeer
	if uint32(c.active) >= c.cMaxStreams || c.goaway {
		st.pending = true
		c.waiting.Push(s)
		return s
	}
	c.writeRequest(s)
	return s
}

// writeRequest writes stream s's HEADERS (+ CONTINUATION).
func (c *Conn) writeRequest(s int32) {
	st := &c.streams[s]
	st.pending = false
	st.Open = c.set.e.Now()
	c.active++
	n := c.enc[tcp.Client].size(GoRequestHeaders(c.set.cfg.Authority, "/"))
	c.writeHeaders(tcp.Client, st.ID, n, true, c.cPeerMaxFrm)
}

// clientFrame handles a frame from the server (http2clientConnReadLoop).
func (c *Conn) clientFrame(f *Frame) {
	switch f.Type {
	case FrameSettings:
		if f.Flags&FlagAck != 0 {
			return
		}
		for _, st := range c.set.cfg.ServerSettings {
			switch st.ID {
			case SettingMaxConcurrentStreams:
				c.cMaxStreams = st.Val
			case SettingMaxFrameSize:
				c.cPeerMaxFrm = st.Val
			}
		}
		c.send(tcp.Client, Frame{Type: FrameSettings, Flags: FlagAck})
		c.startWaiting()
	case FrameHeaders:
		st := c.stream(f.Stream)
		if st.Response == 0 {
			st.Response = c.set.e.Now()
		}
		if f.Flags&FlagEndStream != 0 {
			c.clientStreamEnd(int32(f.Stream-1) / 2)
		}
	case FrameData:
		s := int32(f.Stream-1) / 2
		st := &c.streams[s]
		if !c.cConnIn.take(f.Length) || !st.in.take(f.Length) {
			c.set.fail(fmt.Errorf("http2: conn %d stream %d: peer overran the flow-control window", c.ID, f.Stream))
		}
		st.Received += int64(f.Length)
		// The body is consumed in ReadSize reads; each returns window
		// to the connection, then to the stream
		// (http2transportResponseBody.Read).
		for left := int(f.Length); left > 0; {
			r := min(left, c.set.cfg.ReadSize)
			left -= r
			if k := c.cConnIn.add(r); k > 0 {
				c.send(tcp.Client, Frame{Type: FrameWindowUpdate, Length: 4, Incr: uint32(k)})
			}
			if k := st.in.add(r); k > 0 {
				c.send(tcp.Client, Frame{Type: FrameWindowUpdate, Stream: st.ID, Length: 4, Incr: uint32(k)})
			}
		}
		if f.Flags&FlagEndStream != 0 {
			c.clientStreamEnd(s)
		}
	case FrameRSTStream:
		s := int32(f.Stream-1) / 2
		c.streams[s].Reset = true
		c.clientStreamEnd(s)
	case FrameGoAway:
		c.goaway = true
	case FramePing:
		if f.Flags&FlagAck == 0 {
			c.send(tcp.Client, Frame{Type: FramePing, Flags: FlagAck, Length: 8})
		}
	}
}

func (c *Conn) clientStreamEnd(s int32) {
	st := &c.streams[s]
	if st.Done != 0 {
		return
	}
	st.Done = c.set.e.Now()
	c.active--
	c.set.owner.StreamDone(c, s)
	c.startWaiting()
}

func (c *Conn) startWaiting() {
	for c.waiting.Len() > 0 && uint32(c.active) < c.cMaxStreams && !c.goaway {
		c.writeRequest(c.waiting.Pop())
	}
}

// Ping sends a PING from the client; the server answers with PING ACK.
func (c *Conn) Ping() { c.send(tcp.Client, Frame{Type: FramePing, Length: 8}) }

// Cancel resets stream s from the client (RST_STREAM CANCEL).
func (c *Conn) Cancel(s int32) {
	st := &c.streams[s]
	if st.Done != 0 {
		return
	}
	c.send(tcp.Client, Frame{Type: FrameRSTStream, Stream: st.ID, Length: 4, Incr: 0x8})
	st.Reset = true
	c.clientStreamEnd(s)
}
