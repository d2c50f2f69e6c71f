package validate

import (
	"context"
	"strings"
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
	// One goprog, cpubound, gc, dbpool and downstream case stands for each family (each runs
	// for seconds; the latter two start child processes).
	var cases []*Case
	for _, c := range All() {
		switch {
		case strings.HasPrefix(c.Name, "goprog/"):
			if c.Name != "goprog/runnext" {
				continue
			}
		case strings.HasPrefix(c.Name, "cpubound/"):
			if c.Name != "cpubound/busy-20" {
				continue
			}
		case strings.HasPrefix(c.Name, "gc/"):
			if c.Name != "gc/GOGC-100" {
				continue
			}
		case strings.HasPrefix(c.Name, "dbpool/"):
			if c.Name != "dbpool/above-knee" { // overload: cancelled requests, queued pool waiters
				continue
			}
		case strings.HasPrefix(c.Name, "downstream/"):
			if c.Name != "downstream/MaxIdleConnsPerHost-2" { // the Transport's dial churn
				continue
			}
		}
		cases = append(cases, c)
	}
	rows, err := Run(context.Background(), cases, Options{Runs: 1, Reps: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r.Status) >= 6 && r.Status[:6] == "error:" {
			t.Errorf("%s %s: %s", r.Name, r.Metric, r.Status)
		}
	}
}

// TestPoolRealClosedForm checks the real Transport where the counts follow
// from tryPutIdleConn and queueForDial (src/net/http/transport.go, go1.26),
// so that the real harness is known to measure what it claims: with room
// for every client's conn in the idle pool, each client dials once; with
// MaxConnsPerHost=M and more clients than M, the M conns are handed from
// waiter to waiter and never more are dialed. (With a big idle pool a few
// more dials than clients happen when a request's own dial loses the race
// to a conn released meanwhile; the lost dial is still pooled.)
func TestPoolRealClosedForm(t *testing.T) {
	if testing.Short() {
		t.Skip("real loopback experiment")
	}
	for _, ps := range poolSettings {
		var want int
		switch {
		case ps.MaxConnsPerHost > 0 && ps.MaxConnsPerHost < ps.Clients:
			want = ps.MaxConnsPerHost
		case ps.MaxIdleConnsPerHost >= ps.Clients:
			want = ps.Clients
		default:
			continue // varies from run to run: that is what the band is for
		}
		got, _, err := poolReal(context.Background(), ps)
		if err != nil {
			t.Fatal(err)
		}
		exact := ps.MaxConnsPerHost > 0
		if exact && (int(got[0]) != want || int(got[1]) != ps.Clients*ps.Requests-want) ||
			!exact && (int(got[0]) < want || int(got[0]) > 2*want || int(got[1]) < ps.Clients*ps.Requests-int(got[0])) {
			t.Errorf("%s: %v dials, %v reused; want %d dials", ps.name, got[0], got[1], want)
		}
	}
}
