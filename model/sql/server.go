package sql

// server.go: the database every replica's pool connects to. It admits at
// most MaxConnections connections (PostgreSQL's max_connections, checked by
// the postmaster when a backend starts: InitProcess fails with "sorry, too
// many clients already") and runs at most Workers queries at once; the rest
// wait in one FIFO (a model/station, shared with model/backend). With
// exponential queries and no other limit it is the M/M/c queue with
// c = Workers.

import (
	"errors"
	"time"

	"github.com/gohttpsim/gohttpsim/model/station"
	"github.com/gohttpsim/gohttpsim/sim"
)

// DefaultConnectTime is the time to open a connection to the database: TCP,
// TLS and authentication over a data-centre network (an assumption, ~1 ms).
const DefaultConnectTime = time.Millisecond

// ServerConfig configures the shared database.
type ServerConfig struct {
	// Workers is how many queries the database runs at once (its cores,
	// or the connection workers of its executor); more wait in its
	// queue. 0: unlimited.
	Workers int
	// MaxConnections is PostgreSQL's max_connections: one connection more
	// is refused and the client's Connect fails. 0: unlimited.
	MaxConnections int
	// ConnectTime is the time to open a connection (0: DefaultConnectTime).
	ConnectTime time.Duration
}

// ServerStats are the database's counters: its connections', its queries',
// and its workers' (running and queued queries, waits, busy time: Busy /
// (Workers × elapsed) is its utilization).
type ServerStats struct {
	Conns, ConnsPeak int    // connections open at the database
	Connects         uint64 // connections admitted
	Refused          uint64 // connections refused at MaxConnections
	Queries          uint64 // queries completed
	Cancelled        uint64 // queries cancelled (queued or running)
	station.Stats
}

// A query's place at the database (dconn.srv).
const (
	srvNone uint8 = iota
	srvQueued
	srvRunning
)

// squery is a query waiting for a worker. It is stale when its
// connection's generation moved on (the query was cancelled).
type squery struct {
	pool, conn int32
	gen        uint32
	d          time.Duration
}

// Server is the database shared by every pool ([DB]) built on it. It is a
// sim.Handler. Not safe for concurrent use.
type Server struct {
	e     *sim.Engine
	h     sim.HandlerID
	cfg   ServerConfig
	pools   []*DB
	workers *station.Station[squery]
	live    func(squery) bool // isLive, bound once (no allocation per query)
	st      ServerStats
}

// Event kinds of a Server; the entity is the connection, the argument
// pool<<32 | generation.
const (
	kConnect sim.Kind = iota
	kQueryDone
)

// ErrConfig is returned for a configuration the model cannot run.
var ErrConfig = errors.New("sql: bad configuration")

// NewServer returns the database on e.
func NewServer(e *sim.Engine, cfg ServerConfig) (*Server, error) {
	if cfg.Workers < 0 || cfg.MaxConnections < 0 || cfg.ConnectTime < 0 {
		return nil, errors.Join(ErrConfig, errors.New("sql: db.workers, db.max_connections and the connect time must not be negative"))
	}
	if cfg.ConnectTime == 0 {
		cfg.ConnectTime = DefaultConnectTime
	}
	s := &Server{e: e, cfg: cfg, workers: station.New[squery](e, cfg.Workers)}
	s.live = s.isLive
	s.h = e.Register(s)
	return s, nil
}

// Config returns the configuration in effect.
func (s *Server) Config() ServerConfig { return s.cfg }

// Stats returns the counters now.
func (s *Server) Stats() ServerStats {
	st := s.st
	st.Stats = s.workers.Stats()
	return st
}

// Utilization returns the mean fraction of Workers busy since time 0, or
// -1 when Workers is unlimited.
func (s *Server) Utilization() float64 { return s.workers.Utilization() }

func pack(pool int32, gen uint32) int64 { return int64(pool)<<32 | int64(gen) }

// connect starts opening pool p's connection c; p.connected follows after
// ConnectTime unless c is abandoned first.
func (s *Server) connect(p *DB, c int32) {
	s.e.After(s.cfg.ConnectTime, s.h, kConnect, c, pack(p.id, p.conns.Gen(c)))
}

// disconnect closes one admitted connection.
func (s *Server) disconnect() { s.st.Conns-- }

// query runs a query of length d on pool p's connection c, or queues it.
func (s *Server) query(p *DB, c int32, d time.Duration) {
	if s.workers.Free() {
		s.start(p, c, d)
		return
	}
	p.conns.At(c).srv = srvQueued
	s.workers.Enqueue(squery{pool: p.id, conn: c, gen: p.conns.Gen(c), d: d})
}

func (s *Server) start(p *DB, c int32, d time.Duration) {
	s.workers.Start()
	p.conns.At(c).srv = srvRunning
	s.e.After(d, s.h, kQueryDone, c, pack(p.id, p.conns.Gen(c)))
}

// cancel stops the query on pool p's connection c, queued or running (the
// caller then moves the connection's generation on).
func (s *Server) cancel(p *DB, c int32) {
	cc := p.conns.At(c)
	switch cc.srv {
	case srvQueued:
		s.workers.Abandon() // its entry is skipped when it reaches the head
	case srvRunning:
		s.workers.Finish()
		defer s.startQueued()
	default:
		return
	}
	cc.srv = srvNone
	s.st.Cancelled++
}

// startQueued gives free workers to the queries at the head of the queue.
func (s *Server) startQueued() {
	for {
		q, ok := s.workers.Next(s.live)
		if !ok {
			return
		}
		s.start(s.pools[q.pool], q.conn, q.d)
	}
}

// isLive reports whether q still waits (it was not cancelled while queued).
func (s *Server) isLive(q squery) bool {
	p := s.pools[q.pool]
	return p.conns.Gen(q.conn) == q.gen && p.conns.At(q.conn).srv == srvQueued
}

// Handle implements sim.Handler.
func (s *Server) Handle(ev sim.Event) {
	p := s.pools[ev.Arg>>32]
	c := ev.Entity
	if p.conns.Gen(c) != uint32(ev.Arg) {
		return // abandoned connect or cancelled query
	}
	switch ev.Kind {
	case kConnect:
		if s.cfg.MaxConnections > 0 && s.st.Conns >= s.cfg.MaxConnections {
			s.st.Refused++
			p.connected(c, false)
			return
		}
		s.st.Conns++
		s.st.ConnsPeak = max(s.st.ConnsPeak, s.st.Conns)
		s.st.Connects++
		p.conns.At(c).admitted = true
		p.connected(c, true)
	case kQueryDone:
		cc := p.conns.At(c)
		if cc.srv != srvRunning {
			return
		}
		s.workers.Finish()
		s.st.Queries++
		cc.srv = srvNone
		s.startQueued()
		p.queryDone(c)
	}
}
