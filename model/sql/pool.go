package sql

// pool.go: one replica's database/sql.DB. Each function below names the
// function of src/database/sql/sql.go (go1.26) it mirrors; db.mu is not
// needed, since the simulation runs one event at a time.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
)

// DefaultMaxIdleConns is database/sql's defaultMaxIdleConns.
const DefaultMaxIdleConns = 2

// CPU that database/sql itself spends on the querying goroutine per
// QueryRowContext(ctx, …).Scan under a cancellable context (net/http's
// request context), measured by BenchmarkRealQueryRow (realcost_test.go)
// with a driver that answers at once, GOMAXPROCS=1, on the 2-vCPU VM of the
// README's fitted-constants table (ns/op 7.8–10.3 µs over 4 runs: acquire
// 0.6–1.1 µs, release 3.9–6.4 µs, the rest the awaitDone goroutine). The
// handler model (model/handler's Runner) charges them as CPU on the
// request's G, so they take a P (and a host core) like any other work.
const (
	// AcquireCPU mirrors DB.QueryContext → DB.query → DB.conn (an idle
	// connection) → DB.queryDC → ctxDriverQuery, up to the driver's
	// QueryContext; charged before DB.conn.
	AcquireCPU = 1 * time.Microsecond
	// ReleaseCPU mirrors Rows.initContextClose (context.WithCancel and
	// `go rs.awaitDone`), Row.Scan → Rows.Next → convertAssign →
	// Rows.Close → Rows.close → releaseConn → DB.putConn: charged after
	// the query, while the connection is still held.
	ReleaseCPU = 5 * time.Microsecond
	// AwaitDoneCPU is Rows.awaitDone's goroutine, woken by rs.cancel in
	// Rows.close, running Rows.close again (already closed) and exiting.
	// The runtime runs it on its own goroutine after the handler's G
	// parks; the model charges it to the handler's G after DB.putConn
	// (the same CPU on the same P, without a G of its own).
	AwaitDoneCPU = 3 * time.Microsecond
)

// maxBadConnRetries mirrors database/sql.maxBadConnRetries: DB.retry tries
// twice with cachedOrNewConn, then once with alwaysNewConn.
const maxBadConnRetries = 2

// minCleanerInterval mirrors connectionCleaner's minInterval.
const minCleanerInterval = time.Second

// Config holds the pool settings of one sql.DB, named as its setters.
type Config struct {
	// MaxOpenConns is DB.SetMaxOpenConns: 0 means unlimited (the default).
	MaxOpenConns int
	// MaxIdleConns is DB.SetMaxIdleConns as stored in maxIdleCount: 0
	// means the default 2 (defaultMaxIdleConns); negative means none are
	// kept. It is lowered to MaxOpenConns if above it.
	MaxIdleConns int
	// ConnMaxLifetime is DB.SetConnMaxLifetime (0: forever).
	ConnMaxLifetime time.Duration
	// ConnMaxIdleTime is DB.SetConnMaxIdleTime (0: forever).
	ConnMaxIdleTime time.Duration
}

// DBStats mirrors database/sql.DBStats, plus counters the model keeps.
type DBStats struct {
	MaxOpenConnections int
	OpenConnections    int // established and opening, as numOpen counts them
	InUse              int
	Idle               int
	WaitCount          int64
	WaitDuration       time.Duration
	MaxIdleClosed      int64
	MaxIdleTimeClosed  int64
	MaxLifetimeClosed  int64

	InUsePeak    int           // the largest InUse seen
	InUseTime    time.Duration // ∫ InUse dt, so InUseTime / (MaxOpenConns × elapsed) is the pool's utilization
	Opened       uint64        // connections opened (admitted by the database)
	ConnectFails uint64        // opens refused by the database (max_connections)
	Queries      uint64        // queries completed through this pool
	Cancelled    uint64        // waits, connects or queries ended by a context deadline
}

// ConnState is the outcome of [DB.Conn].
type ConnState uint8

