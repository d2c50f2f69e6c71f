package http2

import (
	"bytes"

	"golang.org/x/net/http2/hpack"
)

// HeaderField is an HPACK header field (the real encoder's type).
type HeaderField = hpack.HeaderField

// DefaultHeaderTableSize is the HPACK dynamic table size both Go peers use
// (RFC 7541 §4.2; SETTINGS_HEADER_TABLE_SIZE default).
const DefaultHeaderTableSize = 4096

// headerEncoder sizes header blocks with the real HPACK encoder of
// golang.org/x/net/http2/hpack: one per direction of a connection, so the
// dynamic table carries over between requests exactly as in Go.
type headerEncoder struct {
	buf bytes.Buffer
	enc *hpack.Encoder
}

func newHeaderEncoder() *headerEncoder {
	h := &headerEncoder{}
	h.enc = hpack.NewEncoder(&h.buf)
	h.enc.SetMaxDynamicTableSizeLimit(DefaultHeaderTableSize)
	return h
}

// size encodes fields in order and returns the header block's length.
func (h *headerEncoder) size(fields []HeaderField) int {
	h.buf.Reset()
	for _, f := range fields {
		h.enc.WriteField(f)
	}
	return h.buf.Len()
}

// GoRequestHeaders returns the fields Go's client sends for a GET of path
// on authority, in its order (http2ClientConn.encodeHeaders, h2_bundle.go,
// go1.26): pseudo-headers, then accept-encoding and user-agent.
func GoRequestHeaders(authority, path string) []HeaderField {
	return []HeaderField{
		{Name: ":authority", Value: authority},
		{Name: ":method", Value: "GET"},
		{Name: ":path", Value: path},
		{Name: ":scheme", Value: "http"},
		{Name: "accept-encoding", Value: "gzip"},
		{Name: "user-agent", Value: "Go-http-client/2.0"},
	}
}

// GoResponseHeaders returns the fields Go's server sends for a 200 with a
// text/plain body (sniffed by DetectContentType), in its order
// (http2writeResHeaders: :status, then the sorted header keys). A
// contentLength < 0 is omitted: the server only knows it when the handler
// finished before the first flush.
func GoResponseHeaders(contentLength int64, date string) []HeaderField {
	f := []HeaderField{{Name: ":status", Value: "200"}}
	if contentLength >= 0 {
		f = append(f, HeaderField{Name: "content-length", Value: itoa(contentLength)})
	}
	return append(f,
		HeaderField{Name: "content-type", Value: "text/plain; charset=utf-8"},
		HeaderField{Name: "date", Value: date})
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
