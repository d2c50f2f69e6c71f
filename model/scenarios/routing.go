package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/model/mux"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// routing shows what ServeMux costs a server: the throughput scenario's
// HTTP stack with a routing step in front of the handler, priced per
// request by model/mux's cost model (calibrated on the real ServeMux) over
// a synthetic table of mux.patterns patterns and requests spread over it.
// The Go 1.22+ tree costs about the same at 10 and 10,000 patterns; the
// pre-1.22 matcher (mux.legacy=true, GODEBUG=httpmuxgo121=1) scans its
// subtree patterns longest first, so its cost grows with the table.
//
// The routing CPU is an empirical distribution of the priced requests,
// so each simulated request draws the cost of one real routing walk.
func init() {
	scenario.Register(scenario.New("routing",
		"throughput with 10 versus 10,000 ServeMux patterns, Go 1.22+ tree versus the pre-1.22 linear scan",
		func() RoutingConfig {
			c := RoutingConfig{HTTPConfig: DefaultHTTPConfig(), Patterns: 10}
			c.Runtime.GOMAXPROCS = 1
			c.Load.Rate = 150000
			c.Duration = time.Second
			return c
		},
		func(e *sim.Engine, c *RoutingConfig, _ *scenario.Env) (scenario.Model, error) {
			cost, err := routeCost(c.Patterns, c.Legacy)
			if err != nil {
				return nil, err
			}
			m, err := buildHTTP(e, &c.HTTPConfig)
			if err != nil {
				return nil, err
			}
			m.hd.WithMiddleware(1, cost)
			m.extra = func(m *httpModel) []scenario.Metric {
				return scenario.MetricsOf(routingMetrics{RouteCPUMean: cost.Mean()})
			}
			return m, nil
		}))
}

// RoutingConfig is the HTTP stack with a ServeMux of Patterns patterns.
type RoutingConfig struct {
	HTTPConfig
	Patterns int  `key:"mux.patterns" min:"1" max:"100000" help:"patterns registered on the ServeMux (synthetic, non-conflicting)"`
	Legacy   bool `key:"mux.legacy" help:"the pre-1.22 matcher (GODEBUG=httpmuxgo121=1)"`
}

// routeSamples is how many synthetic requests are priced per table.
const routeSamples = 512

// routeCost registers n synthetic patterns on a model mux and prices
// routeSamples requests spread over them.
func routeCost(n int, legacy bool) (dist.Dist, error) {
	var m *mux.Mux
	var pats []string
	if legacy {
		m, pats = mux.NewLegacy(), mux.SyntheticLegacyPatterns(n)
	} else {
		m, pats = mux.New(), mux.SyntheticPatterns(n)
	}
	for _, pat := range pats {
		if err := m.Handle(pat); err != nil {
			return nil, fmt.Errorf("routing: synthetic pattern %q: %v", pat, err)
		}
	}
	var b strings.Builder
	b.WriteString("empirical(")
	for i, path := range mux.SyntheticPaths(n, routeSamples) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(int64(m.Cost("GET", path)), 10))
	}
	b.WriteByte(')')
	return dist.ParseDist(b.String())
}

type routingMetrics struct {
	RouteCPUMean float64 `metric:"route_cpu_mean_ns" unit:"ns"`
}
