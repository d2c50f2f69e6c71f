// This file holds the frame trace: one JSON line per frame written, for
// tests and for comparing with a real connection's frames.
//
// Each line has the simulated time in ns, the connection, stream, frame
// type, flags, length and the sending side. The line is built in a buffer
// reused across frames, so tracing allocates nothing per frame.
//
// The format follows what GODEBUG=http2debug=2 logs per frame
// (http2Framer.logWrite in src/net/http/h2_bundle.go, go1.26), as JSON.

package http2

import (
	"strconv"

	"github.com/gohttpsim/gohttpsim/model/tcp"
)

func (s *Set) writeTrace(c *Conn, side tcp.Side, f *Frame) {
	b := s.line[:0]
	b = append(b, `{"time":`...)
	b = strconv.AppendInt(b, int64(s.e.Now()), 10)
	b = append(b, `,"conn":`...)
	b = strconv.AppendInt(b, int64(c.ID), 10)
	b = append(b, `,"stream":`...)
	b = strconv.AppendUint(b, uint64(f.Stream), 10)
	b = append(b, `,"type":"`...)
	b = append(b, f.Type.String()...)
	b = append(b, `","flags":`...)
	b = strconv.AppendUint(b, uint64(f.Flags), 10)
	b = append(b, `,"length":`...)
	b = strconv.AppendUint(b, uint64(f.Length), 10)
	b = append(b, `,"from":"`...)
	b = append(b, side.String()...)
	b = append(b, "\"}\n"...)
	s.line = b
	s.trace.Write(b)
}
