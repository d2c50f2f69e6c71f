package calibrate

import (
	"github.com/gohttpsim/gohttpsim/cmd/internal/child"

	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"
)

// MeasureOptions control [Measure].
type MeasureOptions struct {
	// Requests per HTTP measurement (default 20000) after a tenth as many
	// for warm-up; Conns keep-alive conns of the lean client (default 16).
	Requests, Conns int
	// Repeat is how many times each figure is measured (default 3); the
	// lowest is kept, since on a shared machine noise only adds time.
	Repeat int
	// Progress, when set, receives one line per measurement.
	Progress io.Writer
}

// Measure measures this machine's costs with real Go, at GOMAXPROCS=1 (the
// model charges costs per P), and restores GOMAXPROCS afterwards. It takes
// a few seconds and uses loopback only; every server and goroutine it
// starts is stopped before it returns.
//
// Per-request server CPU: the process's CPU time (getrusage) over a run of
// the lean client ([Drive]) against a real net/http server, minus half the
// CPU of the same client against a canned-response TCP server (whose cost
// per request, one read and one write syscall and a goroutine switch, is
// about the client's own). That subtraction is an approximation: it assumes
// client and canned server cost the same; a real handler's CPU beyond that
// is what the server pays. Allocation per request is the difference of
// runtime.MemStats (Mallocs, TotalAlloc) between the two runs.
func Measure(ctx context.Context, o MeasureOptions) (*Calibration, error) {
	if o.Requests <= 0 {
		o.Requests = 20000
	}
	if o.Conns <= 0 {
		o.Conns = 16
	}
	if o.Repeat <= 0 {
		o.Repeat = 3
	}
	benchNs := func(f func(b *testing.B)) time.Duration {
		return minOf(o.Repeat, func() time.Duration { return benchNs(f) })
	}
	old := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(old)
	c := &Calibration{Version: Version, GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		CPUs: runtime.NumCPU(), MeasuredAt: time.Now().UTC().Format(time.RFC3339)}
	say := func(format string, args ...any) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "calibrate: "+format+"\n", args...)
		}
	}

	c.GoSwitch = Duration(benchNs(benchPingPong) / 2)
	say("goroutine switch %v (half an unbuffered channel round trip)", time.Duration(c.GoSwitch))
	c.GoCreate = Duration(benchNs(benchGoCreate))
	say("goroutine create+run+exit %v", time.Duration(c.GoCreate))
	c.Gosched = Duration(benchNs(benchGosched))
	say("runtime.Gosched %v", time.Duration(c.Gosched))

	c.HelloHandlerCPU = Duration(benchNs(benchHandler(HelloHandler)))
	jr := testing.Benchmark(benchHandler(JSONHandler))
	c.JSONHandlerCPU = Duration(benchNs(benchHandler(JSONHandler)))
	c.JSONHandlerAllocBytes = float64(jr.AllocedBytesPerOp())
	say("handlers alone: hello %v, json %v and %.0f B allocated per call", time.Duration(c.HelloHandlerCPU), time.Duration(c.JSONHandlerCPU), c.JSONHandlerAllocBytes)

	raw, err := measureLoadMin(ctx, startCanned, o)
	if err != nil {
		return nil, fmt.Errorf("calib: canned server: %w", err)
	}
	say("lean client + canned server: %v CPU, %.1f allocs, %.0f B per request", raw.cpu, raw.allocs, raw.bytes)
	c.ClientCPU = Duration(raw.cpu / 2)
	for _, h := range []struct {
		name    string
		handler http.HandlerFunc
		cpu     *Duration
		allocs  *float64
		bytes   *float64
	}{
		{"hello", HelloHandler, &c.HelloCPU, &c.HelloAllocs, &c.HelloAllocBytes},
		{"json", JSONHandler, &c.JSONCPU, &c.JSONAllocs, &c.JSONAllocBytes},
	} {
		m, err := measureLoadMin(ctx, startHTTP(h.handler), o)
		if err != nil {
			return nil, fmt.Errorf("calib: %s server: %w", h.name, err)
		}
		cpu := m.cpu - raw.cpu/2
		if cpu <= 0 {
			cpu = m.cpu / 2
		}
		*h.cpu = Duration(cpu)
		*h.allocs = max(0, m.allocs-raw.allocs)
		*h.bytes = max(0, m.bytes-raw.bytes)
		say("%s handler: %v server CPU (%v with the client), %.1f allocs, %.0f B per request", h.name, cpu, m.cpu, *h.allocs, *h.bytes)
	}
	if child.Available() == nil {
		rt, err := measureIdleRoundTrip(ctx, o.Repeat)
		if err != nil {
			return nil, fmt.Errorf("calib: idle round trip: %w", err)
		}
		c.IdleRoundTrip = Duration(rt)
		say("idle round trip %v (median; server on CPU 0, client on CPU 1)", rt)
		if err := measureGCCycle(ctx, o.Repeat, c); err != nil {
			return nil, fmt.Errorf("calib: GC cycle: %w", err)
		}
		say("GC per cycle: pause CPU %v, scan rate %.3g B/s of mark CPU (runtime/metrics, GOGC=100, 64 KiB per request at 500/s; scannable heap %.0f B, noscan live %.0f B, globals %.0f B)",
			time.Duration(c.GCCycleCPU), c.GCScanRate, c.GCHeapScan, c.GCHeapNoscan, c.GCGlobals)
	} else {
		say("idle round trip not measured: %v", child.Available())
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	return c, nil
}

