package handler

import (
	"fmt"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/sim/dist"
)

// OpKind is the kind of one handler step.
type OpKind uint8

const (
	OpCPU   OpKind = iota // compute for D, allocating Bytes
	OpSleep               // wait for D without CPU (time.Sleep, a slow downstream)
	OpDB                  // one query through the DB pool; D is its service time at the database
	OpHTTP                // one call to the backend through the Transport; D is its service time there
)

func (k OpKind) String() string {
	switch k {
	case OpCPU:
		return "cpu"
	case OpSleep:
		return "sleep"
	case OpDB:
		return "db"
	case OpHTTP:
		return "http"
	}
	return fmt.Sprintf("OpKind(%d)", k)
}

// Op is one step of a handler.
type Op struct {
	Kind  OpKind
	D     dist.Dist // duration in ns (CPU, sleep, query time)
	Bytes dist.Dist // bytes allocated (OpCPU), may be nil
}

// Handler is a request handler: its steps in order (middleware first), the
// response size, and an optional request deadline.
type Handler struct {
	Name string
	Ops  []Op
	// RespBytes is the response size on the wire, headers included.
	RespBytes dist.Dist
	// Timeout is the handler's context.WithTimeout (0: none). When it
	// expires during a query the handler answers 503 at once.
	Timeout time.Duration
}

// Calibrated defaults. measured-here.md: a hello-world net/http server on
// one core serves ~103,000 req/s, i.e. ~9.7 µs of CPU per request, almost
// all of it in net/http and the read/write syscalls; the handler's own code
// is a few hundred ns. The server model charges its own per-request cost
// (httpserver.DefaultRequestCPU); these are the handler's share.
const (
	HelloCPU   = 500 * time.Nanosecond // fmt.Fprint of a short string
	JSONCPU    = 1500 * time.Nanosecond
	JSONAlloc  = 2048 // bytes allocated per JSON response (encoder, map, buffers)
	HelloBytes = 130  // "HTTP/1.1 200 OK" + Date + Content-Length + Content-Type + body
	JSONBytes  = 300
	DBQuery    = 2 * time.Millisecond
	SleepTime  = 10 * time.Millisecond
)

// New returns the handler of the given kind: hello, json, db or sleep.
// cpu, if non-nil, replaces the kind's CPU cost.
func New(kind string, cpu dist.Dist) (*Handler, error) {
	c := func(def time.Duration) dist.Dist {
		if cpu != nil {
			return cpu
		}
		return dist.Const{V: float64(def)}
	}
	switch kind {
	case "hello":
		return &Handler{Name: kind, Ops: []Op{{Kind: OpCPU, D: c(HelloCPU)}}, RespBytes: dist.Const{V: HelloBytes}}, nil
	case "json":
		return &Handler{Name: kind, Ops: []Op{{Kind: OpCPU, D: c(JSONCPU), Bytes: dist.Const{V: JSONAlloc}}}, RespBytes: dist.Const{V: JSONBytes}}, nil
	case "db":
		return &Handler{Name: kind, Ops: []Op{
			{Kind: OpCPU, D: c(HelloCPU)},
			{Kind: OpDB, D: dist.Exp{M: float64(DBQuery)}},
			{Kind: OpCPU, D: c(JSONCPU), Bytes: dist.Const{V: JSONAlloc}},
		}, RespBytes: dist.Const{V: JSONBytes}}, nil
	case "sleep":
		return &Handler{Name: kind, Ops: []Op{
			{Kind: OpSleep, D: dist.Const{V: float64(SleepTime)}},
			{Kind: OpCPU, D: c(HelloCPU)},
		}, RespBytes: dist.Const{V: HelloBytes}}, nil
	}
	return nil, fmt.Errorf("handler: unknown kind %q (hello, json, db, sleep)", kind)
}

// ParseSequence parses a handler written as steps separated by "+":
// cpu(DIST), alloc(SIZE) attached to the previous cpu step, sleep(DIST),
// db(DIST), http(DIST). Example: "cpu(5us)+db(exp(2ms))+cpu(3us)".
func ParseSequence(s string) (*Handler, error) {
	h := &Handler{Name: "sequence", RespBytes: dist.Const{V: JSONBytes}}
	for _, part := range splitTop(s) {
		open := strings.IndexByte(part, '(')
		if open < 0 || !strings.HasSuffix(part, ")") {
			return nil, fmt.Errorf("handler: bad step %q: want cpu(...), alloc(...), sleep(...), db(...) or http(...)", part)
		}
		name, arg := part[:open], part[open+1:len(part)-1]
		d, err := dist.ParseDist(arg)
		if err != nil {
			return nil, fmt.Errorf("handler: step %q: %v", part, err)
		}
		switch name {
		case "cpu":
			h.Ops = append(h.Ops, Op{Kind: OpCPU, D: d})
		case "alloc":
			if len(h.Ops) == 0 || h.Ops[len(h.Ops)-1].Kind != OpCPU {
				return nil, fmt.Errorf("handler: alloc(...) must follow a cpu(...) step")
			}
			h.Ops[len(h.Ops)-1].Bytes = d
		case "sleep":
			h.Ops = append(h.Ops, Op{Kind: OpSleep, D: d})
		case "db":
			h.Ops = append(h.Ops, Op{Kind: OpDB, D: d})
		case "http":
			h.Ops = append(h.Ops, Op{Kind: OpHTTP, D: d})
		default:
			return nil, fmt.Errorf("handler: unknown step %q (cpu, alloc, sleep, db, http)", name)
		}
	}
	if len(h.Ops) == 0 {
		return nil, fmt.Errorf("handler: empty sequence")
	}
	return h, nil
}

// splitTop splits s at '+' outside parentheses, trimmed, empty steps dropped.
func splitTop(s string) []string {
	var out []string
	for _, part := range dist.SplitTop(s, '+') {
		if t := strings.TrimSpace(part); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// WithMiddleware puts n middleware layers of cost cpu each in front of h
// (logging, auth, metrics: each a func(http.Handler) http.Handler wrapper).
func (h *Handler) WithMiddleware(n int, cpu dist.Dist) *Handler {
	if n <= 0 {
		return h
	}
	ops := make([]Op, 0, n+len(h.Ops))
	for range n {
		ops = append(ops, Op{Kind: OpCPU, D: cpu})
	}
	h.Ops = append(ops, h.Ops...)
	return h
}

// MeanCPU returns the mean CPU of one request through h.
func (h *Handler) MeanCPU() time.Duration {
	var t float64
	for _, op := range h.Ops {
		if op.Kind == OpCPU {
			t += op.D.Mean()
		}
	}
	return time.Duration(t)
}

// MeanAlloc returns the mean bytes allocated per request.
func (h *Handler) MeanAlloc() float64 {
	var b float64
	for _, op := range h.Ops {
		if op.Kind == OpCPU && op.Bytes != nil {
			b += op.Bytes.Mean()
		}
	}
	return b
}

// Has reports whether h has a step of kind k.
func (h *Handler) Has(k OpKind) bool {
	for _, op := range h.Ops {
		if op.Kind == k {
			return true
		}
	}
	return false
}
