// This file holds the server peer: net/http's HTTP/2 server on one
// connection.
//
// serverStart writes SETTINGS and the connection WINDOW_UPDATE when the
// client's preface arrives. serverFrame processes the client's frames
// (SETTINGS, WINDOW_UPDATE, HEADERS, PING, RST_STREAM) and hands each new
// request to the Owner. Respond writes the response HEADERS and queues the
// body; pump then writes DATA one frame per turn, taking the stream the
// write scheduler picks among those with body left and window open, each
// frame at most min(peer MAX_FRAME_SIZE, stream window, connection window)
// octets (RFC 9113 §6.9.1). Frames that arrive at one instant are
// processed before the next pump (kPump), so WINDOW_UPDATEs that arrive
// together open the window together.
//
// Mirrors http2serverConn.serve, processFrame, scheduleFrameWrite,
// http2writeQueue.consume and http2responseWriter's writeChunk
// (src/net/http/h2_bundle.go, go1.26).

package http2

import (
	"github.com/gohttpsim/gohttpsim/model/tcp"
)

// serverStart mirrors the start of http2serverConn.serve: SETTINGS, then
// the connection WINDOW_UPDATE up to MaxUploadBufferPerConnection.
// With TLS it starts at the first bytes from the client: the server's
// handshake ends when the client's Finished arrives, just before them.
func (c *Conn) serverStart() {
	if c.started {
		return
	}
	c.started = true
	cfg := &c.set.cfg
	c.send(tcp.Server, Frame{Type: FrameSettings, Length: uint32(6 * len(cfg.ServerSettings))})
	c.sUnacked++
	if d := cfg.ServerConnWindow - InitialWindowSize; d > 0 {
		c.send(tcp.Server, Frame{Type: FrameWindowUpdate, Length: 4, Incr: uint32(d)})
	}
}

// Respond starts stream s's response with a body of n octets written in
// one Write call, the handler returning right after. Mirrors
// http2responseWriter + writeChunk: a body that fits HandlerChunk is
// flushed at handler return with content-length and END_STREAM on its
// DATA frame; a larger one sends HEADERS without content-length, the
// body, then an empty DATA frame with END_STREAM.
func (c *Conn) Respond(s int32, n int64) {
	st := &c.streams[s]
	cfg := &c.set.cfg
	small := n <= cfg.HandlerChunk
	cl := int64(-1)
	if small {
		cl = n
	}
	hb := c.enc[tcp.Server].size(GoResponseHeaders(cl, cfg.Date))
	c.writeHeaders(tcp.Server, st.ID, hb, n == 0, c.sPeerMaxFrm)
	if n == 0 {
		c.serverStreamEnd(s)
		return
	}
	st.body = n
	st.endQueued = true
	st.endOnLast = small
	c.sched.Open(s)
	c.schedulePump()
}

// CanWrite implements Writable for the server's scheduler.
func (c *Conn) CanWrite(s int32) bool {
	st := &c.streams[s]
	if st.body > 0 {
		return st.out.n > 0 && c.sConnOut.n > 0
	}
	return st.endQueued
}

// schedulePump runs pump after every frame that arrived at this instant
// was processed, as http2serverConn.serve handles the frames read so far
// before its next scheduleFrameWrite: WINDOW_UPDATEs that arrive together
// open the window together.
func (c *Conn) schedulePump() {
	if !c.pumpAt {
		c.pumpAt = true
		c.set.e.Schedule(c.set.e.Now(), c.set.h, kPump, c.ID, 0)
	}
}

