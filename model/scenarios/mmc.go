package scenarios

import (
	"fmt"

	"github.com/gohttpsim/gohttpsim/model/mmc"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

func init() {
	scenario.Register(&scenario.Scenario{
		Name:    "mmc",
		Summary: "the textbook M/M/c queue on the kernel alone, checked against Erlang C and Little's law",
		Params: []scenario.Param{
			{Key: "servers", Kind: scenario.Int, Default: "4", Help: "number of servers (c)", Min: 1, Max: 1e6},
			{Key: "load.rate", Kind: scenario.Float, Default: "3200", Help: "Poisson arrivals per second", Min: 0, Max: 1e9},
			{Key: "service.mean", Kind: scenario.Duration, Default: "1ms", Help: "mean of the exponential service time", Min: 1, Max: 1e12},
			scenario.DurationParam("60s"),
			{Key: "warmup", Kind: scenario.Duration, Default: "5s", Help: "statistics are reset at this time", Max: 1e13},
		},
		Build: func(e *sim.Engine, p *scenario.Values, _ *scenario.Env) (scenario.Model, error) {
			if p.Duration("warmup") >= p.Duration("duration") {
				return nil, fmt.Errorf("warmup (%v) must be shorter than duration (%v): nothing would be measured", p.Duration("warmup"), p.Duration("duration"))
			}
			q := mmc.New(e, mmc.Config{
				Servers:     p.Int("servers"),
				Rate:        p.Float("load.rate"),
				ServiceMean: p.Duration("service.mean"),
				Duration:    p.Duration("duration"),
				Warmup:      p.Duration("warmup"),
			})
			return &mmcModel{q: q, end: sim.Time(p.Duration("duration"))}, nil
		},
	})
}

type mmcModel struct {
	q   *mmc.Queue
	end sim.Time
}

func (m *mmcModel) End() sim.Time { return m.end }

// Conservation implements the request accounting checked for every
// scenario: customers arrived = departed + waiting + in service (none fail).
func (m *mmcModel) Conservation() (arrived, completed, failed uint64, inFlight int) {
	a, d, w, b := m.q.Counts()
	return a, d, 0, w + b
}

func (m *mmcModel) Metrics() []scenario.Metric {
	s := m.q.Stats()
	return []scenario.Metric{
		{Name: "completed", Value: float64(s.Completed)},
		{Name: "throughput_rps", Value: s.Throughput},
		{Name: "latency_mean_ns", Value: s.LatencyMean},
		{Name: "latency_p50_ns", Value: s.LatencyP50},
		{Name: "latency_p99_ns", Value: s.LatencyP99},
		{Name: "wait_mean_ns", Value: s.WaitMean},
		{Name: "queue_mean", Value: s.QueueMean},
		{Name: "in_system_mean", Value: s.InSysMean},
		{Name: "utilization", Value: s.Utilization},
	}
}

func (m *mmcModel) Probes() []string { return []string{"queue", "in_system", "completed"} }

func (m *mmcModel) Probe(row []float64) {
	s := m.q.Stats()
	row[0], row[1], row[2] = 0, 0, float64(s.Completed)
	row[0] = m.q.QueueLen()
	row[1] = m.q.InSystem()
}
