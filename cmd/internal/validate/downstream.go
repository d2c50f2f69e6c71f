package validate

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
)

// downstreamSetting: a real net/http server whose handler calls a real
// downstream net/http server (its handler sleeps Service) through one real
// http.Transport with MaxIdleConnsPerHost=IdlePerHost (0: Go's default, 2),
// loaded open-loop (Poisson) at Rate by an in-process client for Span.
// Dials are the connections the downstream accepted (http.Server.ConnState
// StateNew). The simulated side is the `throughput` scenario with
// handler.sequence=http(Service), backend.workers=0 (the real downstream
// serves every request at once), backend.latency=downstreamRTT (an
// assumption: loopback round trip under this load, not fitted),
// Transport.MaxIdleConnsPerHost=IdlePerHost.
type downstreamSetting struct {
	name        string
	IdlePerHost int
	Service     time.Duration
	Rate        float64
	Span        time.Duration
}

// downstreamRTT is the simulated round trip to the backend: loopback's
// ~50 µs plus the Transport's and the downstream server's per-request
// work, stated here before any run.
const downstreamRTT = 100 * time.Microsecond

var downstreamSettings = []downstreamSetting{
	{name: "MaxIdleConnsPerHost-2", IdlePerHost: 0, Service: time.Millisecond, Rate: 500, Span: 2 * time.Second},
	{name: "MaxIdleConnsPerHost-100", IdlePerHost: 100, Service: time.Millisecond, Rate: 500, Span: 2 * time.Second},
}

func downstreamCases() []*Case {
	var out []*Case
	for _, s := range downstreamSettings {
		s := s
		out = append(out, &Case{
			Name: "downstream/" + s.name,
			Doc: fmt.Sprintf("handler calls a real downstream (sleeps %v) through http.Transport, MaxIdleConnsPerHost=%d, Poisson load %.0f req/s for %v: downstream dials, p50 and p99 in ms",
				s.Service, max(2, s.IdlePerHost), s.Rate, s.Span),
			Metrics: []string{"dials", "p50_ms", "p99_ms"},
			// Chosen before any run: dials within 30%, p50 within 25%,
			// p99 within 35%.
			Rules:         []Rule{EquivRel(0.30), EquivRel(0.25), EquivRel(0.35)},
			LoadDependent: true,
			Real:          func(ctx context.Context, run int) ([]float64, string, error) { return downstreamReal(ctx, s, run) },
			Sim: func(ctx context.Context, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
				v, err := runScenario("throughput", []string{"handler.kind=sequence", "handler.sequence=http(" + s.Service.String() + ")",
					"backend.workers=0", "backend.latency=" + downstreamRTT.String(),
					"Transport.MaxIdleConnsPerHost=" + strconv.Itoa(s.IdlePerHost),
					"load.rate=" + strconv.FormatFloat(s.Rate, 'f', -1, 64), "duration=" + s.Span.String()},
					[]string{"backend_dials", "latency_p50_ns", "latency_p99_ns", "backend_reused", "throughput_rps"}, rep, cal)
				if err != nil {
					return nil, "", err
				}
				return []float64{v[0], v[1] / 1e6, v[2] / 1e6}, fmt.Sprintf("reused %.0f, %.0f req/s", v[3], v[4]), nil
			},
		})
	}
	return out
}

func downstreamReal(ctx context.Context, s downstreamSetting, run int) ([]float64, string, error) {
	var dials atomic.Int64
	down, err := startServer(&http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(s.Service)
			io.WriteString(w, "ok\n")
		}),
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				dials.Add(1)
			}
		},
	})
	if err != nil {
		return nil, "", err
	}
	defer down.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: s.IdlePerHost}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr}
	downURL := "http://" + down.Addr + "/"
	res, err := serveOpenLoop(ctx, http.StatusBadGateway, func(r *http.Request) error {
		req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, downURL, nil)
		if err == nil {
			var resp *http.Response
			if resp, err = cl.Do(req); err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		return err
	}, s.Rate, s.Span, run)
	if err != nil {
		return nil, "", err
	}
	return []float64{float64(dials.Load()), float64(res.P50) / 1e6, float64(res.P99) / 1e6},
		fmt.Sprintf("sent %d, %.0f req/s served", res.Sent, res.Rate), nil
}
