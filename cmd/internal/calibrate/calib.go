package calibrate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// Version is the current file format version.
const Version = 1

// Duration is a time.Duration written in JSON as a Go duration string.
type Duration time.Duration

// MarshalJSON writes d as "9.6µs".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON accepts a Go duration string ("9.6us", "9.6µs", "1ms").
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration string such as \"9.6us\", got %s", b)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("bad duration %q", s)
	}
	*d = Duration(v)
	return nil
}

// Calibration holds one machine's measured costs.
type Calibration struct {
	Version    int    `json:"version"`
	GoVersion  string `json:"go"`
	GOOS       string `json:"goos"`
	GOARCH     string `json:"goarch"`
	CPUs       int    `json:"cpus"`
	MeasuredAt string `json:"measured_at"`

	// HelloCPU and JSONCPU are the server's CPU per request (parsing,
	// handler, response, the read and write syscalls and the goroutine
	// switches), hello-world and a small JSON response, measured on
	// loopback at GOMAXPROCS=1 with the lean client's own cost removed.
	HelloCPU Duration `json:"hello_cpu"`
	JSONCPU  Duration `json:"json_cpu"`
	// HelloHandlerCPU and JSONHandlerCPU are the handlers' own CPU per call
	// (no net/http around them: a ResponseWriter that discards), and
	// JSONHandlerAllocBytes the JSON handler's own allocation per call.
	HelloHandlerCPU       Duration `json:"hello_handler_cpu"`
	JSONHandlerCPU        Duration `json:"json_handler_cpu"`
	JSONHandlerAllocBytes float64  `json:"json_handler_alloc_bytes"`
	// Allocation per request, server side.
	HelloAllocBytes float64 `json:"hello_alloc_bytes"`
	HelloAllocs     float64 `json:"hello_allocs"`
	JSONAllocBytes  float64 `json:"json_alloc_bytes"`
	JSONAllocs      float64 `json:"json_allocs"`
	// GoSwitch is one blocking goroutine switch (half an unbuffered channel
	// ping-pong), GoCreate a `go f()` that runs and exits, Gosched one
	// runtime.Gosched, all at GOMAXPROCS=1.
	GoSwitch Duration `json:"goroutine_switch"`
	GoCreate Duration `json:"goroutine_create"`
	Gosched  Duration `json:"gosched"`

	// IdleRoundTrip is the median latency of a request that does no work
	// on an idle server: the server pinned to CPU 0 at GOMAXPROCS=1, the
	// client pinned to CPU 1, a request every 5 ms on average, timed from
	// the client's write to the end of the response. It holds the
	// loopback, both sides' syscalls and the wake-up of each side's idle
	// M from epoll_wait (and of the idle vCPU under it). 0: not measured
	// (fewer than 2 CPUs, or no CPU affinity).
	IdleRoundTrip Duration `json:"idle_round_trip,omitempty"`
	// GCCycleCPU and GCScanRate split the GC CPU of a cycle by the
	// runtime's own accounting (runtime/metrics) of a server child at
	// GOMAXPROCS=1 and GOGC=100 pinned to CPU 0, allocating 64 KiB per
	// request (noscan, nothing kept live) at 500 req/s: GCCycleCPU is the
	// stop-the-world phases' CPU per cycle (/cpu/classes/gc/pause over
	// /gc/cycles/total), GCScanRate the scan work per cycle
	// (/gc/scan/heap + /gc/scan/stack + /gc/scan/globals, bytes) over the
	// mark CPU per cycle (/cpu/classes/gc/total less the pause), in bytes
	// per second. GCHeapScan, GCHeapNoscan and GCGlobals are that server's
	// scannable heap, pointer-free live heap and scannable globals (the
	// real program's, which validate's gc case gives the model as its
	// heap.live, heap.live.noscan and gc.globals). 0: not measured.
	GCCycleCPU   Duration `json:"gc_cycle_cpu,omitempty"`
	GCScanRate   float64  `json:"gc_scan_rate,omitempty"`
	GCHeapScan   float64  `json:"gc_heap_scan_bytes,omitempty"`
	GCHeapNoscan float64  `json:"gc_heap_noscan_bytes,omitempty"`
	GCGlobals    float64  `json:"gc_globals_bytes,omitempty"`
	// ClientCPU is the lean load generator's CPU per request (Drive
	// against a canned-response server, halved: client and canned server
	// do the same syscalls), for models that put the load generator on the
	// server's cores (client.onhost). 0: not measured.
	ClientCPU Duration `json:"client_cpu,omitempty"`
}