// measureGCCycle runs a server child allocating 64 KiB per request at 500
// req/s, repeat times for 1 s, and sets c's GC figures from the run whose
// mark CPU per cycle was lowest (the least disturbed by other load: the
// runtime accounts a mark worker's CPU in wall time while it runs):
// GCCycleCPU is /cpu/classes/gc/pause per cycle; GCScanRate the scan work
// (/gc/scan/heap + /gc/scan/stack + /gc/scan/globals) over the mark CPU per
// cycle (/cpu/classes/gc/total less the pause), the runtime's
// gcController.heapScanWork + stackScanWork + globalsScanWork done per
// cycle by gcDrain (mgcmark.go).
func measureGCCycle(ctx context.Context, repeat int, c *Calibration) error {
	best := -1.0
	for i := range repeat {
		srv, err := child.StartServer(ctx, child.ServerConfig{CPU: 0, GOMAXPROCS: 1, GOGC: 100})
		if err != nil {
			return err
		}
		_, err = child.RunClient(ctx, child.ClientConfig{CPU: 1, Addr: srv.Addr, Rate: 500, Alloc: 64 << 10, Span: time.Second, Conns: 8, Seed: uint64(i + 1)})
		st, serr := srv.Stop()
		if err == nil && serr != nil {
			err = serr
		}
		if err != nil {
			return err
		}
		if st.GCCycles < 1 {
			return fmt.Errorf("no GC cycle in 1 s (%.0f bytes allocated)", st.AllocBytes)
		}
		mark := (st.GCCPU - st.GCPause) / st.GCCycles
		work := st.ScanHeap + st.ScanStack + st.ScanGlobals
		if mark <= 0 || work <= 0 {
			return fmt.Errorf("no mark CPU or scan work accounted: %+v", st)
		}
		if best < 0 || mark < best {
			best = mark
			c.GCCycleCPU = Duration(time.Duration(st.GCPause / st.GCCycles * 1e9))
			c.GCScanRate = work / mark
			c.GCHeapScan, c.GCGlobals = st.ScanHeap, st.ScanGlobals
			c.GCHeapNoscan = max(0, st.HeapLive-st.ScanHeap)
		}
	}
	return nil
}

// measureIdleRoundTrip is the lowest, over repeat runs, of the median
// latency of no-work requests at 200/s from a client child pinned to CPU 1
// to a server child at GOMAXPROCS=1 pinned to CPU 0.
func measureIdleRoundTrip(ctx context.Context, repeat int) (time.Duration, error) {
	best := time.Duration(0)
	for i := range repeat {
		srv, err := child.StartServer(ctx, child.ServerConfig{CPU: 0, GOMAXPROCS: 1})
		if err != nil {
			return 0, err
		}
		r, err := child.RunClient(ctx, child.ClientConfig{CPU: 1, Addr: srv.Addr, Rate: 200, Span: time.Second, Conns: 4, Seed: uint64(i + 1)})
		if _, serr := srv.Stop(); err == nil && serr != nil {
			err = serr
		}
		if err != nil {
			return 0, err
		}
		if d := time.Duration(r.P50); best == 0 || d < best {
			best = d
		}
	}
	return best, nil
}

// HelloHandler is the hello-world handler measured by [Measure].
func HelloHandler(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello, world\n") }

// JSONHandler is the small-JSON handler measured by [Measure]
// (json.NewEncoder on the ResponseWriter, as in measured-here.md).
func JSONHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(struct {
		Message string   `json:"message"`
		ID      int      `json:"id"`
		Tags    []string `json:"tags"`
	}{"hello, world", 42, []string{"a", "b", "c"}})
}

