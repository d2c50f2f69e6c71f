package scenarios

import (
	"time"

	"github.com/gohttpsim/gohttpsim/model/httpserver"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// timeouts shows why Server.ReadHeaderTimeout (and friends) matter: normal
// clients open a connection per request while, from slowloris.start, an
// attacker opens slowloris.rate connections per second and trickles a header
// that never ends. Without a header deadline every attack connection keeps
// a goroutine, its stack and buffers and a descriptor forever: goroutines and
// memory grow linearly until the process hits ulimit -n (4096, the kernel's
// default hard limit that Go raises the soft limit to), Accept fails with
// EMFILE, the accept loop backs off (5 ms doubling to 1 s), the accept queue
// fills, SYNs are dropped and the normal clients' requests time out: the
// served rate collapses. With -set Server.ReadHeaderTimeout=5s each attack
// connection lives 5 s, so only rate × 5 s are held and the service
// recovers. The handler sleeps exp(20ms) behind http.TimeoutHandler(100ms),
// so a tail of requests gets 503 while the inner goroutines run on.
// Watch it with run -series timeouts.csv -every 100ms.
func init() {
	scenario.Register(scenario.New("timeouts",
		"slowloris against a net/http server with and without Server.ReadHeaderTimeout; TimeoutHandler 503s",
		func() HTTPConfig {
			c := DefaultHTTPConfig()
			c.Runtime.GOMAXPROCS = 4
			c.Handler.Kind = "sleep"
			c.Handler.Sleep = dist.Exp{M: float64(20 * time.Millisecond)}
			c.Server.TimeoutHandler = 100 * time.Millisecond
			c.Load.Rate = 2000
			c.Client.KeepAlive = false
			c.Client.Timeout = 5 * time.Second
			c.Server.FDLimit = 4096
			c.Slowloris = SlowlorisConfig{Rate: 500, Start: 2 * time.Second, Interval: 10 * time.Second}
			c.Duration = 30 * time.Second
			return c
		},
		func(e *sim.Engine, c *HTTPConfig, _ *scenario.Env) (scenario.Model, error) {
			m, err := buildHTTP(e, c)
			if err != nil {
				return nil, err
			}
			m.extra = func(m *httpModel) []scenario.Metric {
				t := m.totals()
				var lost uint64
				for _, srv := range m.srvs {
					lost += m.net.Overflows(srv.Listener())
				}
				return scenario.MetricsOf(timeoutsMetrics{
					ConnsPeak: float64(t.connsPeak), AcceptEMFILE: float64(t.srv.AcceptEMFILE), SynDrops: float64(lost),
					ClosedHeader: float64(t.srv.Closes[httpserver.CloseHeaderTimeout]),
					ClosedIdle:   float64(t.srv.Closes[httpserver.CloseIdleTimeout]),
					ClosedWrite:  float64(t.srv.Closes[httpserver.CloseWriteTimeout]),
					Status503:    float64(t.srv.Status503), InnerRunning: float64(t.srv.InnerRunning),
					StackPeak: float64(t.stackPeak),
				})
			}
			return m, nil
		}))
}

// timeoutsMetrics are the server's limits and timeouts at work.
type timeoutsMetrics struct {
	ConnsPeak    float64 `metric:"conns_peak" unit:"{conn}"`
	AcceptEMFILE float64 `metric:"accept_emfile" unit:"{conn}"`
	SynDrops     float64 `metric:"syn_drops" unit:"{conn}"`
	ClosedHeader float64 `metric:"closed_header_timeout" unit:"{conn}"`
	ClosedIdle   float64 `metric:"closed_idle_timeout" unit:"{conn}"`
	ClosedWrite  float64 `metric:"closed_write_timeout" unit:"{conn}"`
	Status503    float64 `metric:"status_503" unit:"{req}"`
	InnerRunning float64 `metric:"timeout_inner_running" unit:"{G}"`
	StackPeak    float64 `metric:"stack_bytes_peak" unit:"B"`
}
