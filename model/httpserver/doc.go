// Package httpserver models Go's HTTP/1.1 server (net/http.Server) on the
// scheduler model ([gmp]) and the TCP model ([tcp]): the accept loop with
// its EMFILE backoff, one goroutine per connection running conn.serve's
// loop, connection states, keep-alive with one request at a time, the four
// timeouts with Go's fallbacks and start points, MaxHeaderBytes (431),
// http.TimeoutHandler (buffered response, 503, the inner goroutine runs
// on) and per-connection memory.
//
// # Timeouts (go1.26 net/http/server.go)
//
//   - Read deadline for the first request's header: now + ReadHeaderTimeout
//     (ReadTimeout if 0; none if ≤ 0), set when conn.serve starts (after
//     the TLS handshake).
//   - Between requests: read deadline now + IdleTimeout (ReadTimeout if 0;
//     none if ≤ 0) until Peek(4) sees four bytes; then the header deadline
//     now + ReadHeaderTimeout again.
//   - readRequest: t0 = now; after the header: read deadline t0 + ReadTimeout
//     (none if 0) for the body; write deadline now + WriteTimeout, covering
//     the handler and the response write. The handler is not interrupted;
//     its write fails and the connection closes without a response.
//   - Any read deadline expiring closes the connection without a response.
//
// # Message framing
//
// TCP carries byte counts only. The message boundaries that HTTP/1.1's
// framing gives (the blank line ending the header, Content-Length) travel
// beside them in a [Wire]: the client records the header and body sizes of
// the request it is writing, the server the status and size of its
// response. Parsing cost is a CPU span, not a byte scan.
//
// # Simplifications
//
// A request's body is read before the handler runs (net/http hands the
// handler a body reader; for handlers that read their body the timing is
// the same). Writes never block (the socket send buffer is taken as large
// enough). The TLS handshake runs in the TCP model, so the header deadline
// of the first request starts when the connection is accepted rather than
// after the handshake. HTTP/2 is not served here (see model/http2).
package httpserver
