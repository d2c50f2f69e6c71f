package handler

import (
	"math/rand/v2"
	"time"

	"github.com/gohttpsim/gohttpsim/model/backend"
	"github.com/gohttpsim/gohttpsim/model/gc"
	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/model/sql"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
	"github.com/gohttpsim/gohttpsim/sim/dist"
)

// What an Exec's G is parked on.
const (
	waitNone = iota
	waitPool // in the pool's connRequests (Park)
	waitNet  // connecting, querying or calling the backend (ParkNet)
)

// DB is the database/sql pool a handler's db(D) steps use (one per server
// replica); model/sql's DB implements it.
type DB interface {
	// Conn asks for a connection for request x (DB.conn).
	Conn(x int32) (c int32, st sql.ConnState)
	// Query runs a query of length d on c; Owner.Done follows.
	Query(c int32, d time.Duration)
	// Put returns c to the pool (DB.putConn).
	Put(c int32)
	// Cancel ends x's wait (c < 0), connect or query on c.
	Cancel(x, c int32)
	// SetOwner names who is told when waits end.
	SetOwner(o sql.Owner)
}

// Backend is the downstream HTTP service a handler's http(D) steps call
// through the replica's http.Transport; model/backend implements it.
type Backend interface {
	// Do sends request x, whose service at the backend takes d;
	// Owner.Done follows when its response has been read (ok false:
	// the request failed).
	Do(x int32, d time.Duration)
	// Cancel abandons x's call at its context's deadline.
	Cancel(x int32)
	// SetOwner names who is told when calls end.
	SetOwner(o backend.Owner)
}

// The sub-steps of an OpDB step after its query (see Exec.sub), and the
// one between database/sql's acquire CPU and DB.conn.
const (
	subConn      = 4 // sql.AcquireCPU charged: call DB.conn
	subRelease   = 5 // query done: sql.ReleaseCPU runs while the connection is held
	subAwaitDone = 6 // connection put back: sql.AwaitDoneCPU runs
)

// Exec is one request in a handler: the state of its program.
type Exec struct {
	gp        gmp.GID
	pc        int16
	sub       uint8 // within an OpDB step: 0 acquire CPU, 1 pool wait, 2 connecting, 3 querying, then subConn…subAwaitDone; OpHTTP: 0 send, 1 waiting
	wait      uint8
	cancelled bool
	ok        bool // the last connect or call succeeded
	status    int16
	conn      int32
	deadline  sim.Timer
	User      int64 // the owner's word (a server conn, a TimeoutHandler slot)
}

// Status returns the HTTP status the handler answered: 200; 503 when its
// context deadline cut a query or call short; 500 when the database refused
// a connection or the backend call failed (the handler's
// http.Error(w, err.Error(), 500)).
func (x *Exec) Status() int { return int(x.status) }

// RunnerStats counts handler outcomes.
type RunnerStats struct {
	Started, Finished uint64
	DeadlineExceeded  uint64
	Errors            uint64 // answered 500: a downstream error
	InFlight          int
}

// Runner runs one [Handler] for any number of concurrent requests on the
// scheduler model. It is a sim.Handler (for context deadlines).
type Runner struct {
	s     *gmp.Sched
	e     *sim.Engine
	h     sim.HandlerID
	hd    *Handler
	db    DB
	be    Backend
	gc    *gc.GC
	rng   *rand.Rand
	execs container.Slots[Exec, int32]
	stats RunnerStats
}

const kDeadline sim.Kind = 0

// NewRunner returns a runner of hd on s. db may be nil if hd has no OpDB
// step; col may be nil (no collector: allocation is free). Set a backend
// with [Runner.SetBackend] if hd has an OpHTTP step.
func NewRunner(s *gmp.Sched, hd *Handler, db DB, col *gc.GC) *Runner {
	r := &Runner{s: s, e: s.Engine(), hd: hd, db: db, gc: col, rng: s.Engine().Stream("handler/cost")}
	r.h = r.e.Register(r)
	if db != nil {
		db.SetOwner(r)
	}
	return r
}

// SetBackend sets the service http(D) steps call.
func (r *Runner) SetBackend(b Backend) {
	r.be = b
	b.SetOwner(r)
}

// Granted implements sql.Owner: request x got connection c from the pool
// (c < 0: the connection opened for it failed).
func (r *Runner) Granted(x, c int32) {
	ex := r.execs.At(x)
	ex.conn, ex.ok, ex.wait = c, c >= 0, waitNone
	r.s.Ready(ex.gp)
}

// Done implements sql.Owner: request x's connect, query or backend call
// ended.
func (r *Runner) Done(x int32, ok bool) {
	ex := r.execs.At(x)
	ex.ok, ex.wait = ok, waitNone
	r.s.NetReady(ex.gp)
}

// Handler returns the handler run.
func (r *Runner) Handler() *Handler { return r.hd }

// Stats returns the counters now.
func (r *Runner) Stats() RunnerStats { return r.stats }

// Exec returns request x's state.
func (r *Runner) Exec(x int32) *Exec { return r.execs.At(x) }

// Start begins a request on G gp and returns its Exec index. The handler's
// context deadline, if any, starts now.
func (r *Runner) Start(gp gmp.GID, user int64) int32 {
	x := r.execs.Alloc()
	*r.execs.At(x) = Exec{gp: gp, status: 200, conn: -1, User: user}
	if r.hd.Timeout > 0 {
		r.execs.At(x).deadline = r.e.TimerAfter(r.hd.Timeout, r.h, kDeadline, x, 0)
	}
	r.stats.Started++
	r.stats.InFlight++
	return x
}