const (
	ConnReady   ConnState = iota // an idle connection: use it now
	ConnOpening                  // a new connection is opening: Owner.Done follows
	ConnWaiting                  // waiting in connRequests: Owner.Granted follows
)

// Owner is told when a request's wait, connect or query ends; it wakes the
// request's goroutine. Calls come from the event loop.
type Owner interface {
	// Granted: request x, waiting in connRequests, got connection c
	// (c < 0: the connection opened for it failed).
	Granted(x, c int32)
	// Done: request x's connect (ok false: refused) or query ended.
	Done(x int32, ok bool)
}

// States of a pooled connection.
const (
	connClosed uint8 = iota // slot free
	connOpening
	connIdle
	connInUse
)

// dconn mirrors driverConn. Its slot's generation (container.Slots) moves
// on when it closes or its query is cancelled, which makes the database's
// pending events for it stale.
type dconn struct {
	exec       int32 // the request using or opening it; -1 for connectionOpener's
	state      uint8
	srv        uint8 // srvNone, srvQueued, srvRunning at the database
	admitted   bool  // counted in the database's connections
	createdAt  sim.Time
	returnedAt sim.Time
}

// waiter is a connRequest: request x waiting since at.
type waiter struct {
	x  int32
	at sim.Time
}

// DB is one replica's database/sql pool in front of a shared [Server]. It
// is a sim.Handler (the connectionCleaner timer). Not safe for concurrent
// use.
type DB struct {
	e       *sim.Engine
	h       sim.HandlerID
	srv     *Server
	id      int32 // index in srv.pools
	cfg     Config
	maxIdle int // maxIdleConnsLocked
	rng     *rand.Rand
	owner   Owner
	conns   container.Slots[dconn, int32]
	free    []int32  // freeConn: ordered by returnedAt, the newest last
	waiters []waiter // connRequests
	closing []int32  // scratch for the cleaner
	numOpen int
	inUse   int      // numOpen - len(free) as of lastT
	lastT   sim.Time // when InUseTime was last brought up to date
	cleaner bool     // connectionCleaner running (cleanerCh != nil)
	st      DBStats
}

// kCleaner is the connectionCleaner's timer.
const kCleaner sim.Kind = 0

// NewDB returns a pool on srv; its randomness (connRequests.TakeRandom)
// comes from the engine stream named stream.
func NewDB(srv *Server, cfg Config, stream string) (*DB, error) {
	if cfg.MaxOpenConns < 0 || cfg.ConnMaxLifetime < 0 || cfg.ConnMaxIdleTime < 0 {
		return nil, fmt.Errorf("%w: DB.MaxOpenConns, DB.ConnMaxLifetime and DB.ConnMaxIdleTime must not be negative", ErrConfig)
	}
	e := srv.e
	d := &DB{e: e, srv: srv, cfg: cfg, rng: e.Stream(stream)}
	// maxIdleConnsLocked, and SetMaxOpenConns/SetMaxIdleConns keeping
	// maxIdle ≤ maxOpen.
	switch n := cfg.MaxIdleConns; {
	case n == 0:
		d.maxIdle = DefaultMaxIdleConns
	case n < 0:
		d.maxIdle = 0
	default:
		d.maxIdle = n
	}
	if cfg.MaxOpenConns > 0 && d.maxIdle > cfg.MaxOpenConns {
		d.maxIdle = cfg.MaxOpenConns
	}
	d.h = e.Register(d)
	d.id = int32(len(srv.pools))
	srv.pools = append(srv.pools, d)
	d.st.MaxOpenConnections = cfg.MaxOpenConns
	return d, nil
}

// SetOwner sets who is told about waits; a handler.Runner calls it.
func (d *DB) SetOwner(o Owner) { d.owner = o }

// MaxIdle returns the idle limit in effect (maxIdleConnsLocked).
func (d *DB) MaxIdle() int { return d.maxIdle }

// Stats mirrors DB.Stats.
func (d *DB) Stats() DBStats {
	st := d.st
	st.OpenConnections = d.numOpen
	st.Idle = len(d.free)
	st.InUse = d.numOpen - len(d.free)
	st.InUseTime += time.Duration(d.inUse) * time.Duration(d.e.Now()-d.lastT)
	return st
}

