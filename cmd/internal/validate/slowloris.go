package validate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
	"github.com/gohttpsim/gohttpsim/sim/container"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// slowlorisSetting: a client that sends a request's header one byte every
// Trickle never finishes it; the server must cut the conn when
// Server.ReadHeaderTimeout expires, counted from the start of readRequest
// (mirrors net/http.(*conn).readRequest, src/net/http/server.go, go1.26:
// hdrDeadline = t0 + ReadHeaderTimeout, set before the first read).
type slowlorisSetting struct {
	ReadHeaderTimeout time.Duration
	Trickle           time.Duration
}

var slowloris = slowlorisSetting{ReadHeaderTimeout: 300 * time.Millisecond, Trickle: 40 * time.Millisecond}

func slowlorisCase() *Case {
	s := slowloris
	return &Case{
		Name:    "slowloris/ReadHeaderTimeout",
		Doc:     fmt.Sprintf("a header trickled one byte per %v is cut by Server.ReadHeaderTimeout=%v; ms from connect to close", s.Trickle, s.ReadHeaderTimeout),
		Metrics: []string{"cut_ms"},
		// The cut is a timer: the model must place it within 0.5 ms of
		// the real mean (a steady 1 ms offset fails).
		Rules:         []Rule{EquivAbs(0.5)},
		LoadDependent: true,
		MinRuns:       5,
		Real:          func(ctx context.Context, run int) ([]float64, string, error) { return slowlorisReal(ctx, s) },
		Sim: func(ctx context.Context, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
			return slowlorisSim(ctx, s, rep, cal)
		},
	}
}

func slowlorisReal(ctx context.Context, s slowlorisSetting) ([]float64, string, error) {
	srv, err := startServer(&http.Server{
		ReadHeaderTimeout: s.ReadHeaderTimeout,
		Handler:           http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello\n") }),
	})
	if err != nil {
		return nil, "", err
	}
	defer srv.Close()
	conn, err := dialLoopback(ctx, srv.Addr)
	if err != nil {
		return nil, "", err
	}
	defer conn.Close()
	start := time.Now()
	closed := make(chan time.Duration, 1)
	go func() {
		buf := make([]byte, 512)
		for {
			if _, err := conn.Read(buf); err != nil { // EOF or reset: the server cut us
				closed <- time.Since(start)
				return
			}
		}
	}()
	header := []byte("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + string(make([]byte, 0)))
	tick := time.NewTicker(s.Trickle)
	defer tick.Stop()
	limit := time.After(10 * s.ReadHeaderTimeout)
	sent := 0
	for {
		select {
		case d := <-closed:
			return []float64{float64(d) / 1e6}, fmt.Sprintf("cut after %d header bytes", sent), nil
		case <-tick.C:
			b := byte('a')
			if sent < len(header) {
				b = header[sent]
			}
			if _, err := conn.Write([]byte{b}); err == nil {
				sent++
			}
		case <-limit:
			conn.Close()
			<-closed
			return nil, "", errors.New("server did not cut the slow client")
		case <-ctx.Done():
			conn.Close()
			<-closed
			return nil, "", ctx.Err()
		}
	}
}

// slowlorisSim is the simulated side: the `timeouts` scenario of
// model/httpserver with only slowloris clients (no normal load) trickling
// a byte per Trickle against Server.ReadHeaderTimeout, sampled every 100µs
// of simulated time; a connection's lifetime is the time from the sample
// where the server's open-connection count rises to the one where it
// falls (matched first in, first out: every slow conn lives equally long).
func slowlorisSim(ctx context.Context, s slowlorisSetting, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
	sc := scenario.Lookup("timeouts")
	if sc == nil {
		return nil, "", fmt.Errorf("%w (no \"timeouts\" scenario)", ErrModelNotAvailable)
	}
	vals, err := calibrate.ParseWith(sc.Params, cal, []string{"load.rate=0", "slowloris.rate=2", "slowloris.start=0s",
		"slowloris.interval=" + s.Trickle.String(), "Server.ReadHeaderTimeout=" + s.ReadHeaderTimeout.String(), "duration=3s"})
	if pe := (*scenario.ParamError)(nil); errors.As(err, &pe) && errors.Is(err, scenario.ErrUnknownKey) {
		return nil, "", fmt.Errorf("%w (scenario timeouts has no key %s)", ErrModelNotAvailable, pe.Key)
	}
	if err != nil {
		return nil, "", err
	}
	const every = 100 * time.Microsecond
	r, err := scenario.RunOne(sc, vals, scenario.Seed(simSeed, 0, rep), scenario.Options{Every: every})
	if err != nil {
		return nil, "", err
	}
	col := slices.Index(r.SeriesCols, "conns")
	if col < 0 {
		return nil, "", fmt.Errorf("%w (scenario timeouts has no conns probe)", ErrModelNotAvailable)
	}
	var opens container.Queue[float64] // open times of conns still open, oldest first
	var cuts []float64
	prev := 0.0
	for _, row := range r.Series {
		t, n := row[0], row[col]
		for ; prev < n; prev++ {
			opens.Push(t)
		}
		for ; prev > n && opens.Len() > 0; prev-- {
			cuts = append(cuts, (t-opens.Pop())/1e6)
		}
		prev = n
	}
	if len(cuts) == 0 {
		return nil, "", fmt.Errorf("no slowloris connection was cut in the simulated run")
	}
	var sum float64
	for _, c := range cuts {
		sum += c
	}
	closed, _ := r.Metric("closed_header_timeout")
	return []float64{sum / float64(len(cuts))}, fmt.Sprintf("%d conns cut (closed_header_timeout %v), resolution %v", len(cuts), closed, every), nil
}
