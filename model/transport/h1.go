package transport

import (
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/sim"
)

// H1Owner is told about the steps of HTTP/1.1 exchanges run by an [H1].
// Calls come from the event loop; they may call back into the H1.
type H1Owner interface {
	// GotConn: request req has a connection (reused as in
	// httptrace.GotConnInfo.Reused) or failed to get one (ok false).
	GotConn(req int32, reused, ok bool)
	// ServerRequest: the whole request req reached the server; answer
	// with H1.Respond when the handler is done.
	ServerRequest(req int32)
	// GotResponse: the last byte of req's response reached the client;
	// finish with H1.Release.
	GotResponse(req int32)
}

// BodyMode says what the client does with a response body.
type BodyMode uint8

const (
	// BodyDrain reads the body to EOF: readLoop puts the conn back in
	// the pool (tryPutIdleConn) before the caller sees EOF.
	BodyDrain BodyMode = iota
	// BodyClose closes the body before EOF: the conn is closed
	// (bodyEOFSignal.Close → earlyCloseFn; src/net/http/transport.go).
	BodyClose
	// BodyLeak neither reads nor closes: readLoop blocks forever (no
	// request timeout), the conn never returns and still counts toward
	// MaxConnsPerHost.
	BodyLeak
)

type h1req struct {
	key      KeyID
	pc       PConnID
	reqBytes int64
	resp     int64 // response bytes still to arrive
}

type h1srv struct {
	req  int32 // the request being read or served (HTTP/1.1 is serial)
	need int64 // request bytes still to arrive
}

// H1 runs HTTP/1.1 request/response exchanges between clients using a
// [Pool] and one server listening on a [tcp.Net]: request bytes go out on
// the conn the pool gives, the server answers one request at a time per
// connection (net/http.(*conn).serve; no pipelining, as Go's client never
// pipelines), and the client returns the conn according to its [BodyMode].
//
// It implements [Driver] (for its Pool) and [tcp.Receiver] (for both sides).
// Requests are dense int32 indices chosen by the caller.
//
// Simplification: header bytes are fixed per request (reqBytes) and the
// response is one write of header+body bytes; request bodies are not sent.
type H1 struct {
	Pool  *Pool
	net   *tcp.Net
	ln    tcp.ListenerID
	owner H1Owner
	reqs  []h1req
	conn  []tcp.ConnID // by PConnID
	srv   []h1srv      // by tcp.ConnID: the server side
	// OnClientClose, when set, is called after the client closes a conn
	// (so an owner can sample TIME_WAIT).
	OnClientClose func()
	// OnConnected, when set, is called when a dial's handshake completes
	// instead of Pool.DialDone, so an owner can charge the connection's
	// setup CPU first; it then calls Pool.DialDone itself.
	OnConnected func(pc PConnID)
}

// NewH1 returns an H1 on net with its own Pool and listener.
func NewH1(e *sim.Engine, net *tcp.Net, owner H1Owner) *H1 {
	h := &H1{net: net, owner: owner}
	h.Pool = New(e, h)
	h.ln = net.Listen(h, 0, 0, 0)
	return h
}

func (h *H1) req(r int32) *h1req {
	for int(r) >= len(h.reqs) {
		h.reqs = append(h.reqs, h1req{pc: NoConn})
	}
	return &h.reqs[r]
}

// Do starts request r with reqBytes of request on key k.
func (h *H1) Do(k KeyID, r int32, reqBytes int64) {
	rq := h.req(r)
	*rq = h1req{key: k, pc: NoConn, reqBytes: reqBytes}
	h.Pool.GetConn(k, r)
}

// Respond sends n bytes of response to request r from the server.
func (h *H1) Respond(r int32, n int64) {
	rq := &h.reqs[r]
	if rq.pc == NoConn {
		return
	}
	rq.resp = n
	h.net.Send(h.conn[rq.pc], tcp.Server, n)
}

// Release ends request r on the client side as mode says.
func (h *H1) Release(r int32, mode BodyMode) {
	rq := &h.reqs[r]
	pc := rq.pc
	rq.pc = NoConn
	if pc == NoConn {
		return
	}
	switch mode {
	case BodyDrain:
		h.Pool.PutIdle(pc)
	case BodyClose:
		h.Pool.CloseConn(pc)
	}
}

// Conn returns the pooled connection carrying request r (NoConn if none).
func (h *H1) Conn(r int32) PConnID { return h.reqs[r].pc }

// Dial implements Driver.
func (h *H1) Dial(pc PConnID) {
	for int(pc) >= len(h.conn) {
		h.conn = append(h.conn, tcp.NoConn)
	}
	h.conn[pc] = h.net.Dial(h, h.ln, int32(pc))
}

// Close implements Driver: the client closes first and holds TIME_WAIT.
func (h *H1) Close(pc PConnID) {
	c := h.conn[pc]
	h.conn[pc] = tcp.NoConn
	if c != tcp.NoConn {
		h.net.SetUser(c, tcp.Client, -1)
		h.net.Close(c, tcp.Client)
		if h.OnClientClose != nil {
			h.OnClientClose()
		}
	}
}

// GotConn implements Driver: write the request.
func (h *H1) GotConn(r int32, pc PConnID, reused bool) {
	if pc == NoConn {
		h.owner.GotConn(r, reused, false)
		return
	}
	rq := &h.reqs[r]
	rq.pc = pc
	c := h.conn[pc]
	for int(c) >= len(h.srv) {
		h.srv = append(h.srv, h1srv{req: -1})
	}
	// The server learns which request arrives by the conn it comes on.
	h.srv[c] = h1srv{req: r, need: rq.reqBytes}
	h.owner.GotConn(r, reused, true)
	h.net.Send(c, tcp.Client, rq.reqBytes)
}

// OnTCP implements tcp.Receiver.
func (h *H1) OnTCP(c tcp.ConnID, side tcp.Side, ev tcp.EventKind, n int64) {
	switch ev {
	case tcp.Connected, tcp.Refused:
		if pc := h.net.User(c, tcp.Client); pc >= 0 {
			if ev == tcp.Connected && h.OnConnected != nil {
				h.OnConnected(PConnID(pc))
				return
			}
			h.Pool.DialDone(PConnID(pc), ev == tcp.Connected)
		}
	case tcp.Acceptable:
		for {
			a, err := h.net.Accept(h.ln, h, 0)
			if err != nil {
				break
			}
			if k := h.net.Readable(a, tcp.Server); k > 0 {
				h.data(a, tcp.Server, k) // arrived before the accept
			}
		}
	case tcp.Data:
		h.data(c, side, n)
	case tcp.EOF:
		// The peer closed: close our side too (the server on a client
		// close; the client would see a broken conn).
		h.net.Close(c, side)
	}
}

func (h *H1) data(c tcp.ConnID, side tcp.Side, n int64) {
	{
		h.net.Read(c, side, n)
		if side == tcp.Server {
			s := &h.srv[c]
			if s.need > 0 {
				s.need -= n
				if s.need <= 0 {
					h.owner.ServerRequest(s.req)
				}
			}
			return
		}
		pc := h.net.User(c, tcp.Client)
		if pc < 0 {
			return
		}
		r := h.srv[c].req
		rq := &h.reqs[r]
		if rq.resp > 0 {
			rq.resp -= n
			if rq.resp <= 0 {
				h.owner.GotResponse(r)
			}
		}
	}
}