// SetG moves request x to G gp (a TimeoutHandler's inner goroutine).
func (r *Runner) SetG(x int32, gp gmp.GID) { r.execs.At(x).gp = gp }

// Finish releases request x.
func (r *Runner) Finish(x int32) {
	ex := r.execs.At(x)
	r.e.Cancel(ex.deadline)
	r.stats.Finished++
	r.stats.InFlight--
	r.execs.Free(x)
}

func (r *Runner) sample(d dist.Dist) time.Duration {
	if d == nil {
		return 0
	}
	return dist.SampleDuration(d, r.rng)
}

// RespBytes samples the response size of a request.
func (r *Runner) RespBytes() int64 {
	if r.hd.RespBytes == nil {
		return 0
	}
	return max(int64(r.hd.RespBytes.Sample(r.rng)), 0)
}

// Next returns the kind of request x's next step, or OpCPU when it is done
// (a finished handler's last act is treated as CPU).
func (r *Runner) Next(x int32) OpKind {
	pc := int(r.execs.At(x).pc)
	if pc >= len(r.hd.Ops) {
		return OpCPU
	}
	return r.hd.Ops[pc].Kind
}

// Step advances request x on its G and returns the G's next action, or
// done = true when the handler returned (the action is then unused).
func (r *Runner) Step(x int32) (a gmp.Action, done bool) {
	ex := r.execs.At(x)
	ops := r.hd.Ops
	for {
		if int(ex.pc) >= len(ops) {
			return gmp.Action{}, true
		}
		op := &ops[ex.pc]
		switch op.Kind {
		case OpCPU:
			ex.pc++
			d := r.sample(op.D)
			if op.Bytes != nil && r.gc != nil {
				d += r.gc.Alloc(int64(op.Bytes.Sample(r.rng)))
			}
			return gmp.Compute(d), false
		case OpSleep:
			ex.pc++
			return gmp.Sleep(r.sample(op.D)), false
		case OpDB, OpHTTP:
			if ex.cancelled && ex.sub < subRelease {
				// ctx.Err() from QueryContext or Client.Do: the
				// handler answers 503 Service Unavailable. A
				// connection it got before the deadline won the
				// race goes back to the pool (DB.conn's putConn of
				// a request it could not delete; Rows.Close).
				if op.Kind == OpDB && ex.conn >= 0 {
					r.db.Put(ex.conn)
					ex.conn = -1
				}
				ex.status = 503
				r.stats.DeadlineExceeded++
				ex.pc = int16(len(ops))
				ex.sub = 0
				continue
			}
			if op.Kind == OpHTTP {
				if ex.sub == 0 {
					ex.sub, ex.wait = 1, waitNet
					r.be.Do(x, r.sample(op.D))
					return gmp.ParkNet(), false
				}
				ex.sub = 0
				if !ex.ok {
					r.fail(ex)
					continue
				}
				ex.pc++
				continue
			}
			switch ex.sub {
			case 0:
				ex.sub = subConn
				if d := sql.AcquireCPU; d > 0 {
					return gmp.Compute(d), false
				}
				fallthrough
			case subConn:
				c, st := r.db.Conn(x)
				switch st {
				case sql.ConnWaiting:
					ex.sub, ex.wait = 1, waitPool
					return gmp.Park(gmp.WaitSelect), false
				case sql.ConnOpening:
					ex.conn = c
					ex.sub, ex.wait = 2, waitNet
					return gmp.ParkNet(), false
				}
				ex.conn = c
				ex.sub, ex.wait = 3, waitNet
				r.db.Query(ex.conn, r.sample(op.D))
				return gmp.ParkNet(), false
			case 1, 2:
				if !ex.ok {
					ex.conn, ex.sub = -1, 0
					r.fail(ex)
					continue
				}
				ex.sub, ex.wait = 3, waitNet
				r.db.Query(ex.conn, r.sample(op.D))
				return gmp.ParkNet(), false
			case 3:
				ex.sub = subRelease
				if d := sql.ReleaseCPU; d > 0 {
					return gmp.Compute(d), false
				}
				fallthrough
			case subRelease:
				r.db.Put(ex.conn)
				ex.conn, ex.sub = -1, subAwaitDone
				if d := sql.AwaitDoneCPU; d > 0 {
					return gmp.Compute(d), false
				}
				fallthrough
			case subAwaitDone:
				ex.sub = 0
				ex.pc++
			}
		}
	}
}

// fail ends a request whose downstream failed: the handler answers 500.
func (r *Runner) fail(ex *Exec) {
	ex.status = 500
	r.stats.Errors++
	ex.pc = int16(len(r.hd.Ops))
}

// Handle implements sim.Handler: request x's context deadline.
func (r *Runner) Handle(ev sim.Event) {
	x := ev.Entity
	ex := r.execs.At(x)
	ex.cancelled = true
	switch ex.wait {
	case waitPool:
		r.db.Cancel(x, -1)
		ex.wait = waitNone
		r.s.Ready(ex.gp)
	case waitNet:
		if r.hd.Ops[ex.pc].Kind == OpHTTP {
			r.be.Cancel(x)
		} else {
			r.db.Cancel(x, ex.conn)
		}
		ex.conn = -1
		ex.wait = waitNone
		r.s.NetReady(ex.gp)
	}
}
