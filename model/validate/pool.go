package validate

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gohttpsim/gohttpsim/model/calib"
)

// poolSetting is one http.Transport configuration exercised by bursts of
// concurrent requests.
type poolSetting struct {
	name                string
	MaxIdleConnsPerHost int // 0: DefaultMaxIdleConnsPerHost (2)
	MaxConnsPerHost     int // 0: unlimited
	Concurrency         int // requests in flight per burst
	Bursts              int
	// Service is how long the handler holds each request, long enough that
	// a burst's requests overlap (so the count of dials does not depend on
	// goroutine start-up jitter).
	Service time.Duration
	// Gap separates bursts, long enough for every conn to be back in the
	// pool (or closed) before the next burst.
	Gap time.Duration
}

var poolSettings = []poolSetting{
	{name: "default", Concurrency: 16, Bursts: 3, Service: 20 * time.Millisecond, Gap: 30 * time.Millisecond},
	{name: "maxidle16", MaxIdleConnsPerHost: 16, Concurrency: 16, Bursts: 3, Service: 20 * time.Millisecond, Gap: 30 * time.Millisecond},
	{name: "maxconns4", MaxConnsPerHost: 4, Concurrency: 16, Bursts: 3, Service: 5 * time.Millisecond, Gap: 30 * time.Millisecond},
	{name: "maxconns4-maxidle4", MaxIdleConnsPerHost: 4, MaxConnsPerHost: 4, Concurrency: 16, Bursts: 3, Service: 5 * time.Millisecond, Gap: 30 * time.Millisecond},
}

func poolCases() []*Case {
	var out []*Case
	for _, ps := range poolSettings {
		ps := ps
		out = append(out, &Case{
			Name: "pool/" + ps.name,
			Doc: fmt.Sprintf("http.Transport{MaxIdleConnsPerHost:%d, MaxConnsPerHost:%d}: %d bursts of %d concurrent GETs; dials and reused conns",
				ps.MaxIdleConnsPerHost, ps.MaxConnsPerHost, ps.Bursts, ps.Concurrency),
			Metrics: []string{"dials", "reused"},
			Real:    func(ctx context.Context, run int) ([]float64, string, error) { return poolReal(ctx, ps) },
			Sim: func(ctx context.Context, rep int, cal *calib.Calibration) ([]float64, string, error) {
				return poolSim(ctx, ps, rep, cal)
			},
		})
	}
	return out
}

// poolReal runs the bursts against a real server with a real Transport
// and counts dials (DialContext calls) and reused conns (httptrace
// GotConnInfo.Reused).
func poolReal(ctx context.Context, ps poolSetting) ([]float64, string, error) {
	srv, err := startServer(&http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(ps.Service)
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
	url := "http://" + srv.Addr + "/"
	for b := 0; b < ps.Bursts; b++ {
		var wg sync.WaitGroup
		errs := make(chan error, ps.Concurrency)
		for i := 0; i < ps.Concurrency; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), "GET", url, nil)
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
			}()
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			return nil, "", err
		}
		time.Sleep(ps.Gap)
	}
	n := ps.Bursts * ps.Concurrency
	return []float64{float64(dials.Load()), float64(reused.Load())},
		fmt.Sprintf("%s: %d requests, %d dials, %d reused", ps.name, n, dials.Load(), reused.Load()), nil
}

// poolSim is the simulated side: the `pool` scenario of model/transport
// with the same Transport settings.
func poolSim(ctx context.Context, ps poolSetting, rep int, cal *calib.Calibration) ([]float64, string, error) {
	return nil, "", fmt.Errorf("%w (model/transport: pool scenario)", ErrModelNotAvailable)
}
