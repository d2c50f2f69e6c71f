package scenarios

import (
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/model/mmc"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

func init() {
	scenario.Register(scenario.New("mmc",
		"the textbook M/M/c queue on the kernel alone, checked against Erlang C and Little's law",
		func() MMCConfig {
			return MMCConfig{Servers: 4, Load: OpenLoop{Rate: 3200}, ServiceMean: time.Millisecond,
				Run: scenario.Run{Duration: 60 * time.Second}, Warmup: 5 * time.Second}
		},
		func(e *sim.Engine, c *MMCConfig, _ *scenario.Env) (scenario.Model, error) {
			if c.Warmup >= c.Duration {
				return nil, fmt.Errorf("warmup (%v) must be shorter than duration (%v): nothing would be measured", c.Warmup, c.Duration)
			}
			q := mmc.New(e, mmc.Config{Servers: c.Servers, Rate: c.Load.Rate, ServiceMean: c.ServiceMean, Duration: c.Duration, Warmup: c.Warmup})
			return &mmcModel{q: q, end: sim.Time(c.Duration)}, nil
		}))
}

// MMCConfig is an M/M/c queue: Poisson arrivals, exponential service, c
// servers.
type MMCConfig struct {
	Servers     int `key:"servers" min:"1" max:"1e6" help:"number of servers (c)"`
	Load        OpenLoop
	ServiceMean time.Duration `key:"service.mean" min:"1" max:"1e12" help:"mean of the exponential service time"`
	scenario.Run
	Warmup time.Duration `key:"warmup" min:"0" max:"1e13" help:"statistics are reset at this time"`
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

// mmcMetrics are the queue's results after the warm-up.
type mmcMetrics struct {
	Completed   float64 `metric:"completed" unit:"{req}"`
	Throughput  float64 `metric:"throughput_rps" unit:"req/s"`
	LatencyMean float64 `metric:"latency_mean_ns" unit:"ns"`
	LatencyP50  float64 `metric:"latency_p50_ns" unit:"ns"`
	LatencyP99  float64 `metric:"latency_p99_ns" unit:"ns"`
	WaitMean    float64 `metric:"wait_mean_ns" unit:"ns"`
	QueueMean   float64 `metric:"queue_mean" unit:"{req}"`
	InSysMean   float64 `metric:"in_system_mean" unit:"{req}"`
	Utilization float64 `metric:"utilization" unit:"1"`
}

func (m *mmcModel) Metrics() []scenario.Metric {
	s := m.q.Stats()
	return scenario.MetricsOf(mmcMetrics{
		Completed: float64(s.Completed), Throughput: s.Throughput,
		LatencyMean: s.LatencyMean, LatencyP50: s.LatencyP50, LatencyP99: s.LatencyP99,
		WaitMean: s.WaitMean, QueueMean: s.QueueMean, InSysMean: s.InSysMean, Utilization: s.Utilization,
	})
}

func (m *mmcModel) Probes() []string { return []string{"queue", "in_system", "completed"} }

func (m *mmcModel) ProbeUnits() []string { return []string{"{req}", "{req}", "{req}"} }

func (m *mmcModel) Probe(row []float64) {
	s := m.q.Stats()
	row[0], row[1], row[2] = 0, 0, float64(s.Completed)
	row[0] = m.q.QueueLen()
	row[1] = m.q.InSystem()
}
