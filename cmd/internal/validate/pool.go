package validate

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
)

// poolSetting is the workload of the `pool` scenario (issue 5): Clients
// workers each send Requests GETs back to back through one shared
// http.Transport to one host whose handler sleeps Sleep, reading every
// response body to EOF (client.drain_body=true).
type poolSetting struct {
	name                string
	Clients, Requests   int
	Sleep               time.Duration
	MaxIdleConnsPerHost int // 0: DefaultMaxIdleConnsPerHost (2)
	MaxConnsPerHost     int // 0: unlimited
	// MinRuns: with a small idle pool the number of dials depends on how
	// the clients' requests interleave, which depends on the machine's
	// load; the equivalence test needs more runs for power (fixed).
	MinRuns int
	// Rules for conns_dialed and conns_reused.
	Rules []Rule
}

var poolSettings = []poolSetting{
	{name: "MaxIdleConnsPerHost-2", Clients: 50, Requests: 20, Sleep: time.Millisecond, MaxIdleConnsPerHost: 2, MinRuns: 7,
		Rules: []Rule{EquivRel(0.25), EquivRel(0.05)}},
	{name: "MaxIdleConnsPerHost-100", Clients: 50, Requests: 20, Sleep: time.Millisecond, MaxIdleConnsPerHost: 100,
		Rules: []Rule{EquivRel(0.10), EquivRel(0.02)}},
	// MaxConnsPerHost hands the 10 conns from waiter to waiter: exact.
	{name: "MaxConnsPerHost-10", Clients: 50, Requests: 20, Sleep: time.Millisecond, MaxConnsPerHost: 10},
}

// poolFitted: the pool scenario's client.cpu and conn.cpu were fitted to
// this very workload's makespans and dial counts (model/scenarios/pool.go).
const poolFitted = "client.cpu=exp(90us) and conn.cpu=exp(250us) of the pool scenario, fitted to this 50x20 workload on the 2-core VM"

func poolCases() []*Case {
	var out []*Case
	for _, ps := range poolSettings {
		ps := ps
		out = append(out, &Case{
			Name: "pool/" + ps.name,
			Doc: fmt.Sprintf("%d clients x %d back-to-back GETs (handler sleeps %v) through one Transport{MaxIdleConnsPerHost:%d, MaxConnsPerHost:%d}: conns dialed and reused",
				ps.Clients, ps.Requests, ps.Sleep, ps.MaxIdleConnsPerHost, ps.MaxConnsPerHost),
			Metrics:       []string{"conns_dialed", "conns_reused"},
			MinRuns:       ps.MinRuns,
			Rules:         ps.Rules,
			LoadDependent: true,
			Fitted:        poolFitted,
			Real:          func(ctx context.Context, run int) ([]float64, string, error) { return poolReal(ctx, ps) },
			Sim: func(ctx context.Context, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
				v, err := runScenario("pool", ps.sets(), []string{"conns_dialed", "conns_reused", "makespan_ns"}, rep, cal)
				if err != nil {
					return nil, "", err
				}
				return v[:2], fmt.Sprintf("makespan %.0f ms", v[2]/1e6), nil
			},
		})
	}
	return out
}

// sets returns the `pool` scenario parameters of ps.
func (ps poolSetting) sets() []string {
	idle := ps.MaxIdleConnsPerHost
	if idle == 0 {
		idle = 2
	}
	return []string{
		"load.clients=" + strconv.Itoa(ps.Clients),
		"load.requests=" + strconv.Itoa(ps.Requests),
		"handler.sleep=" + ps.Sleep.String(),
		"Transport.MaxIdleConnsPerHost=" + strconv.Itoa(idle),
		"Transport.MaxConnsPerHost=" + strconv.Itoa(ps.MaxConnsPerHost),
	}
}

// poolReal runs the workload against a real server with a real Transport
// and counts dials (DialContext calls) and requests served on a reused conn
// (httptrace GotConnInfo.Reused).
func poolReal(ctx context.Context, ps poolSetting) ([]float64, string, error) {
	srv, err := startServer(&http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(ps.Sleep)
		io.WriteString(w, "hello, world\n")
	})})
	if err != nil {
		return nil, "", err
	}
	defer srv.Close()
	var dials, reused atomic.Int64
	var d net.Dialer
	tr := &http.Transport{
		MaxIdleConnsPerHost: ps.MaxIdleConnsPerHost,
		MaxConnsPerHost:     ps.MaxConnsPerHost,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return d.DialContext(ctx, network, addr)
		},
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
		if i.Reused {
			reused.Add(1)
		}
	}}
	tctx := httptrace.WithClientTrace(ctx, trace)
	start := time.Now()
	url := "http://" + srv.Addr + "/"
	var wg sync.WaitGroup
	errs := make(chan error, ps.Clients)
	for range ps.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range ps.Requests {
				req, err := http.NewRequestWithContext(tctx, "GET", url, nil)
				if err != nil {
					errs <- err
					return
				}
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, resp.Body) // read to EOF: the conn goes back to the pool
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, "", err
	}
	// The makespan shows how loaded the machine was: with a small idle
	// pool, the slower the clients the more often a conn finds the pool
	// full and is closed, and the more dials follow.
	ms := time.Since(start).Milliseconds()
	return []float64{float64(dials.Load()), float64(reused.Load())}, fmt.Sprintf("makespan %d-%d ms", ms/10*10, ms/10*10+10), nil
}