// Utilization returns the mean fraction of MaxOpenConns in use since time
// 0, or -1 when MaxOpenConns is unlimited.
func (d *DB) Utilization() float64 {
	now := d.e.Now()
	if d.cfg.MaxOpenConns == 0 || now == 0 {
		return -1
	}
	return d.Stats().InUseTime.Seconds() / (float64(d.cfg.MaxOpenConns) * now.Seconds())
}

// ErrNoConn is the error of a request whose connection could not be
// opened (the database refused it).
var ErrNoConn = errors.New("sql: the database refused the connection (too many clients)")

// noteInUse brings InUseTime and InUsePeak up to date after InUse may
// have changed; every entry point calls it before returning.
func (d *DB) noteInUse() {
	now := d.e.Now()
	d.st.InUseTime += time.Duration(d.inUse) * time.Duration(now-d.lastT)
	d.inUse, d.lastT = d.numOpen-len(d.free), now
	d.st.InUsePeak = max(d.st.InUsePeak, d.inUse)
}

// expired mirrors driverConn.expired: createdAt + ConnMaxLifetime < now.
func (d *DB) expired(c int32, now sim.Time) bool {
	return d.cfg.ConnMaxLifetime > 0 && d.conns.At(c).createdAt+sim.Time(d.cfg.ConnMaxLifetime) < now
}

// Conn mirrors DB.conn inside DB.retry for request x: the newest idle
// connection (an expired one is closed with driver.ErrBadConn and the
// retry tries again, twice with cachedOrNewConn, then with alwaysNewConn);
// else, at MaxOpenConns, x waits in connRequests; else a new connection
// opens, counted in numOpen at once ("optimistically").
func (d *DB) Conn(x int32) (int32, ConnState) {
	now := d.e.Now()
	for try := 0; ; try++ {
		if k := len(d.free); try < maxBadConnRetries && k > 0 {
			c := d.free[k-1]
			d.free = d.free[:k-1]
			if d.expired(c, now) {
				d.st.MaxLifetimeClosed++
				d.finalClose(c)
				d.noteInUse()
				continue
			}
			cc := d.conns.At(c)
			cc.exec, cc.state = x, connInUse
			d.noteInUse()
			return c, ConnReady
		}
		if d.cfg.MaxOpenConns > 0 && d.numOpen >= d.cfg.MaxOpenConns {
			d.waiters = append(d.waiters, waiter{x: x, at: now})
			d.st.WaitCount++
			return -1, ConnWaiting
		}
		return d.open(x), ConnOpening
	}
}

// open starts a new connection for request x (-1: for connectionOpener).
func (d *DB) open(x int32) int32 {
	c := d.conns.Alloc()
	cc := d.conns.At(c)
	cc.exec, cc.state, cc.srv, cc.admitted = x, connOpening, srvNone, false
	d.numOpen++
	d.noteInUse()
	d.srv.connect(d, c)
	return c
}

// connected is the database's answer to c's connect: openNewConnection
// for connectionOpener's connections, the tail of DB.conn for a request's.
func (d *DB) connected(c int32, ok bool) {
	defer d.noteInUse()
	cc := d.conns.At(c)
	now := d.e.Now()
	x := cc.exec
	if !ok {
		d.st.ConnectFails++
		d.release(c)
		d.numOpen--
		if x < 0 {
			// openNewConnection: putConnDBLocked(nil, err) hands the
			// error to a waiter.
			d.giveErr()
		}
		d.maybeOpenNewConnections()
		if x >= 0 {
			d.owner.Done(x, false)
		}
		return
	}
	d.st.Opened++
	cc.createdAt, cc.returnedAt = now, now
	if x >= 0 {
		cc.state = connInUse
		d.owner.Done(x, true)
		return
	}
	cc.state = connInUse // handed over by putConnDBLocked
	if !d.putConnDBLocked(c) {
		// openNewConnection: numOpen--; ci.Close() (no finalClose).
		d.numOpen--
		d.release(c)
	}
}

