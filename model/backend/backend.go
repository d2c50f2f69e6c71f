package backend

import (
	"errors"
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/model/station"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/model/transport"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
)

// Wire sizes of a call: a small JSON GET and its answer (assumptions).
const (
	DefaultReqBytes  = 200
	DefaultRespBytes = 500
)

// Config configures the service and the Transports that reach it.
type Config struct {
	// Workers is how many requests the service handles at once; more
	// wait in its queue. 0: unlimited.
	Workers int
	// Latency is the round-trip time between a replica and the service.
	Latency time.Duration
	// Transport is every replica's http.Transport pool settings.
	Transport transport.Config
	// ReqBytes and RespBytes are the sizes on the wire (0: defaults).
	ReqBytes, RespBytes int64
}

// Stats are the service's and the Transports' counters: its workers'
// (running, queued, waits, busy time: a model/station) and its calls'.
type Stats struct {
	Calls, Completed, Failed, Cancelled uint64
	station.Stats
	TimeWaitPeak int // replicas' sockets in TIME_WAIT
}

// A call's life.
type call struct {
	client    int32
	x         int32 // the caller's request
	d         time.Duration
	cancelled bool
}

// Service is the downstream service shared by every [Client]. It is a
// sim.Handler (service completions) and the owner of the H1 exchanges.
// Not safe for concurrent use.
type Service struct {
	e       *sim.Engine
	h       sim.HandlerID
	cfg     Config
	net     *tcp.Net
	h1      *transport.H1
	clients []*Client
	calls   container.Slots[call, int32]
	workers *station.Station[int32] // calls
	st      Stats
}

const kServed sim.Kind = 0

// ErrConfig is returned for a configuration the model cannot run.
var ErrConfig = errors.New("backend: bad configuration")

// New returns the service on e.
func New(e *sim.Engine, cfg Config) (*Service, error) {
	if cfg.Workers < 0 || cfg.Latency < 0 || cfg.ReqBytes < 0 || cfg.RespBytes < 0 {
		return nil, fmt.Errorf("%w: backend.workers, backend.latency and sizes must not be negative", ErrConfig)
	}
	if err := cfg.Transport.Validate(); err != nil {
		return nil, err
	}
	if cfg.ReqBytes == 0 {
		cfg.ReqBytes = DefaultReqBytes
	}
	if cfg.RespBytes == 0 {
		cfg.RespBytes = DefaultRespBytes
	}
	net, err := tcp.New(e, tcp.Config{RTT: cfg.Latency})
	if err != nil {
		return nil, err
	}
	s := &Service{e: e, cfg: cfg, net: net, workers: station.New[int32](e, cfg.Workers)}
	s.h = e.Register(s)
	s.h1 = transport.NewH1(e, net, s)
	s.h1.OnClientClose = func() {
		s.st.TimeWaitPeak = max(s.st.TimeWaitPeak, s.net.Stats().ClientTimeWait)
	}
	return s, nil
}

// Stats returns the counters now.
func (s *Service) Stats() Stats {
	st := s.st
	st.Stats = s.workers.Stats()
	return st
}

// Utilization returns the mean fraction of Workers busy since time 0, or
// -1 when Workers is unlimited.
func (s *Service) Utilization() float64 { return s.workers.Utilization() }

// Pool returns the Transports' pool (dials, reuse, waits).
func (s *Service) Pool() *transport.Pool { return s.h1.Pool }

// Net returns the replicas' TCP path to the service (TIME_WAIT).
func (s *Service) Net() *tcp.Net { return s.net }

// GotConn implements transport.H1Owner.
func (s *Service) GotConn(r int32, reused, ok bool) {
	if ok {
		return
	}
	c := s.calls.At(r)
	if !c.cancelled {
		s.st.Failed++
		s.clients[c.client].owner.Done(c.x, false)
	}
	s.release(r)
}

// ServerRequest implements transport.H1Owner: the request reached the
// service; a worker takes it or it queues.
func (s *Service) ServerRequest(r int32) {
	if s.workers.Free() {
		s.start(r)
		return
	}
	s.workers.Enqueue(r)
}

func (s *Service) start(r int32) {
	s.workers.Start()
	s.e.After(s.calls.At(r).d, s.h, kServed, r, 0)
}

// Handle implements sim.Handler: a worker finished request r.
func (s *Service) Handle(ev sim.Event) {
	s.workers.Finish()
	for {
		q, ok := s.workers.Next(nil)
		if !ok {
			break
		}
		s.start(q)
	}
	s.h1.Respond(ev.Entity, s.cfg.RespBytes)
}

// GotResponse implements transport.H1Owner: the body was read (drained,
// the connection goes back to the pool) or, for a cancelled call, the
// connection is closed.
func (s *Service) GotResponse(r int32) {
	c := s.calls.At(r)
	if c.cancelled {
		s.h1.Release(r, transport.BodyClose)
	} else {
		s.h1.Release(r, transport.BodyDrain)
		s.st.Completed++
		s.clients[c.client].owner.Done(c.x, true)
	}
	s.release(r)
}

func (s *Service) release(r int32) {
	c := s.calls.At(r)
	if cl := s.clients[c.client]; cl.byExec[c.x] == r {
		cl.byExec[c.x] = -1
	}
	s.calls.Free(r)
}

// Owner is told when a call ends (handler.Runner implements it).
type Owner interface {
	Done(x int32, ok bool)
}

// Client is one replica's http.Client with its own Transport.
type Client struct {
	s      *Service
	id     int32
	key    transport.KeyID
	owner  Owner
	byExec []int32 // the caller's request -> call, -1 if none
}

// NewClient returns a new replica's client of s.
func (s *Service) NewClient() (*Client, error) {
	tr, err := s.h1.Pool.NewTransport(s.cfg.Transport)
	if err != nil {
		return nil, err
	}
	c := &Client{s: s, id: int32(len(s.clients)), key: s.h1.Pool.Key(tr, 0)}
	s.clients = append(s.clients, c)
	return c, nil
}

// SetOwner implements handler.Backend.
func (c *Client) SetOwner(o Owner) { c.owner = o }

// Do implements handler.Backend: send request x, served in d.
func (c *Client) Do(x int32, d time.Duration) {
	s := c.s
	r := s.calls.Alloc()
	*s.calls.At(r) = call{client: c.id, x: x, d: d}
	for int(x) >= len(c.byExec) {
		c.byExec = append(c.byExec, -1)
	}
	c.byExec[x] = r
	s.st.Calls++
	s.h1.Do(c.key, r, s.cfg.ReqBytes)
}

// Cancel implements handler.Backend: the caller's context ended; the call
// goes on without it (see the package doc).
func (c *Client) Cancel(x int32) {
	if r := c.byExec[x]; r >= 0 {
		c.s.calls.At(r).cancelled = true
		c.s.st.Cancelled++
		c.byExec[x] = -1
	}
}
