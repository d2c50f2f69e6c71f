// Package transport models the connection pool of net/http's Transport:
// how requests find, wait for, dial, reuse and give back connections.
//
// It mirrors net/http.(*Transport).getConn, queueForIdleConn, queueForDial,
// decConnsPerHost, tryPutIdleConn and the idleLRU (src/net/http/transport.go,
// go1.26) as pure, deterministic logic on the sim kernel. The network is not
// part of it: a [Driver] dials and closes connections and is told when a
// request got one. The scenario `pool` drives it over model/tcp.
//
// # Rules
//
//   - getConn: the most recently used idle connection of the key first
//     (LIFO), skipping ones idle longer than IdleConnTimeout; otherwise the
//     request waits in a FIFO for a connection that becomes idle and, in
//     parallel, dials (or, at MaxConnsPerHost, waits in a second FIFO for a
//     dial slot). Whichever comes first wins ("late binding"); a dial that
//     loses still completes and is offered to the pool.
//   - tryPutIdleConn: hand the connection to the oldest waiter; else close
//     it if the key already has MaxIdleConnsPerHost idle connections
//     (default 2); else keep it, closing the oldest idle connection of the
//     whole Transport beyond MaxIdleConns (default 100). Idle connections
//     are closed after IdleConnTimeout (default 90 s).
//   - DisableKeepAlives (or MaxIdleConnsPerHost < 0) closes every connection
//     after its request and never looks at the idle list.
//   - A connection counts toward MaxConnsPerHost from its dial until it is
//     closed, whether idle, in use or leaked by an unread response body.
//
// [H1] runs HTTP/1.1 exchanges over model/tcp with a Pool: one request at
// a time per connection, the response body drained, closed early or leaked
// ([BodyMode]). [Pool.View], [Pool.Total] and [Pool.AppendConns] are the
// read-only views for drawing (idle, active, new, queued).
//
// Several Transports may share one [Pool] ([Pool.NewTransport]); that is
// how the "new http.Transport per request" bug is modelled without a handler
// registration per Transport.
//
// # Simplifications
//
// HTTP/2 connections are shared through the pool as in
// http2clientConnPool: a conn marked with [Pool.SetMultiplex] stays in the
// idle list while it has free stream slots and is handed to several
// requests. Request retries on broken reused connections are not modelled
// (the model's connections never break while idle).
package transport
