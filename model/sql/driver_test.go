package sql_test

import (
	"math/rand/v2"
	"time"

	"github.com/gohttpsim/gohttpsim/model/sql"
	"github.com/gohttpsim/gohttpsim/sim"
)

// driver sends Poisson queries of exponential length through one pool,
// as many handler goroutines would, without the scheduler model: each
// request acquires a connection, queries, and puts the connection back.
type driver struct {
	e      *sim.Engine
	h      sim.HandlerID
	db     *sql.DB
	rng    *rand.Rand
	gap    float64 // mean inter-arrival, ns
	mean   float64 // mean query, ns
	conn   []int32 // by request
	phase  []uint8 // 0 connecting or waiting, 1 querying
	free   []int32
	done   int
	failed int
}

func newDriver(e *sim.Engine, db *sql.DB, name string, rate float64, mean time.Duration) *driver {
	d := &driver{e: e, db: db, rng: e.Stream(name), gap: 1e9 / rate, mean: float64(mean)}
	d.h = e.Register(d)
	db.SetOwner(d)
	if rate > 0 {
		e.After(0, d.h, 0, 0, 0)
	}
	return d
}

// start issues one request now.
func (d *driver) start() int32 {
	var x int32
	if k := len(d.free); k > 0 {
		x = d.free[k-1]
		d.free = d.free[:k-1]
	} else {
		d.conn = append(d.conn, -1)
		d.phase = append(d.phase, 0)
		x = int32(len(d.conn) - 1)
	}
	d.phase[x] = 0
	c, st := d.db.Conn(x)
	d.conn[x] = c
	if st == sql.ConnReady {
		d.query(x)
	}
	return x
}

func (d *driver) query(x int32) {
	d.phase[x] = 1
	d.db.Query(d.conn[x], time.Duration(d.rng.ExpFloat64()*d.mean))
}

// startAt issues one request at t.
func (d *driver) startAt(t time.Duration) { d.e.Schedule(sim.Time(t), d.h, 1, 0, 0) }

func (d *driver) Handle(ev sim.Event) {
	d.start()
	if ev.Kind == 1 {
		return
	}
	d.e.After(time.Duration(d.rng.ExpFloat64()*d.gap), d.h, 0, 0, 0)
}

func (d *driver) Granted(x, c int32) {
	d.conn[x] = c
	if c < 0 {
		d.finish(x, false)
		return
	}
	d.query(x)
}

func (d *driver) Done(x int32, ok bool) {
	switch {
	case !ok:
		d.finish(x, false)
	case d.phase[x] == 0:
		d.query(x)
	default:
		d.db.Put(d.conn[x])
		d.finish(x, true)
	}
}

func (d *driver) finish(x int32, ok bool) {
	if ok {
		d.done++
	} else {
		d.failed++
	}
	d.free = append(d.free, x)
}
