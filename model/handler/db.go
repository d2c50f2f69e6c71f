package handler

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
)

// DefaultMaxIdleConns is database/sql's defaultMaxIdleConns.
const DefaultMaxIdleConns = 2

// DBConfig configures a [DB]: the database/sql pool and the database
// behind it.
type DBConfig struct {
	// MaxOpenConns is DB.SetMaxOpenConns: 0 means unlimited (the default).
	MaxOpenConns int
	// MaxIdleConns is DB.SetMaxIdleConns: 0 means the default 2
	// (defaultMaxIdleConns); negative means none are kept.
	MaxIdleConns int
	// Workers is how many queries the database runs at once (its cores
	// or connection workers); more wait in its queue, so the database
	// saturates. 0: unlimited.
	Workers int
	// ConnectTime is the time to open a driver connection (TCP, TLS and
	// authentication to the database; default 1 ms).
	ConnectTime time.Duration
}

// DBStats mirrors the fields of database/sql.DBStats the model keeps.
type DBStats struct {
	MaxOpenConnections int
	OpenConnections    int
	InUse              int
	Idle               int
	WaitCount          int64
	WaitDuration       time.Duration
	MaxIdleClosed      int64
	Opened             int64
	Cancelled          int64 // queries or waits ended by a context deadline
	Queries            int64 // completed queries
	DBQueued           int   // queries waiting for a database worker
}

type dbconn struct {
	exec   int32 // the Exec using it, -1 if idle
	queued bool  // waiting for a database worker
	open   bool
}

// DB is a database/sql pool in front of a database with Workers query
// slots. It mirrors DB.conn and DB.putConnDBLocked (src/database/sql/sql.go,
// go1.26): the most recently freed idle connection is reused (freeConn is a
// LIFO), a new one is opened while numOpen < MaxOpenConns, otherwise the
// request waits in connRequests, and a released connection goes to a
// waiter chosen at random (connRequests.TakeRandom), else back to the idle
// list if it has fewer than MaxIdleConns, else it is closed. It is a
// sim.Handler. Not safe for concurrent use.
type DB struct {
	e       *sim.Engine
	h       sim.HandlerID
	cfg     DBConfig
	rng     *rand.Rand
	r       *Runner
	conns   container.Slots[dbconn, int32] // closed conns are freed; the generation tells stale events
	free    []int32                        // idle conns (freeConn), LIFO
	waiters []int32                        // Execs waiting for a conn (connRequests)
	queue   container.Queue[int32]         // conns whose query waits for a worker
	running int
	stats   DBStats
}

// Event kinds of a DB.
const (
	kConnected sim.Kind = iota // entity conn, arg gen
	kQueryDone                 // entity conn, arg gen
)

// NewDB returns a pool on e; randomness from the "handler/db" stream.
func NewDB(e *sim.Engine, cfg DBConfig) (*DB, error) {
	if cfg.MaxOpenConns < 0 || cfg.Workers < 0 || cfg.ConnectTime < 0 {
		return nil, errors.New("handler: negative DB.MaxOpenConns, workers or connect time")
	}
	if cfg.MaxIdleConns == 0 {
		cfg.MaxIdleConns = DefaultMaxIdleConns
	} else if cfg.MaxIdleConns < 0 {
		cfg.MaxIdleConns = 0
	}
	// SetMaxIdleConns: "If MaxOpenConns is greater than 0 but less than
	// the new MaxIdleConns, then the new MaxIdleConns will be reduced to
	// match the MaxOpenConns limit."
	if cfg.MaxOpenConns > 0 && cfg.MaxIdleConns > cfg.MaxOpenConns {
		cfg.MaxIdleConns = cfg.MaxOpenConns
	}
	if cfg.ConnectTime == 0 {
		cfg.ConnectTime = time.Millisecond
	}
	d := &DB{e: e, cfg: cfg, rng: e.Stream("handler/db")}
	d.h = e.Register(d)
	d.stats.MaxOpenConnections = cfg.MaxOpenConns
	return d, nil
}

// Stats returns the pool's statistics now.
func (d *DB) Stats() DBStats {
	st := d.stats
	st.Idle = len(d.free)
	st.InUse = st.OpenConnections - st.Idle
	st.DBQueued = d.queue.Len()
	return st
}