// Query runs a query of length q on c at the database; Owner.Done follows.
func (d *DB) Query(c int32, q time.Duration) { d.srv.query(d, c, q) }

func (d *DB) queryDone(c int32) {
	d.st.Queries++
	d.owner.Done(d.conns.At(c).exec, true)
}

// Put mirrors DB.putConn: an expired connection is closed
// (maxLifetimeClosed); otherwise putConnDBLocked, and close it if that
// does not keep it.
func (d *DB) Put(c int32) {
	defer d.noteInUse()
	cc := d.conns.At(c)
	cc.exec = -1
	cc.returnedAt = d.e.Now()
	if d.expired(c, cc.returnedAt) {
		d.st.MaxLifetimeClosed++
		d.finalClose(c)
		return
	}
	if !d.putConnDBLocked(c) {
		d.finalClose(c)
	}
}

// putConnDBLocked mirrors DB.putConnDBLocked: above MaxOpenConns the
// connection is dropped; else a random waiter gets it
// (connRequests.TakeRandom); else it joins freeConn if fewer than maxIdle
// are idle (starting the cleaner); else it is dropped (maxIdleClosed).
//
// DB.conn re-checks a handed-over connection's lifetime (cachedOrNewConn):
// that check cannot fire here, because putConn checked the same
// connection at the same instant and a new one is not expired.
func (d *DB) putConnDBLocked(c int32) bool {
	if d.cfg.MaxOpenConns > 0 && d.numOpen > d.cfg.MaxOpenConns {
		return false
	}
	if w, ok := d.takeRandom(); ok {
		cc := d.conns.At(c)
		cc.exec, cc.state = w.x, connInUse
		d.noteInUse()
		d.owner.Granted(w.x, c)
		return true
	}
	if d.maxIdle > len(d.free) {
		d.conns.At(c).state = connIdle
		d.free = append(d.free, c)
		d.startCleanerLocked()
		return true
	}
	d.st.MaxIdleClosed++
	return false
}

// giveErr is putConnDBLocked(nil, err): a random waiter gets the error.
func (d *DB) giveErr() {
	if w, ok := d.takeRandom(); ok {
		d.owner.Granted(w.x, -1)
	}
}

// takeRandom mirrors connRequestSet.TakeRandom (deleteIndex moves the last
// entry into the hole) and adds the wait to waitDuration.
func (d *DB) takeRandom() (waiter, bool) {
	k := len(d.waiters)
	if k == 0 {
		return waiter{}, false
	}
	i := d.rng.IntN(k)
	w := d.waiters[i]
	d.waiters[i] = d.waiters[k-1]
	d.waiters = d.waiters[:k-1]
	d.st.WaitDuration += time.Duration(d.e.Now() - w.at)
	return w, true
}

// finalClose mirrors driverConn.finalClose: the connection leaves the
// database, numOpen drops and maybeOpenNewConnections may open one for a
// waiter.
func (d *DB) finalClose(c int32) {
	d.release(c)
	d.numOpen--
	d.maybeOpenNewConnections()
}

// release frees c's slot and leaves the database.
func (d *DB) release(c int32) {
	cc := d.conns.At(c)
	if cc.admitted {
		d.srv.disconnect()
	}
	cc.state, cc.exec, cc.admitted, cc.srv = connClosed, -1, false, srvNone
	d.conns.Free(c)
}

// maybeOpenNewConnections mirrors DB.maybeOpenNewConnections: open one
// connection per waiter, up to MaxOpenConns (connectionOpener).
func (d *DB) maybeOpenNewConnections() {
	n := len(d.waiters)
	if d.cfg.MaxOpenConns > 0 {
		n = min(n, d.cfg.MaxOpenConns-d.numOpen)
	}
	for ; n > 0; n-- {
		d.open(-1)
	}
}

