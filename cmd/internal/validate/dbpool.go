package validate

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
)

// dbPoolSetting: a real net/http server whose handler runs one query on a
// real database/sql pool (db.SetMaxOpenConns(Open), the default
// MaxIdleConns of 2) over the in-process driver sleepDriver, whose query
// waits Query on the netpoller (dbWaiter); loaded open-loop (Poisson) at Rate by an in-process client
// for Span. The pool's knee is Open/Query (400 req/s at 2 conns × 5 ms; rates stay low so that the in-process
// client's CPU does not decide the result on a 2-core machine).
// The simulated side is the `throughput` scenario with handler.kind=db,
// handler.query=Query (constant), DB.MaxOpenConns=Open, an unlimited
// database (db.workers=0: the driver's waits do not queue), the same rate
// and duration.
type dbPoolSetting struct {
	name  string
	Open  int
	Query time.Duration
	Rate  float64
	Span  time.Duration
}

var dbPoolSettings = []dbPoolSetting{
	{name: "below-knee", Open: 2, Query: 5 * time.Millisecond, Rate: 200, Span: 2 * time.Second},
	{name: "above-knee", Open: 2, Query: 5 * time.Millisecond, Rate: 600, Span: 2 * time.Second},
}

func dbPoolCases() []*Case {
	var out []*Case
	for _, s := range dbPoolSettings {
		s := s
		out = append(out, &Case{
			Name: "dbpool/" + s.name,
			Doc: fmt.Sprintf("real database/sql pool, SetMaxOpenConns(%d), query waits %v (knee %.0f req/s), Poisson load %.0f req/s for %v: served req/s, p50 and p99 in ms, driver opens",
				s.Open, s.Query, float64(s.Open)/s.Query.Seconds(), s.Rate, s.Span),
			Metrics: []string{"served_rps", "p50_ms", "p99_ms", "opens"},
			// Chosen before any run: served rate within 10%, p50 within
			// 25%, p99 within 35%, driver opens within 50% (they follow
			// MaxIdleConns=2 churn, a count sensitive to timing).
			Rules:         []Rule{EquivRel(0.10), EquivRel(0.25), EquivRel(0.35), EquivRel(0.50)},
			LoadDependent: true,
			Real:          func(ctx context.Context, run int) ([]float64, string, error) { return dbPoolReal(ctx, s, run) },
			Sim: func(ctx context.Context, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
				v, err := runScenario("throughput", []string{"handler.kind=db", "handler.query=" + s.Query.String(),
					"DB.MaxOpenConns=" + strconv.Itoa(s.Open), "db.workers=0",
					"load.rate=" + strconv.FormatFloat(s.Rate, 'f', -1, 64), "duration=" + s.Span.String()},
					[]string{"throughput_rps", "latency_p50_ns", "latency_p99_ns", "db_pool_opened", "db_pool_wait_mean_ns"}, rep, cal)
				if err != nil {
					return nil, "", err
				}
				return []float64{v[0], v[1] / 1e6, v[2] / 1e6, v[3]}, fmt.Sprintf("pool wait mean %.2f ms", v[4]/1e6), nil
			},
		})
	}
	return out
}

func dbPoolReal(ctx context.Context, s dbPoolSetting, run int) ([]float64, string, error) {
	drv := &sleepDriver{query: s.Query}
	db := sql.OpenDB(drv)
	defer db.Close()
	db.SetMaxOpenConns(s.Open)
	res, err := serveOpenLoop(ctx, http.StatusInternalServerError, func(r *http.Request) error {
		var one int
		ctx := context.WithValue(r.Context(), ctxKeyStart{}, time.Now())
		return db.QueryRowContext(ctx, "q").Scan(&one)
	}, s.Rate, s.Span, run)
	if err != nil {
		return nil, "", err
	}
	st := db.Stats()
	return []float64{res.Rate, float64(res.P50) / 1e6, float64(res.P99) / 1e6, float64(drv.opens.Load())},
		fmt.Sprintf("sent %d, done in span %d, query took %.2f ms (mean; wait late %.0f µs), hand-over gap %.0f µs (%d), idle-conn entry %.0f µs (%d), pool waits %d (mean %.2f ms)", res.Sent, res.Done,
			float64(drv.held.Load())/1e6/float64(max(1, drv.n.Load())), float64(drv.late.Load())/1e3/float64(max(1, drv.n.Load())),
			float64(drv.gap.Load())/1e3/float64(max(1, drv.gaps.Load())), drv.gaps.Load(),
			float64(drv.enter.Load())/1e3/float64(max(1, drv.enters.Load())), drv.enters.Load(),
			st.WaitCount, float64(st.WaitDuration)/1e6/float64(max(1, st.WaitCount))), nil
}