// pump writes DATA frames while the scheduler finds a writable stream.
// Mirrors http2serverConn.scheduleFrameWrite + http2writeQueue.consume: one
// frame per turn, at most min(peer MAX_FRAME_SIZE, stream window,
// connection window) octets (RFC 9113 §6.9.1).
func (c *Conn) pump() {
	for {
		s := c.sched.Next(c)
		if s < 0 {
			for i := range c.streams {
				if st := &c.streams[i]; st.body > 0 && st.scheduledFlowBlocked(c) {
					c.Stats.FlowBlocked++
					break
				}
			}
			return
		}
		st := &c.streams[s]
		if st.body == 0 {
			st.endQueued = false
			c.send(tcp.Server, Frame{Type: FrameData, Flags: FlagEndStream, Stream: st.ID})
			c.serverStreamEnd(s)
			continue
		}
		k := min(st.body, int64(c.sPeerMaxFrm), int64(st.out.n), int64(c.sConnOut.n))
		st.body -= k
		st.out.n -= int32(k)
		c.sConnOut.n -= int32(k)
		f := Frame{Type: FrameData, Stream: st.ID, Length: uint32(k)}
		if st.body == 0 && st.endOnLast {
			f.Flags = FlagEndStream
			st.endQueued = false
			c.send(tcp.Server, f)
			c.serverStreamEnd(s)
			continue
		}
		c.send(tcp.Server, f)
	}
}

func (st *Stream) scheduledFlowBlocked(c *Conn) bool { return st.out.n <= 0 || c.sConnOut.n <= 0 }

func (c *Conn) serverStreamEnd(s int32) {
	c.sched.Close(s)
	c.sActive--
}

// serverFrame handles a frame from the client (http2serverConn.processFrame).
func (c *Conn) serverFrame(f *Frame) {
	switch f.Type {
	case FrameSettings:
		if f.Flags&FlagAck != 0 {
			c.sUnacked--
			return
		}
		for _, st := range c.set.cfg.ClientSettings {
			switch st.ID {
			case SettingMaxFrameSize:
				c.sPeerMaxFrm = st.Val
			case SettingInitialWindowSize:
				// §6.9.2: shift every stream window by the delta.
				d := int32(st.Val) - c.sPeerInitWin
				c.sPeerInitWin = int32(st.Val)
				for i := range c.streams {
					if err := c.streams[i].out.add(d); err != nil {
						c.set.fail(err)
					}
				}
			}
		}
		c.send(tcp.Server, Frame{Type: FrameSettings, Flags: FlagAck})
		c.schedulePump()
	case FrameWindowUpdate:
		if f.Incr == 0 {
			c.set.fail(ErrZeroIncrement)
			return
		}
		var err error
		if f.Stream == 0 {
			err = c.sConnOut.add(int32(f.Incr))
		} else if s := int32(f.Stream-1) / 2; int(s) < len(c.streams) {
			err = c.streams[s].out.add(int32(f.Incr))
		}
		if err != nil {
			c.set.fail(err)
		}
		c.schedulePump()
	case FrameHeaders, FrameContinuation:
		if f.Flags&FlagEndHeaders == 0 {
			return
		}
		s := int32(f.Stream-1) / 2
		st := &c.streams[s]
		st.out.n = c.sPeerInitWin
		if uint32(c.sActive) >= c.sMaxStreams {
			// http2serverConn.processHeaders: over the limit.
			code := uint32(ErrCodeProtocol)
			if c.sUnacked > 0 {
				code = ErrCodeRefusedStream
			}
			c.send(tcp.Server, Frame{Type: FrameRSTStream, Stream: f.Stream, Length: 4, Incr: code})
			return
		}
		c.sActive++
		c.sLastStream = f.Stream
		c.set.owner.ServerRequest(c, s)
	case FramePing:
		if f.Flags&FlagAck == 0 {
			c.send(tcp.Server, Frame{Type: FramePing, Flags: FlagAck, Length: 8})
		}
	case FrameRSTStream:
		s := int32(f.Stream-1) / 2
		st := &c.streams[s]
		if st.body > 0 || st.endQueued {
			st.body, st.endQueued = 0, false
			c.serverStreamEnd(s)
		}
	}
}

// Shutdown sends a graceful GOAWAY(NO_ERROR) from the server carrying the
// last stream it processed (http2serverConn.startGracefulShutdown); the
// client opens no new streams on c.
func (c *Conn) Shutdown() {
	c.send(tcp.Server, Frame{Type: FrameGoAway, Length: 8, Last: c.sLastStream})
}