// acquire mirrors DB.conn: it returns an idle conn, a new conn to open
// (fresh), or -1 after putting x in the wait set.
func (d *DB) acquire(x int32) (c int32, fresh bool) {
	if k := len(d.free); k > 0 {
		c = d.free[k-1]
		d.free = d.free[:k-1]
		d.conns.At(c).exec = x
		return c, false
	}
	if d.cfg.MaxOpenConns == 0 || d.stats.OpenConnections < d.cfg.MaxOpenConns {
		c = d.conns.Alloc()
		cc := d.conns.At(c)
		cc.exec, cc.open, cc.queued = x, true, false
		d.stats.OpenConnections++
		d.stats.Opened++
		return c, true
	}
	d.waiters = append(d.waiters, x)
	d.stats.WaitCount++
	return -1, false
}

// connect opens conn c: the caller's G waits on the netpoller.
func (d *DB) connect(c int32) {
	d.e.After(d.cfg.ConnectTime, d.h, kConnected, c, int64(d.conns.Gen(c)))
}

// query runs a query of length q on c, or queues it for a worker.
func (d *DB) query(c int32, q time.Duration) {
	cc := d.conns.At(c)
	if d.cfg.Workers == 0 || d.running < d.cfg.Workers {
		d.running++
		d.e.After(q, d.h, kQueryDone, c, int64(d.conns.Gen(c)))
		return
	}
	cc.queued = true
	d.queue.Push(c)
	d.r.execs.At(cc.exec).query = q
}

func (d *DB) startQueued() {
	for d.queue.Len() > 0 && (d.cfg.Workers == 0 || d.running < d.cfg.Workers) {
		c := d.queue.Pop()
		cc := d.conns.At(c)
		if !cc.queued {
			continue // cancelled while queued
		}
		cc.queued = false
		d.running++
		d.e.After(d.r.execs.At(cc.exec).query, d.h, kQueryDone, c, int64(d.conns.Gen(c)))
	}
}

// release mirrors DB.putConnDBLocked.
func (d *DB) release(c int32) {
	if k := len(d.waiters); k > 0 {
		i := d.rng.IntN(k) // connRequests.TakeRandom
		x := d.waiters[i]
		d.waiters[i] = d.waiters[k-1]
		d.waiters = d.waiters[:k-1]
		d.conns.At(c).exec = x
		ex := d.r.execs.At(x)
		ex.conn = c
		ex.wait = waitNone
		d.stats.WaitDuration += d.e.Now().Sub(ex.waitFrom)
		d.r.s.Ready(ex.gp)
		return
	}
	d.conns.At(c).exec = -1
	if len(d.free) < d.cfg.MaxIdleConns {
		d.free = append(d.free, c)
		return
	}
	d.close(c)
	d.stats.MaxIdleClosed++
}

func (d *DB) close(c int32) {
	cc := d.conns.At(c)
	cc.open = false
	cc.exec = -1
	d.stats.OpenConnections--
	d.conns.Free(c)
}

// cancelWait removes x from the wait set (connRequests.Delete).
func (d *DB) cancelWait(x int32) {
	for i, y := range d.waiters {
		if y == x {
			copy(d.waiters[i:], d.waiters[i+1:])
			d.waiters = d.waiters[:len(d.waiters)-1]
			break
		}
	}
	d.stats.WaitDuration += d.e.Now().Sub(d.r.execs.At(x).waitFrom)
}

// cancelQuery stops c's query (queued or running) at the database and
// returns the connection to the pool.
func (d *DB) cancelQuery(c int32) {
	cc := d.conns.At(c)
	d.conns.Bump(c) // the running query's kQueryDone is stale
	if cc.queued {
		cc.queued = false
	} else {
		d.running--
		d.startQueued()
	}
	d.release(c)
}

// Handle implements sim.Handler.
func (d *DB) Handle(ev sim.Event) {
	c := ev.Entity
	cc := d.conns.At(c)
	if uint32(ev.Arg) != d.conns.Gen(c) {
		return // cancelled
	}
	switch ev.Kind {
	case kConnected:
	case kQueryDone:
		d.running--
		d.stats.Queries++
		d.startQueued()
	}
	ex := d.r.execs.At(cc.exec)
	ex.wait = waitNone
	d.r.s.NetReady(ex.gp)
}
