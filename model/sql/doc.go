// Package sql models a database shared by every server replica and the
// database/sql connection pool each replica keeps in front of it.
//
// # The pool
//
// [DB] mirrors the pool of database/sql.DB (src/database/sql/sql.go,
// go1.26): DB.conn takes the most recently returned idle connection
// (freeConn is a LIFO), opens a new one while numOpen < maxOpen, or waits in
// connRequests; DB.putConn / putConnDBLocked hand a returned connection to a
// waiter chosen at random (connRequestSet.TakeRandom), else keep it idle if
// fewer than maxIdle are, else close it (maxIdleClosed). A closed connection
// lets maybeOpenNewConnections open one for a waiter (connectionOpener).
// SetConnMaxLifetime and SetConnMaxIdleTime are enforced on reuse (expired
// connections are closed with driver.ErrBadConn and DB.retry tries again,
// twice with cachedOrNewConn, then alwaysNewConn), on return (putConn) and
// by connectionCleaner, which wakes every max(shortest limit, 1s). [DBStats]
// holds the fields of sql.DBStats.
//
// # The database
//
// [Server] is one database shared by every pool, as a fleet of replicas
// shares one PostgreSQL. It accepts at most MaxConnections connections
// (PostgreSQL's max_connections: one more is refused with "sorry, too many
// clients already", and the Connect of database/sql returns that error) and
// runs at most Workers queries at once; more wait in its FIFO. With an
// unbounded queue it is an M/M/c station when queries are exponential.
//
// # Simplifications
//
// A connection's setup is one fixed ConnectTime (TCP, TLS, authentication)
// with no CPU charged to the client. A query is one service time at the
// database: no network round trip, no result rows, no CPU at the client.
// PostgreSQL's superuser_reserved_connections are not subtracted. A context
// deadline cancels a query at once at the database (as a driver's
// CancelRequest eventually does) and the connection returns to the pool.
//
// Nothing is allocated per query in steady state: connections, waiters and
// queued queries are values in slices addressed by index.
package sql
