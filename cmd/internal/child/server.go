package child

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/metrics"
	"strconv"
	"sync"
	"time"
)

// serverMain is the server role: see the package doc.
func serverMain(args []string) error {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	cpu := fs.Int("cpu", -1, "pin to this CPU")
	live := fs.Int("live", 0, "allocations kept live (a ring)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := pin(*cpu); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var mu sync.Mutex
	ring := make([][]byte, max(1, *live))
	next := 0
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if b, _ := strconv.Atoi(q.Get("b")); b > 0 {
			buf := make([]byte, b)
			buf[0], buf[b-1] = 1, 1
			if *live > 0 {
				mu.Lock()
				ring[next] = buf
				next = (next + 1) % len(ring)
				mu.Unlock()
			}
		}
		ns, _ := strconv.ParseInt(q.Get("ns"), 10, 64)
		busyLoop(time.Duration(ns))
		io.WriteString(w, "ok")
	})}
	before := readStats()
	t0 := time.Now()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	fmt.Println(ln.Addr().String())
	io.Copy(io.Discard, os.Stdin) // the parent closes stdin: stop
	after := readStats()
	srv.Close()
	<-done
	d := after.minus(before)
	d.WallSeconds = time.Since(t0).Seconds()
	// Gauges, not counters: their value at the end.
	d.HeapLive, d.HeapGoal = after.HeapLive, after.HeapGoal
	d.ScanStack, d.ScanHeap, d.ScanGlobals = after.ScanStack, after.ScanHeap, after.ScanGlobals
	return json.NewEncoder(os.Stdout).Encode(d)
}

// busyLoop spins for d of wall time (a CPU-bound handler).
func busyLoop(d time.Duration) {
	if d <= 0 {
		return
	}
	end := time.Now().Add(d)
	for time.Now().Before(end) {
	}
}

var statNames = []string{
	"/gc/cycles/total:gc-cycles",
	"/cpu/classes/gc/total:cpu-seconds",
	"/cpu/classes/gc/mark/assist:cpu-seconds",
	"/cpu/classes/gc/mark/dedicated:cpu-seconds",
	"/cpu/classes/gc/mark/fractional:cpu-seconds",
	"/cpu/classes/gc/mark/idle:cpu-seconds",
	"/cpu/classes/gc/pause:cpu-seconds",
	"/cpu/classes/user:cpu-seconds",
	"/cpu/classes/total:cpu-seconds",
	"/sched/pauses/total/gc:seconds",
	"/gc/heap/live:bytes",
	"/gc/heap/goal:bytes",
	"/gc/heap/allocs:bytes",
	"/gc/scan/stack:bytes",
	"/gc/scan/heap:bytes",
	"/gc/scan/globals:bytes",
}

// readStats reads the runtime's own accounting (runtime/metrics).
func readStats() ServerStats {
	samples := make([]metrics.Sample, len(statNames))
	for i, n := range statNames {
		samples[i].Name = n
	}
	metrics.Read(samples)
	f := func(i int) float64 {
		v := samples[i].Value
		switch v.Kind() {
		case metrics.KindUint64:
			return float64(v.Uint64())
		case metrics.KindFloat64:
			return v.Float64()
		}
		return 0
	}
	var st ServerStats
	st.GCCycles, st.GCCPU, st.GCMarkAssist = f(0), f(1), f(2)
	st.GCMarkBg = f(3) + f(4) + f(5)
	st.GCPause, st.UserCPU, st.TotalCPU = f(6), f(7), f(8)
	if h := samples[9].Value; h.Kind() == metrics.KindFloat64Histogram {
		hist := h.Float64Histogram()
		for i, c := range hist.Counts {
			if c == 0 {
				continue
			}
			// Bucket midpoint (the last bucket's upper bound is +Inf).
			lo, hi := hist.Buckets[i], hist.Buckets[i+1]
			mid := lo
			if hi-lo < 1 {
				mid = (lo + hi) / 2
			}
			st.PauseTotal += float64(c) * mid
			st.Pauses += float64(c)
		}
	}
	st.HeapLive, st.HeapGoal, st.AllocBytes = f(10), f(11), f(12)
	st.ScanStack, st.ScanHeap, st.ScanGlobals = f(13), f(14), f(15)
	return st
}

// minus returns the change from b to a of the cumulative figures.
func (a ServerStats) minus(b ServerStats) ServerStats {
	return ServerStats{GCCycles: a.GCCycles - b.GCCycles, GCCPU: a.GCCPU - b.GCCPU, GCMarkAssist: a.GCMarkAssist - b.GCMarkAssist,
		GCMarkBg: a.GCMarkBg - b.GCMarkBg, GCPause: a.GCPause - b.GCPause, UserCPU: a.UserCPU - b.UserCPU,
		TotalCPU: a.TotalCPU - b.TotalCPU, PauseTotal: a.PauseTotal - b.PauseTotal, Pauses: a.Pauses - b.Pauses,
		AllocBytes: a.AllocBytes - b.AllocBytes, ScanStack: a.ScanStack - b.ScanStack, ScanHeap: a.ScanHeap - b.ScanHeap,
		ScanGlobals: a.ScanGlobals - b.ScanGlobals}
}
