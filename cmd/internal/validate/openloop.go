package validate

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// openLoopResult is what an in-process open-loop run saw: requests that
// completed within the span, and their latencies.
type openLoopResult struct {
	Sent, Done int
	Rate       float64 // completed within the span / span
	P50, P99   time.Duration
}

// openLoop sends Poisson arrivals at rate req/s to url for span (seeded by
// seed), each on its own goroutine through one keep-alive Transport, and
// cancels whatever is still outstanding at the end of the span (those
// requests neither count nor fail the run). Latency is timed
// from the arrival's scheduled time, so a late sender counts against the
// server, as an open-loop client must (no coordinated omission). Only
// requests that complete within the span count, as the simulator's
// throughput scenario counts completions within its duration.
func openLoop(ctx context.Context, url string, rate float64, span time.Duration, seed uint64) (openLoopResult, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: 4096, MaxIdleConns: 4096}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr}
	rng := rand.New(rand.NewPCG(seed, 0x6f70656e6c6f6f70))
	var (
		mu    sync.Mutex
		lat   []time.Duration
		errs  int
		first error
		wg    sync.WaitGroup
	)
	start := time.Now()
	end := start.Add(span)
	rctx, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	t := start
	sent := 0
	for {
		t = t.Add(time.Duration(rng.ExpFloat64() / rate * 1e9))
		if !t.Before(end) {
			break
		}
		if d := time.Until(t); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				wg.Wait()
				return openLoopResult{}, ctx.Err()
			}
		}
		sent++
		wg.Add(1)
		go func(at time.Time) {
			defer wg.Done()
			req, err := http.NewRequestWithContext(rctx, http.MethodGet, url, nil)
			if err != nil {
				panic(err) // a fixed, valid URL
			}
			resp, err := cl.Do(req)
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err == nil && resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("status %s", resp.Status)
				}
			}
			now := time.Now()
			mu.Lock()
			defer mu.Unlock()
			if err != nil && now.Before(end) && rctx.Err() == nil {
				errs++
				if first == nil {
					first = err
				}
				return
			}
			if err == nil && now.Before(end) {
				lat = append(lat, now.Sub(at))
			}
		}(t)
	}
	wg.Wait()
	if errs > 0 {
		return openLoopResult{}, fmt.Errorf("%d of %d requests failed, first: %w", errs, sent, first)
	}
	if len(lat) == 0 {
		return openLoopResult{}, fmt.Errorf("no request completed within %v", span)
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(math.Ceil(p*float64(len(lat))))-1)] }
	return openLoopResult{Sent: sent, Done: len(lat), Rate: float64(len(lat)) / span.Seconds(), P50: q(0.50), P99: q(0.99)}, nil
}

// serveOpenLoop serves every request on a loopback server with do (an
// error answers status with its text, success "ok") and drives the server
// with openLoop at rate for span, seeded by the run: what the cases that
// put a downstream behind the handler (dbpool, downstream) share.
func serveOpenLoop(ctx context.Context, status int, do func(*http.Request) error, rate float64, span time.Duration, run int) (openLoopResult, error) {
	srv, err := startServer(&http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := do(r); err != nil {
			http.Error(w, err.Error(), status)
			return
		}
		io.WriteString(w, "ok\n")
	})})
	if err != nil {
		return openLoopResult{}, err
	}
	res, err := openLoop(ctx, "http://"+srv.Addr+"/", rate, span, uint64(run+1))
	if cerr := srv.Close(); err == nil {
		err = cerr
	}
	return res, err
}
