package validate

import (
	"context"
	"testing"

	"go.uber.org/goleak"
)

// TestRealSidesLeakNothing runs every case once, real side included, and
// checks that every listener, server, connection and goroutine they
// started is gone (goleak retries for a while, so goroutines that are
// already exiting are not reported).
func TestRealSidesLeakNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real loopback experiments (~3s)")
	}
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	rows, err := Run(context.Background(), All(), Options{Runs: 1, Reps: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r.Status) >= 6 && r.Status[:6] == "error:" {
			t.Errorf("%s %s: %s", r.Name, r.Metric, r.Status)
		}
	}
}

// TestPoolRealClosedForm checks the real Transport against the counts that
// follow from tryPutIdleConn and queueForDial (src/net/http/transport.go,
// go1.26), so that the real harness is known to measure what it claims: B
// bursts of C concurrent requests with at most I idle conns kept and at
// most M conns per host (M = C when unlimited) make M dials in the first
// burst and M - min(I, M) in each later one.
func TestPoolRealClosedForm(t *testing.T) {
	if testing.Short() {
		t.Skip("real loopback experiment")
	}
	for _, ps := range poolSettings {
		idle := ps.MaxIdleConnsPerHost
		if idle == 0 {
			idle = 2 // DefaultMaxIdleConnsPerHost
		}
		m := ps.MaxConnsPerHost
		if m == 0 {
			m = ps.Concurrency
		}
		dials := m + (ps.Bursts-1)*(m-min(idle, m))
		got, detail, err := poolReal(context.Background(), ps)
		if err != nil {
			t.Fatal(err)
		}
		if int(got[0]) != dials || int(got[1]) != ps.Bursts*ps.Concurrency-dials {
			t.Errorf("%s: %s; want %d dials", ps.name, detail, dials)
		}
	}
}
