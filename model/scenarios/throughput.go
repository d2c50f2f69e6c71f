package scenarios

import (
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// throughput answers "how many requests per second, at what latency" for a
// Go HTTP/1.1 server: open-loop clients on keep-alive connections, one
// goroutine per connection on the GMP model, a handler of the chosen kind,
// and the collector. Default costs: net/http's own 8.8 µs per request
// (server.cpu) plus the handler's (handler.cpu), calibrated to the ~103,000
// req/s per core measured on this machine (measured-here.md); the original
// page's 150K/core corresponds to server.cpu≈6us.
func init() {
	scenario.Register(scenario.New("throughput",
		"requests/s and latency of a net/http server on the GMP model: hello, json, db or sleep handlers",
		func() HTTPConfig {
			c := DefaultHTTPConfig()
			c.Runtime.GOMAXPROCS = 4
			c.Load.Rate = 300000
			c.Transport.MaxConnsPerHost = 1024
			return c
		},
		func(e *sim.Engine, c *HTTPConfig, _ *scenario.Env) (scenario.Model, error) {
			m, err := buildHTTP(e, c)
			if err != nil {
				return nil, err
			}
			m.extra = func(m *httpModel) []scenario.Metric {
				t := m.totals()
				st := m.net.Stats()
				return scenario.MetricsOf(throughputMetrics{
					HeapGoal: float64(t.heapGoal), ConnsPeak: float64(t.connsPeak), Dials: float64(st.Dials),
					EventsPerRequest: perReq(m.e.Events(), m.wl.Stats().Completed),
				})
			}
			return m, nil
		}))
}

type throughputMetrics struct {
	HeapGoal         float64 `metric:"gc_heap_goal_bytes" unit:"B"`
	ConnsPeak        float64 `metric:"conns_peak" unit:"{conn}"`
	Dials            float64 `metric:"tcp_dials" unit:"{conn}"`
	EventsPerRequest float64 `metric:"events_per_request" unit:"{event}/{req}"`
}

func perReq(events, done uint64) float64 {
	if done == 0 {
		return 0
	}
	return float64(events) / float64(done)
}

func meanNs(total int64, n int64) float64 {
	if n == 0 {
		return 0
	}
	return float64(total) / float64(n)
}