// Cancel ends request x's wait (c < 0), connect or query on c at its
// context's deadline. A wait leaves connRequests (connRequests.Delete); a
// connect is abandoned (Connect returns ctx.Err(): numOpen--,
// maybeOpenNewConnections); a query is cancelled at the database and its
// connection returns through putConn.
func (d *DB) Cancel(x, c int32) {
	defer d.noteInUse()
	d.st.Cancelled++
	if c < 0 {
		for i, w := range d.waiters {
			if w.x == x {
				k := len(d.waiters)
				d.waiters[i] = d.waiters[k-1]
				d.waiters = d.waiters[:k-1]
				d.st.WaitDuration += time.Duration(d.e.Now() - w.at)
				return
			}
		}
		return
	}
	switch d.conns.At(c).state {
	case connOpening:
		d.release(c)
		d.numOpen--
		d.maybeOpenNewConnections()
	case connInUse:
		d.srv.cancel(d, c)
		d.conns.Bump(c)
		d.Put(c)
	}
}

// startCleanerLocked mirrors DB.startCleanerLocked.
func (d *DB) startCleanerLocked() {
	if (d.cfg.ConnMaxLifetime > 0 || d.cfg.ConnMaxIdleTime > 0) && d.numOpen > 0 && !d.cleaner {
		d.cleaner = true
		d.e.After(max(d.shortestIdleTime(), minCleanerInterval), d.h, kCleaner, 0, 0)
	}
}

// shortestIdleTime mirrors DB.shortestIdleTimeLocked.
func (d *DB) shortestIdleTime() time.Duration {
	if d.cfg.ConnMaxIdleTime <= 0 {
		return d.cfg.ConnMaxLifetime
	}
	if d.cfg.ConnMaxLifetime <= 0 {
		return d.cfg.ConnMaxIdleTime
	}
	return min(d.cfg.ConnMaxIdleTime, d.cfg.ConnMaxLifetime)
}

// Handle implements sim.Handler: one round of DB.connectionCleaner.
func (d *DB) Handle(ev sim.Event) {
	dt := d.shortestIdleTime()
	if d.numOpen == 0 || dt <= 0 {
		d.cleaner = false
		return
	}
	dt = d.cleanerRun(dt)
	for _, c := range d.closing {
		d.finalClose(c)
	}
	d.closing = d.closing[:0]
	d.noteInUse()
	d.e.After(max(dt, minCleanerInterval), d.h, kCleaner, 0, 0)
}

// cleanerRun mirrors DB.connectionCleanerRunLocked: it moves the idle
// connections past ConnMaxIdleTime or ConnMaxLifetime from freeConn to
// d.closing and returns the time to the next check.
func (d *DB) cleanerRun(dt time.Duration) time.Duration {
	now := d.e.Now()
	var idleClosing int
	if d.cfg.ConnMaxIdleTime > 0 {
		// freeConn is ordered by returnedAt: scan from the newest.
		idleSince := now - sim.Time(d.cfg.ConnMaxIdleTime)
		for i := len(d.free) - 1; i >= 0; i-- {
			if d.conns.At(d.free[i]).returnedAt < idleSince {
				i++
				d.closing = append(d.closing, d.free[:i]...)
				d.free = d.free[:copy(d.free, d.free[i:])]
				idleClosing = i
				d.st.MaxIdleTimeClosed += int64(i)
				break
			}
		}
		if len(d.free) > 0 {
			if d2 := time.Duration(d.conns.At(d.free[0]).returnedAt - idleSince); d2 < dt {
				dt = d2
			}
		}
	}
	if d.cfg.ConnMaxLifetime > 0 {
		expiredSince := now - sim.Time(d.cfg.ConnMaxLifetime)
		for i := 0; i < len(d.free); i++ {
			c := d.free[i]
			if d.conns.At(c).createdAt < expiredSince {
				d.closing = append(d.closing, c)
				copy(d.free[i:], d.free[i+1:])
				d.free = d.free[:len(d.free)-1]
				i--
			} else if d2 := time.Duration(d.conns.At(c).createdAt - expiredSince); d2 < dt {
				dt = d2
			}
		}
		d.st.MaxLifetimeClosed += int64(len(d.closing) - idleClosing)
	}
	return dt
}
