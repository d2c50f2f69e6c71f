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

// gcSetting: a real server at GOMAXPROCS=1 and GOGC pinned to CPU 0 whose
// handler allocates Alloc bytes per request (pointer-free, nothing kept
// live), loaded open-loop at Rate from a client pinned to CPU 1. Its own
// runtime/metrics give the GC cycles per second and the GC's share of the
// CPU (/cpu/classes/gc/total over /cpu/classes/total, the runtime's
// definition, as GCCPUFraction). The simulated side is the `throughput`
// scenario with handler.kind=json allocating the same bytes at the same
// rate and GOGC (model/gc: the pacer's heap minimum, goal and trigger, a
// cycle's scan work at gc.scan.rate plus gc.cycle.cpu), given the real
// server program's own heap as input: its scannable heap (heap.live), its
// pointer-free live heap (heap.live.noscan) and its scannable globals
// (gc.globals), from calibrate's run of the same server when a calibration
// is given, else the figures measured here (realServerHeap). gc.scan.rate
// and gc.cycle.cpu are measured on the GOGC=100 setting (README, fitted
// constants): that row is marked fitted.
type gcHeap struct{ scan, noscan, globals float64 }

// realServerHeap is the server child's heap as its runtime/metrics gave it
// on this VM (go1.26.8, 3 runs at GOGC=100: /gc/scan/heap 460–473 KB,
// /gc/heap/live 855–1056 KB, /gc/scan/globals 414 KB): what the real
// program keeps, an input of the experiment like the 64 KiB it allocates.
var realServerHeap = gcHeap{scan: 470e3, noscan: 385e3, globals: 414e3}

type gcSetting struct {
	name  string
	GOGC  int
	Rate  float64
	Alloc int
	Span  time.Duration
}

var gcSettings = []gcSetting{
	{name: "GOGC-50", GOGC: 50, Rate: 500, Alloc: 64 << 10, Span: 2 * time.Second},
	{name: "GOGC-100", GOGC: 100, Rate: 500, Alloc: 64 << 10, Span: 2 * time.Second},
	{name: "GOGC-200", GOGC: 200, Rate: 500, Alloc: 64 << 10, Span: 2 * time.Second},
}

func gcCases() []*Case {
	var out []*Case
	for _, gs := range gcSettings {
		gs := gs
		fitted := ""
		if gs.GOGC == 100 {
			fitted = "gc.scan.rate and gc.cycle.cpu (model/gc DefaultScanRate, DefaultCycleCPU, or calibrate's gc_scan_rate, gc_cycle_cpu), measured on the GC CPU per cycle of this setting"
		}
		out = append(out, &Case{
			Name: "gc/" + gs.name,
			Doc: fmt.Sprintf("GOMAXPROCS=1 server pinned to CPU 0, GOGC=%d, %d B allocated per request at %.0f req/s: GC cycles per second and GC CPU share (runtime/metrics)",
				gs.GOGC, gs.Alloc, gs.Rate),
			Metrics: []string{"cycles_per_s", "gc_cpu_share"},
			// Cycles follow from the pacer: within 10%; the CPU share
			// within 25% (its per-cycle cost moves with the machine).
			Rules:         []Rule{EquivRel(0.10), EquivRel(0.25)},
			Fitted:        fitted,
			LoadDependent: true,
			Real:          func(ctx context.Context, run int) ([]float64, string, error) { return gcReal(ctx, gs, run) },
			Sim: func(ctx context.Context, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
				d := 2 * gs.Span
				h := realServerHeap
				if cal != nil && cal.GCScanRate > 0 {
					h = gcHeap{cal.GCHeapScan, cal.GCHeapNoscan, cal.GCGlobals}
				}
				b := func(x float64) string { return strconv.FormatInt(int64(x), 10) }
				v, err := runScenario("throughput", []string{"GOMAXPROCS=1", "GOGC=" + strconv.Itoa(gs.GOGC), "handler.kind=json",
					"handler.alloc=" + strconv.Itoa(gs.Alloc), "load.rate=" + strconv.FormatFloat(gs.Rate, 'f', -1, 64), "duration=" + d.String(),
					"heap.live=" + b(h.scan), "heap.live.noscan=" + b(h.noscan), "gc.globals=" + b(h.globals)},
					[]string{"gc_cycles", "gc_cpu_fraction", "gc_heap_goal_bytes"}, rep, cal)
				if err != nil {
					return nil, "", err
				}
				cps := v[0] / d.Seconds()
				per := 0.0
				if v[0] > 0 {
					per = v[1] * d.Seconds() / v[0] * 1e6
				}
				return []float64{cps, v[1]}, fmt.Sprintf("%.0f µs of GC CPU per cycle, goal %.0f KB", per, v[2]/1e3), nil
			},
		})
	}
	return out
}

func gcReal(ctx context.Context, gs gcSetting, run int) ([]float64, string, error) {
	if err := child.Available(); err != nil {
		return nil, "", fmt.Errorf("%w (%v)", ErrRealNotAvailable, err)
	}
	srv, err := child.StartServer(ctx, child.ServerConfig{CPU: 0, GOMAXPROCS: 1, GOGC: gs.GOGC})
	if err != nil {
		if errors.Is(err, child.ErrUnavailable) {
			return nil, "", fmt.Errorf("%w (%v)", ErrRealNotAvailable, err)
		}
		return nil, "", err
	}
	r, err := child.RunClient(ctx, child.ClientConfig{CPU: 1, Addr: srv.Addr, Rate: gs.Rate, Alloc: gs.Alloc, Span: gs.Span, Conns: 8, Seed: uint64(run + 1)})
	st, serr := srv.Stop()
	if err != nil {
		return nil, "", err
	}
	if serr != nil {
		return nil, "", serr
	}
	if st.WallSeconds <= 0 || st.TotalCPU <= 0 {
		return nil, "", fmt.Errorf("server child reported no time: %+v", st)
	}
	per := 0.0
	if st.GCCycles > 0 {
		per = st.GCCPU / st.GCCycles * 1e6
	}
	return []float64{st.GCCycles / st.WallSeconds, st.GCCPU / st.TotalCPU},
		fmt.Sprintf("%.0f req/s, %.0f µs of GC CPU per cycle (pause %.0f, assist %.0f, mark %.0f), %.1f MB/s allocated, heap live %.0f KB, goal %.0f KB, %.0f KB allocated per cycle, scannable heap %.0f KB, stacks %.0f KB, globals %.0f KB",
			r.Rate, per, st.GCPause/max(1, st.GCCycles)*1e6, st.GCMarkAssist/max(1, st.GCCycles)*1e6, st.GCMarkBg/max(1, st.GCCycles)*1e6,
			st.AllocBytes/st.WallSeconds/1e6, st.HeapLive/1e3, st.HeapGoal/1e3, st.AllocBytes/max(1, st.GCCycles)/1e3,
			st.ScanHeap/1e3, st.ScanStack/1e3, st.ScanGlobals/1e3), nil
}
