package validate

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
)

// throughputSetting: hello-world throughput at GOMAXPROCS=2 over
// GOMAXPROCS=1, the client on the same machine (as with wrk in
// measured-here.md: on a 2-core box the client competes for the second
// core, so the real ratio is near 1, not 2).
type throughputSetting struct {
	Conns  int
	Warmup time.Duration
	Span   time.Duration
}

var throughput = throughputSetting{Conns: 32, Warmup: 50 * time.Millisecond, Span: 800 * time.Millisecond}

func throughputCase() *Case {
	t := throughput
	return &Case{
		Name:    "throughput/GOMAXPROCS-2-over-1",
		Doc:     fmt.Sprintf("hello-world req/s at GOMAXPROCS=2 divided by req/s at GOMAXPROCS=1, %d keep-alive conns, %v each", t.Conns, t.Span),
		Metrics: []string{"ratio"},
		// Loopback throughput on a shared VM moves by several percent
		// from run to run: equivalent within 10% of the real ratio.
		Rules:         []Rule{EquivRel(0.10)},
		LoadDependent: true,
		MinRuns:       5,
		Real:          func(ctx context.Context, run int) ([]float64, string, error) { return throughputReal(ctx, t) },
		Sim: func(ctx context.Context, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
			return throughputSim(ctx, t, rep, cal)
		},
	}
}

// helloHandler is the hello-world handler of the throughput and calibration
// experiments.
func helloHandler(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello, world\n") }

func throughputReal(ctx context.Context, t throughputSetting) ([]float64, string, error) {
	old := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(old)
	srv, err := startServer(&http.Server{Handler: http.HandlerFunc(helloHandler)})
	if err != nil {
		return nil, "", err
	}
	defer srv.Close()
	// ABBA order (1, 2, 2, 1 Ps, half the span each) cancels a linear
	// drift of the machine's load across the run.
	var reqs [2]int
	var wall [2]time.Duration
	for _, procs := range []int{1, 2, 2, 1} {
		runtime.GOMAXPROCS(procs)
		if _, _, err := calibrate.Drive(ctx, srv.Addr, "/", t.Conns, 0, t.Warmup); err != nil {
			return nil, "", err
		}
		n, w, err := calibrate.Drive(ctx, srv.Addr, "/", t.Conns, 0, t.Span/2)
		if err != nil {
			return nil, "", err
		}
		reqs[procs-1] += n
		wall[procs-1] += w
	}
	rps := [2]float64{float64(reqs[0]) / wall[0].Seconds(), float64(reqs[1]) / wall[1].Seconds()}
	return []float64{rps[1] / rps[0]}, fmt.Sprintf("%.0f req/s at 1 P, %.0f at 2 (client in-process)", rps[0], rps[1]), nil
}

// throughputSim is the simulated side: the `throughput` scenario of
// model/httpserver (hello handler, the same number of closed-loop
// keep-alive clients as the real run, no think time, so both runs
// saturate) at GOMAXPROCS=1 and 2 with the same seed; the ratio of their
// throughput_rps. The host model (model/host) puts the Ps and the load
// generator on this machine's cores (host.cores = NumCPU, client.onhost,
// client.cpu from the calibration's client_cpu, else the scenario's
// default, an assumption), as the real in-process client competes for
// them. Without the host the model gave each P a whole core and a ratio of
// 1.99 where real Go gives ~1.0 on 2 cores.
func throughputSim(ctx context.Context, t throughputSetting, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
	var rps [2]float64
	for i, procs := range []string{"1", "2"} {
		v, err := runScenario("throughput", []string{"handler.kind=hello", "GOMAXPROCS=" + procs,
			"load.rate=0", "load.clients=" + strconv.Itoa(t.Conns), "duration=" + throughputSimSpan.String(),
			"host.cores=" + strconv.Itoa(runtime.NumCPU()), "client.onhost=true"},
			[]string{"throughput_rps"}, rep, cal)
		if err != nil {
			return nil, "", err
		}
		rps[i] = v[0]
	}
	if rps[0] <= 0 {
		return nil, "", fmt.Errorf("throughput scenario served nothing at GOMAXPROCS=1")
	}
	return []float64{rps[1] / rps[0]}, fmt.Sprintf("%.0f req/s at 1 P, %.0f at 2", rps[0], rps[1]), nil
}

// throughputSimSpan of simulated time is ~30K requests at 1 P: enough for
// the ratio to 1%.
const throughputSimSpan = 300 * time.Millisecond
