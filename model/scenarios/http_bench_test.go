package scenarios

import (
	"testing"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

func benchScenario(b *testing.B, name string, sets ...string) {
	sc := scenario.Lookup(name)
	v, err := scenario.Parse(sc.Params, sets)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var r *scenario.Rep
	for b.Loop() {
		r, err = scenario.RunOne(sc, v, 1, scenario.Options{})
		if err != nil {
			b.Fatal(err)
		}
	}
	done, _ := r.Metric("completed")
	b.ReportMetric(float64(r.Events)/done, "events/req")
	b.ReportMetric(float64(r.Events)/b.Elapsed().Seconds()*float64(b.N), "events/s")
}

// One simulated second of hello-world at 1,000,000 req/s on GOMAXPROCS=8
// (server.cpu=6us: the reference page's 150K/core, so that 8 Ps keep up;
// at the calibrated 8.8 µs they saturate near 790K/s). Goal: ≤ 2 s wall on
// one core.
func BenchmarkThroughputMillionRPS(b *testing.B) {
	benchScenario(b, "throughput", "GOMAXPROCS=8", "load.rate=1000000", "server.cpu=6us", "Transport.MaxConnsPerHost=4096")
}

// The million scenario at its defaults. Goal: ≤ 60 s wall, ≤ 1 GB RSS.
func BenchmarkMillion(b *testing.B) {
	if testing.Short() {
		b.Skip("slow")
	}
	benchScenario(b, "million")
}

// The same on a host of 8 cores under a 7.5-core quota (model/host): run
// beside BenchmarkThroughputMillionRPS, the ratio is the host model's cost.
func BenchmarkThroughputMillionRPSOnHost(b *testing.B) {
	benchScenario(b, "throughput", "GOMAXPROCS=8", "load.rate=1000000", "server.cpu=6us", "Transport.MaxConnsPerHost=4096", "host.cores=8", "host.cpu.quota=7.5")
}