func benchNs(f func(b *testing.B)) time.Duration {
	r := testing.Benchmark(f)
	if r.N == 0 {
		return 0
	}
	return time.Duration(r.T.Nanoseconds() / int64(r.N))
}

// discardWriter is a ResponseWriter that keeps nothing, so a benchmark of a
// handler through it measures the handler alone.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

func benchHandler(h http.HandlerFunc) func(b *testing.B) {
	return func(b *testing.B) {
		w := &discardWriter{h: http.Header{}}
		r, _ := http.NewRequest("GET", "http://127.0.0.1/", nil)
		b.ReportAllocs()
		for b.Loop() {
			clear(w.h)
			h(w, r)
		}
	}
}

func benchPingPong(b *testing.B) {
	ping, pong := make(chan struct{}), make(chan struct{})
	go func() {
		for range ping {
			pong <- struct{}{}
		}
		close(pong)
	}()
	for b.Loop() {
		ping <- struct{}{}
		<-pong
	}
	close(ping)
	<-pong
}

func benchGoCreate(b *testing.B) {
	done := make(chan struct{})
	for b.Loop() {
		go func() { done <- struct{}{} }()
		<-done
	}
}

func benchGosched(b *testing.B) {
	for b.Loop() {
		runtime.Gosched()
	}
}

// minOf returns the lowest of n measurements.
func minOf(n int, f func() time.Duration) time.Duration {
	best := f()
	for i := 1; i < n; i++ {
		best = min(best, f())
	}
	return best
}

// measureLoadMin repeats measureLoad o.Repeat times and keeps the run with
// the lowest CPU per request (allocation figures do not depend on load).
func measureLoadMin(ctx context.Context, start starter, o MeasureOptions) (loadResult, error) {
	var best loadResult
	for i := 0; i < o.Repeat; i++ {
		r, err := measureLoad(ctx, start, o)
		if err != nil {
			return r, err
		}
		if i == 0 || r.cpu < best.cpu {
			best = r
		}
	}
	return best, nil
}

type loadResult struct {
	cpu           time.Duration
	allocs, bytes float64
}

// starter starts a loopback server and returns its address and a stop
// function that waits until every server goroutine has returned.
type starter func() (addr string, stop func(), err error)

func measureLoad(ctx context.Context, start starter, o MeasureOptions) (loadResult, error) {
	addr, stop, err := start()
	if err != nil {
		return loadResult{}, err
	}
	defer stop()
	if _, _, err := Drive(ctx, addr, "/", o.Conns, o.Requests/10, 0); err != nil {
		return loadResult{}, err
	}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	c0 := processCPU()
	n, _, err := Drive(ctx, addr, "/", o.Conns, o.Requests, 0)
	c1 := processCPU()
	runtime.ReadMemStats(&m1)
	if err != nil {
		return loadResult{}, err
	}
	if n == 0 {
		return loadResult{}, fmt.Errorf("no request completed")
	}
	f := float64(n)
	return loadResult{cpu: (c1 - c0) / time.Duration(n), allocs: float64(m1.Mallocs-m0.Mallocs) / f,
		bytes: float64(m1.TotalAlloc-m0.TotalAlloc) / f}, nil
}

func startHTTP(h http.Handler) starter {
	return func() (string, func(), error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		srv := &http.Server{Handler: h}
		done := make(chan struct{})
		go func() { srv.Serve(ln); close(done) }()
		return ln.Addr().String(), func() { srv.Close(); <-done }, nil
	}
}

var cannedResponse = []byte("HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nhello, world\n")

// startCanned starts a TCP server that answers every request (anything
// ending in a blank line) with a fixed response, with no parsing and no
// allocation per request: the baseline for the lean client's own cost.
func startCanned() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = true
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				buf := make([]byte, 4096)
				have := 0
				for {
					n, err := c.Read(buf[have:])
					if err != nil {
						return
					}
					have += n
					if i := bytes.Index(buf[:have], crlf2); i >= 0 {
						copy(buf, buf[i+4:have])
						have -= i + 4
						if _, err := c.Write(cannedResponse); err != nil {
							return
						}
					}
					if have == len(buf) {
						return
					}
				}
			}()
		}
	}()
	stop := func() {
		ln.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	}
	return ln.Addr().String(), stop, nil
}
