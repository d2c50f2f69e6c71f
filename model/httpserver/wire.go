package httpserver

import (
	"unsafe"

	"github.com/gohttpsim/gohttpsim/model/tcp"
)

// Wire holds, per connection, the framing of the request the client is
// writing and of the response the server wrote. One Wire serves every
// server sharing a tcp.Net. Indexed by tcp.ConnID; nothing per request is
// allocated once the table has grown.
type Wire struct {
	m []msg
}

type msg struct {
	reqHdr, reqBody int64 // of the request being written (reqHdr 0: none)
	respBytes       int64 // of the last response written
	status          int16
}

// Reserve makes room for n connections.
func (w *Wire) Reserve(n int) {
	if cap(w.m) < n {
		w.m = append(make([]msg, 0, n), w.m...)
	}
}

func (w *Wire) at(c tcp.ConnID) *msg {
	for int(c) >= len(w.m) {
		w.m = append(w.m, msg{})
	}
	return &w.m[c]
}

// SetRequest records that the client of c is writing a request of hdr
// header bytes (request line and headers, CRLFs included) and body bytes.
// A slowloris client gives a header it never finishes sending.
func (w *Wire) SetRequest(c tcp.ConnID, hdr, body int64) {
	m := w.at(c)
	m.reqHdr, m.reqBody = hdr, body
}

// Request returns the request being written on c (hdr 0: none yet).
func (w *Wire) Request(c tcp.ConnID) (hdr, body int64) {
	m := w.at(c)
	return m.reqHdr, m.reqBody
}

// SetResponse records the response the server wrote on c.
func (w *Wire) SetResponse(c tcp.ConnID, status int, bytes int64) {
	m := w.at(c)
	m.status, m.respBytes = int16(status), bytes
	m.reqHdr, m.reqBody = 0, 0
}

// Response returns the last response written on c.
func (w *Wire) Response(c tcp.ConnID) (status int, bytes int64) {
	m := w.at(c)
	return int(m.status), m.respBytes
}

// MemBytes reports the memory of the per-connection message table.
func (w *Wire) MemBytes() int64 { return int64(cap(w.m)) * int64(unsafe.Sizeof(msg{})) }
