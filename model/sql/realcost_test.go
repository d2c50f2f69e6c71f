package sql_test

import (
	"context"
	stdsql "database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"io"
	"runtime"
	"testing"
	"time"
)

// BenchmarkRealQueryRow measures what database/sql itself costs a
// goroutine per query, with a driver whose query returns at once: a
// handler's db.QueryRowContext(r.Context(), q).Scan(&v) on a pool with an
// idle connection, under a cancellable context as net/http's request
// context is. It reports the CPU before the driver's QueryContext starts
// (acquire_ns: DB.query → DB.conn → DB.queryDC → ctxDriverQuery) and after
// it returns (release_ns: Rows.initContextClose's `go rs.awaitDone`,
// Row.Scan → Rows.Next → convertAssign → Rows.Close → releaseConn →
// DB.putConn), which model/sql charges as [sql.DefaultAcquireCPU] and
// [sql.DefaultReleaseCPU]. Run with -cpu=1:
//
//	go test -run=NONE -bench=RealQueryRow -cpu=1 ./model/sql
func BenchmarkRealQueryRow(b *testing.B) {
	drv := &nowDriver{}
	db := stdsql.OpenDB(drv)
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var one int
	if err := db.QueryRowContext(ctx, "q").Scan(&one); err != nil {
		b.Fatal(err)
	}
	var acq, rel time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := db.QueryRowContext(ctx, "q").Scan(&one); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		acq += drv.start.Sub(t0)
		rel += t1.Sub(drv.end)
		// A handler blocks on the network next, which lets the
		// awaitDone goroutine run (and end): so does Gosched here. ns/op
		// minus acquire_ns and release_ns is that goroutine's share.
		runtime.Gosched()
	}
	b.ReportMetric(float64(acq.Nanoseconds())/float64(b.N), "acquire_ns")
	b.ReportMetric(float64(rel.Nanoseconds())/float64(b.N), "release_ns")
}

type nowDriver struct{ start, end time.Time }

func (d *nowDriver) Open(string) (sqldriver.Conn, error) { return d.Connect(context.Background()) }
func (d *nowDriver) Driver() sqldriver.Driver            { return d }
func (d *nowDriver) Connect(context.Context) (sqldriver.Conn, error) {
	return nowConn{d}, nil
}

type nowConn struct{ d *nowDriver }

func (c nowConn) Prepare(string) (sqldriver.Stmt, error) { return nil, errors.New("no Prepare") }
func (c nowConn) Close() error                           { return nil }
func (c nowConn) Begin() (sqldriver.Tx, error)           { return nil, errors.New("no Begin") }
func (c nowConn) QueryContext(ctx context.Context, q string, args []sqldriver.NamedValue) (sqldriver.Rows, error) {
	c.d.start = time.Now()
	r := &nowRow{d: c.d}
	c.d.end = time.Now()
	return r, nil
}

type nowRow struct {
	d    *nowDriver
	done bool
}

func (r *nowRow) Columns() []string { return []string{"one"} }
func (r *nowRow) Close() error      { return nil }
func (r *nowRow) Next(dest []sqldriver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0] = int64(1)
	return nil
}
