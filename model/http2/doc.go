// Package http2 models HTTP/2 connections (RFC 9113) frame by frame over
// model/tcp: the connection preface and SETTINGS exchange, HEADERS (with
// CONTINUATION beyond the peer's SETTINGS_MAX_FRAME_SIZE) whose sizes come
// from the real HPACK encoder (golang.org/x/net/http2/hpack), DATA split by
// the peer's max frame size and by the stream and connection flow-control
// windows, WINDOW_UPDATE with Go's refresh policy, RST_STREAM, GOAWAY and
// PING, each frame counting its 9-byte header on the wire.
//
// # What it mirrors
//
// The server side mirrors net/http's bundled server (http2serverConn.serve,
// writeHeaders/writeData, http2responseWriter; src/net/http/h2_bundle.go,
// go1.26): its SETTINGS (MaxConcurrentStreams 250, 1 MiB stream and
// connection receive windows), the connection WINDOW_UPDATE that follows
// them, a response body buffered up to handlerChunkWriteSize (4 KiB) so
// that small responses go out as HEADERS (with content-length) + one DATA
// with END_STREAM while larger ones end with an empty DATA frame carrying
// END_STREAM, and a [WriteScheduler] choosing which stream's DATA goes next
// (round-robin in go1.26; [NewSequentialScheduler] is the RFC 9218
// non-incremental default of golang.org/x/net/http2).
//
// The client side mirrors http2ClientConn (h2_bundle.go): the preface with
// SETTINGS ENABLE_PUSH=0, INITIAL_WINDOW_SIZE=4 MiB, MAX_FRAME_SIZE=16384,
// MAX_HEADER_LIST_SIZE=10 MiB and a connection WINDOW_UPDATE of 1 GiB; at
// most 100 concurrent streams until the server's SETTINGS arrive; a body
// consumer that reads in 8 KiB pieces (io.Copy into io.Discard), each read
// returning window through http2inflow.add (≥ 4 KiB or doubling).
//
// # Timing
//
// Frames written at one instant leave in one TCP write (Go's peers write
// into a bufio.Writer flushed when their queue is empty), and the server
// schedules DATA after processing every frame that arrived at an instant,
// so WINDOW_UPDATEs that arrive together open the window together. The
// server's serve loop starts at accept without TLS and at the client's
// first bytes with TLS (its handshake ends just before them).
//
// [Conn.View], [Conn.AppendStreams] and [Conn.AppendFrames] are read-only
// views for drawing: streams by state and frames in flight.
//
// # Simplifications
//
// Frames are counted, not encoded: a frame is its type, flags, stream,
// length and, for WINDOW_UPDATE, increment. Request bodies (uploads) are
// not modelled, so the server's own receive windows never bind. Handlers
// are owner callbacks: the owner says when a response starts and how big
// its body is, written in one Write call. PRIORITY and PUSH_PROMISE are
// never sent (Go's client sends neither). The upload stall (a handler that
// does not read its request body starves every stream's uploads) is
// therefore not modelled. Handlers run in zero time unless the owner delays
// Respond.
package http2
