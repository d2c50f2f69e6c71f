// Package gmpload is the goroutine-per-connection picture on the scheduler
// model ([gmp]): connections arrive, an accept-loop goroutine accepts each
// and starts one goroutine for it (go c.serve), and that goroutine loops
// reading a request, running the handler and writing the response. Between
// requests it waits on the netpoller, so at any moment most connection
// goroutines are parked in IO wait and a few run.
//
// It mirrors the shape of net/http.(*Server).Serve and (*conn).serve
// (src/net/http/server.go, go1.26) with HTTP itself reduced to CPU spans:
// parsing, routing and the handler are one handler.cpu draw, the response
// write is one write(2). TCP is not modelled: a request's bytes arrive all
// at once, which is what readiness on the netpoller means to the scheduler.
// The net/http server model (model/httpserver) adds the protocol; this
// package exists to show and measure the scheduler under a server load, and
// to drive the browser's first section ([Load.Inject] adds connections on a
// click).
//
// A [Load] is built on an engine with [New]; the engine's owner runs it.
package gmpload
