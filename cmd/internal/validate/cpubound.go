package validate

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
	"github.com/gohttpsim/gohttpsim/cmd/internal/child"
)

// cpuBoundSetting: a real server at GOMAXPROCS=1 pinned to CPU 0 whose
// handler busy-loops for an exponential time of mean Mean (drawn by the
// client and named in the request), loaded open-loop (Poisson) at Busy of
// its capacity by a client pinned to CPU 1 (cmd/internal/child), for Span.
// Latency is timed from the client's write of each request. The simulated
// side is the `throughput` scenario at GOMAXPROCS=1 with handler.cpu =
// exp(Mean) and load.rate = Busy/Mean; with a calibration file, server.cpu
// comes from hello_cpu and net.rtt from idle_round_trip (no-work requests on
// an idle server: data independent of these loaded rows).
//
// With Procs = 2 the server runs GOMAXPROCS=2 still pinned to one core
// (taskset -c 0), against the scenario with host.cores=1: two Ps whose Ms
// share one CPU (model/host).
type cpuBoundSetting struct {
	name  string
	Busy  float64
	Mean  time.Duration
	Span  time.Duration
	Procs int // server GOMAXPROCS (0: 1)
}

var cpuBoundSettings = []cpuBoundSetting{
	{name: "busy-20", Busy: 0.20, Mean: 200 * time.Microsecond, Span: 3 * time.Second},
	{name: "busy-50", Busy: 0.50, Mean: 200 * time.Microsecond, Span: 3 * time.Second},
	{name: "busy-75", Busy: 0.75, Mean: 200 * time.Microsecond, Span: 3 * time.Second},
	{name: "GOMAXPROCS-2-one-core-busy-50", Busy: 0.50, Mean: 200 * time.Microsecond, Span: 3 * time.Second, Procs: 2},
}

func (cs cpuBoundSetting) procs() int { return max(1, cs.Procs) }

func cpuBoundCases() []*Case {
	var out []*Case
	for _, cs := range cpuBoundSettings {
		cs := cs
		out = append(out, &Case{
			Name: "cpubound/" + cs.name,
			Doc: fmt.Sprintf("GOMAXPROCS=%d server pinned to CPU 0, busy loop of exp(%v) per request, Poisson load at %.0f%% busy from a client pinned to CPU 1: latency p50 and p99 in µs",
				cs.procs(), cs.Mean, cs.Busy*100),
			Metrics: []string{"p50_us", "p99_us"},
			// p50 within 15% of the real median; the tail within 25%.
			Rules:         []Rule{EquivRel(0.15), EquivRel(0.25)},
			LoadDependent: true,
			Real:          func(ctx context.Context, run int) ([]float64, string, error) { return cpuBoundReal(ctx, cs, run) },
			Sim: func(ctx context.Context, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
				v, err := runScenario("throughput", cs.sets(), []string{"latency_p50_ns", "latency_p99_ns", "cpu_utilization"}, rep, cal)
				if err != nil {
					return nil, "", err
				}
				return []float64{v[0] / 1e3, v[1] / 1e3}, fmt.Sprintf("cpu %.2f", v[2]), nil
			},
		})
	}
	return out
}

func (cs cpuBoundSetting) rate() float64 { return cs.Busy / cs.Mean.Seconds() }

func (cs cpuBoundSetting) sets() []string {
	sets := []string{"GOMAXPROCS=" + strconv.Itoa(cs.procs())}
	if cs.procs() > 1 {
		sets = append(sets, "host.cores=1")
	}
	return append(sets, "handler.kind=hello", "handler.cpu=exp("+cs.Mean.String()+")",
		"load.rate="+strconv.FormatFloat(cs.rate(), 'f', -1, 64), "duration="+(2*cs.Span).String())
}

func cpuBoundReal(ctx context.Context, cs cpuBoundSetting, run int) ([]float64, string, error) {
	if err := child.Available(); err != nil {
		return nil, "", fmt.Errorf("%w (%v)", ErrRealNotAvailable, err)
	}
	srv, err := child.StartServer(ctx, child.ServerConfig{CPU: 0, GOMAXPROCS: cs.procs()})
	if err != nil {
		if errors.Is(err, child.ErrUnavailable) {
			return nil, "", fmt.Errorf("%w (%v)", ErrRealNotAvailable, err)
		}
		return nil, "", err
	}
	r, err := child.RunClient(ctx, child.ClientConfig{CPU: 1, Addr: srv.Addr, Rate: cs.rate(), Mean: cs.Mean,
		Span: cs.Span, Conns: 64, Seed: uint64(run + 1)})
	st, serr := srv.Stop()
	if err != nil {
		return nil, "", err
	}
	if serr != nil {
		return nil, "", serr
	}
	cpu := 0.0
	if st.TotalCPU > 0 {
		cpu = st.UserCPU / st.TotalCPU
	}
	return []float64{r.P50 / 1e3, r.P99 / 1e3}, fmt.Sprintf("%.0f req/s, handler busy %.2f, server user CPU %.2f", r.Rate, r.Busy, cpu), nil
}