// sleepDriver is a database/sql/driver whose every query waits query and
// returns one row holding 1; it counts the connections the pool opens and
// measures what a connection is held for beyond the query: how late each
// wait ends (late), the gap from a connection's query end to its next
// query when the pool hands it straight on (gap), and the way in from
// QueryRowContext to the driver on an idle connection (enter).
type sleepDriver struct {
	query time.Duration
	opens atomic.Int64
	n     atomic.Int64 // queries completed
	held  atomic.Int64 // ns from a query's start to its row, summed
	late  atomic.Int64 // ns the query's wait ended after query, summed
	// gap: ns from a connection's query end to the start of its next
	// query, summed over the gaps shorter than gapCap (a connection handed
	// straight to a waiter); gaps counts them.
	gap, gaps atomic.Int64
	// enter: ns from QueryRowContext's call to the driver's QueryContext
	// for queries that found an idle connection (no pool wait); enters
	// counts them.
	enter, enters atomic.Int64
}

// gapCap separates a hand-over to a waiter from a connection left idle.
const gapCap = 2 * time.Millisecond

type ctxKeyStart struct{}

func (d *sleepDriver) Open(string) (driver.Conn, error) { return d.Connect(context.Background()) }
func (d *sleepDriver) Driver() driver.Driver            { return d }
func (d *sleepDriver) Connect(context.Context) (driver.Conn, error) {
	w, err := newDBWaiter()
	if err != nil {
		return nil, err
	}
	d.opens.Add(1)
	return &sleepConn{d: d, w: w}, nil
}

type sleepConn struct {
	d       *sleepDriver
	w       *dbWaiter
	lastEnd time.Time
}

func (c *sleepConn) Prepare(q string) (driver.Stmt, error) {
	return nil, errors.New("sleepConn: no Prepare")
}
func (c *sleepConn) Close() error              { return c.w.close() }
func (c *sleepConn) Begin() (driver.Tx, error) { return nil, errors.New("sleepConn: no transactions") }

// QueryContext mirrors a round trip to a database: it waits query (or
// until ctx ends) on the netpoller, as a reply on a socket would arrive
// (dbWaiter), and returns one row.
func (c *sleepConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	start := time.Now()
	if !c.lastEnd.IsZero() {
		if g := start.Sub(c.lastEnd); g < gapCap {
			c.d.gap.Add(int64(g))
			c.d.gaps.Add(1)
		}
	}
	if at, ok := ctx.Value(ctxKeyStart{}).(time.Time); ok && start.Sub(at) < gapCap/4 {
		c.d.enter.Add(int64(start.Sub(at)))
		c.d.enters.Add(1)
	}
	if err := c.w.wait(ctx, c.d.query); err != nil {
		return nil, err
	}
	c.lastEnd = time.Now()
	c.d.n.Add(1)
	c.d.held.Add(int64(c.lastEnd.Sub(start)))
	c.d.late.Add(int64(c.lastEnd.Sub(start) - c.d.query))
	return &oneRow{}, nil
}

type oneRow struct{ done bool }

func (r *oneRow) Columns() []string { return []string{"one"} }
func (r *oneRow) Close() error      { return nil }
func (r *oneRow) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0] = int64(1)
	return nil
}