// ErrFormat classifies a malformed calibration file.
var ErrFormat = errors.New("calib: bad calibration file")

// Read parses a calibration file and checks it.
func Read(r io.Reader) (*Calibration, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Calibration
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after the JSON object", ErrFormat)
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Load reads the calibration file at path.
func Load(path string) (*Calibration, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Check reports the first implausible figure: every duration must be
// positive and under one second, every allocation figure non-negative.
func (c *Calibration) Check() error {
	if c.Version != Version {
		return fmt.Errorf("%w: version %d, want %d", ErrFormat, c.Version, Version)
	}
	for _, d := range []struct {
		name string
		v    Duration
	}{{"hello_cpu", c.HelloCPU}, {"json_cpu", c.JSONCPU}, {"hello_handler_cpu", c.HelloHandlerCPU},
		{"json_handler_cpu", c.JSONHandlerCPU}, {"goroutine_switch", c.GoSwitch},
		{"goroutine_create", c.GoCreate}, {"gosched", c.Gosched}} {
		if d.v <= 0 || time.Duration(d.v) > time.Second {
			return fmt.Errorf("%w: %s = %v, want a positive duration under 1s", ErrFormat, d.name, time.Duration(d.v))
		}
	}
	if c.ClientCPU < 0 || time.Duration(c.ClientCPU) > time.Second {
		return fmt.Errorf("%w: client_cpu = %v, want 0 (not measured) or a duration under 1s", ErrFormat, time.Duration(c.ClientCPU))
	}
	if c.GCCycleCPU < 0 || time.Duration(c.GCCycleCPU) > time.Second {
		return fmt.Errorf("%w: gc_cycle_cpu = %v, want 0 (not measured) or a duration under 1s", ErrFormat, time.Duration(c.GCCycleCPU))
	}
	if c.GCScanRate < 0 || c.GCScanRate > 1e12 || c.GCHeapScan < 0 || c.GCHeapNoscan < 0 || c.GCGlobals < 0 {
		return fmt.Errorf("%w: gc_scan_rate = %g (want 0, not measured, or up to 1e12 B/s), gc_heap_scan_bytes, gc_heap_noscan_bytes, gc_globals_bytes must not be negative", ErrFormat, c.GCScanRate)
	}
	if c.IdleRoundTrip < 0 || time.Duration(c.IdleRoundTrip) > time.Second {
		return fmt.Errorf("%w: idle_round_trip = %v, want 0 (not measured) or a duration under 1s", ErrFormat, time.Duration(c.IdleRoundTrip))
	}
	if c.HelloHandlerCPU >= c.HelloCPU {
		return fmt.Errorf("%w: hello_handler_cpu %v is not below hello_cpu %v", ErrFormat, time.Duration(c.HelloHandlerCPU), time.Duration(c.HelloCPU))
	}
	for _, a := range []struct {
		name string
		v    float64
	}{{"hello_alloc_bytes", c.HelloAllocBytes}, {"hello_allocs", c.HelloAllocs},
		{"json_alloc_bytes", c.JSONAllocBytes}, {"json_allocs", c.JSONAllocs},
		{"json_handler_alloc_bytes", c.JSONHandlerAllocBytes}} {
		if !(a.v >= 0 && a.v < 1<<40) {
			return fmt.Errorf("%w: %s = %v, want a non-negative number", ErrFormat, a.name, a.v)
		}
	}
	return nil
}

// Write writes c as indented JSON.
func (c *Calibration) Write(w io.Writer) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Keys lists the scenario parameters a calibration can set and the figure
// each takes (a key means the same in every scenario that declares it):
//
//   - server.cpu (net/http's own CPU per request): hello_cpu - hello_handler_cpu.
//   - handler.cpu (the handler's own CPU): hello_handler_cpu, or for
//     handler.kind=json json_handler_cpu (at least json_cpu - server.cpu);
//     other kinds are left alone.
//   - server.request.cpu (net/http and handler together, where a scenario
//     does not split them): hello_cpu.
//   - handler.alloc (bytes the json handler allocates): json_alloc_bytes - hello_alloc_bytes.
//   - CtxSwitch, GoCreate (the scheduler's costs, gmp.Config):
//     goroutine_switch, goroutine_create.
//
// Every key here is declared by at least one registered scenario (a test
// checks it), so no measurement is silently ignored.
var Keys = []struct{ Key, Figure string }{
	{"server.cpu", "hello_cpu - hello_handler_cpu"},
	{"handler.cpu", "hello_handler_cpu, or for json max(json_handler_cpu, json_cpu - server.cpu)"},
	{"server.request.cpu", "hello_cpu"},
	{"handler.alloc", "json_alloc_bytes - hello_alloc_bytes"},
	{"CtxSwitch", "goroutine_switch"},
	{"GoCreate", "goroutine_create"},
	{"gc.cycle.cpu", "gc_cycle_cpu (when measured)"},
	{"gc.scan.rate", "gc_scan_rate (when measured)"},
	{"client.cpu", "client_cpu, in scenarios with client.onhost (the lean client's own CPU; not the pool scenario's Transport client)"},
	{"net.rtt", "idle_round_trip - hello_cpu (when measured): the wire, syscalls and idle wake-ups the model does not charge as server CPU"},
}

// Apply sets every parameter of vals that a figure maps to (see [Keys]) and
// leaves the others alone. A distribution keeps its shape: exp(10us)
// becomes exp(9.6us); a plain value is replaced. It returns an error, and
// changes nothing further, if a value does not fit the parameter.
func (c *Calibration) Apply(vals *scenario.Values) error {
	_, err := c.ApplyKeys(vals)
	return err
}

// ApplyKeys is Apply returning the keys it set, in [Keys] order.
func (c *Calibration) ApplyKeys(vals *scenario.Values) ([]string, error) {
	if c == nil {
		return nil, nil
	}
	kind := "hello"
	if vals.Has("handler.kind") {
		kind = vals.Raw("handler.kind")
	}
	figs := map[string]string{
		"server.cpu":         dur(c.HelloCPU - c.HelloHandlerCPU),
		"server.request.cpu": dur(c.HelloCPU),
		"handler.alloc":      strconv.FormatInt(int64(max(0, c.JSONAllocBytes-c.HelloAllocBytes)+0.5), 10),
		"CtxSwitch":          dur(c.GoSwitch),
		"GoCreate":           dur(c.GoCreate),
	}
	if c.ClientCPU > 0 && vals.Has("client.onhost") {
		figs["client.cpu"] = dur(c.ClientCPU)
	}
	if c.GCCycleCPU > 0 {
		figs["gc.cycle.cpu"] = dur(c.GCCycleCPU)
	}
	if c.GCScanRate > 0 {
		figs["gc.scan.rate"] = strconv.FormatFloat(c.GCScanRate, 'g', 4, 64)
	}
	if c.IdleRoundTrip > 0 {
		figs["net.rtt"] = dur(max(0, c.IdleRoundTrip-c.HelloCPU))
	}
	switch kind {
	case "hello":
		figs["handler.cpu"] = dur(c.HelloHandlerCPU)
	case "json":
		figs["handler.cpu"] = dur(max(c.JSONHandlerCPU, c.JSONCPU-(c.HelloCPU-c.HelloHandlerCPU)))
	}
	var set []string
	for _, k := range Keys {
		v, ok := figs[k.Key]
		if !ok || !vals.Has(k.Key) {
			continue
		}
		if err := vals.Set(k.Key, keepShape(vals.Raw(k.Key), v)); err != nil {
			return set, fmt.Errorf("calib: setting %s from the calibration file: %w", k.Key, err)
		}
		set = append(set, k.Key)
	}
	return set, nil
}

func dur(d Duration) string { return time.Duration(d).String() }

// keepShape puts a measured mean into a distribution written as
// name(mean) — exp(10us) → exp(9.6us) — and otherwise returns the value
// itself. Distributions with several parameters (uniform, lognormal with a
// spread) are replaced by the constant: their spread was not measured.
func keepShape(raw, v string) string {
	open := strings.IndexByte(raw, '(')
	if open > 0 && strings.HasSuffix(raw, ")") && !strings.Contains(raw, ",") {
		return raw[:open+1] + v + ")"
	}
	return v
}

// ParseWith is scenario.Parse with a calibration in between: defaults, then
// the calibrated figures (cal may be nil), then sets ("KEY=VALUE"), so that
// an explicit -set wins over the file.
func ParseWith(defs []scenario.Param, cal *Calibration, sets []string) (*scenario.Values, error) {
	vals, err := scenario.Parse(defs, nil)
	if err != nil {
		return nil, err
	}
	if err := cal.Apply(vals); err != nil {
		return nil, err
	}
	if err := vals.SetAll(sets); err != nil {
		return nil, err
	}
	return vals, nil
}
