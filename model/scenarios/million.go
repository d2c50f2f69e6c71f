package scenarios

import (
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// Per-connection kernel memory, an estimate: struct tcp_sock (~2.3 KiB),
// struct file, socket inode and dentry, and the epoll item (~1 KiB); idle
// connections hold no skbs. Rounded to 4 KiB per side.
const kernelPerConn = 4 << 10

// million holds 1,000,000 concurrent keep-alive connections, one goroutine
// each, with sparse requests (each client about one request per 100 s), on
// GOMAXPROCS=8: what do a million goroutines and connections cost? The
// clients connect over load.ramp, each sending its first request at once.
// Metrics: goroutines_peak, stack_bytes_peak, the Go heap the connections
// keep live (bufio reader and writer, 4 KiB each, and ~1 KiB of structs),
// the heap goal GOGC allows above it, the kernel's socket memory, and their
// sum: the memory a real server would need; and the file descriptors it
// would need (fds_needed, the ulimit -n to set). Ten million connections:
// -set load.clients=10000000 -set load.ramp=40s -set duration=45s
// -set ulimit.n=10000010 (a ramp that one accept loop can absorb; at the
// default 5 s the accept queue overflows, as it would for real); the
// simulator holds about 460 bytes per connection (BenchmarkParkedConn).
func init() {
	scenario.Register(scenario.New("million",
		"1,000,000 keep-alive connections, one goroutine each, sparse requests: memory and CPU",
		func() HTTPConfig {
			c := DefaultHTTPConfig()
			c.Runtime.GOMAXPROCS = 8
			c.Load.Rate = 0
			c.Load.Clients = 1_000_000
			c.Client.Think = dist.Exp{M: float64(100 * time.Second)}
			c.Load.Ramp = 5 * time.Second
			c.Duration = 10 * time.Second
			return c
		},
		func(e *sim.Engine, c *HTTPConfig, _ *scenario.Env) (scenario.Model, error) {
			m, err := buildHTTP(e, c)
			if err != nil {
				return nil, err
			}
			m.extra = func(m *httpModel) []scenario.Metric {
				t := m.totals()
				// The steady-state goal: what the next cycle would allow
				// above the heap the connections keep live now (the last
				// cycle may predate the end of the ramp).
				var live, goal int64
				for _, srv := range m.srvs {
					l, _ := srv.LiveHeap()
					live += l
					g, _ := srv.GC().GoalFor(l)
					goal += g
				}
				kernel := int64(t.connsPeak) * kernelPerConn
				return scenario.MetricsOf(millionMetrics{
					ConnsPeak: float64(t.connsPeak), StackPeak: float64(t.stackPeak),
					HeapLive: float64(live), HeapGoal: float64(goal), KernelSocket: float64(kernel),
					FDsNeeded:    float64(t.connsPeak + 4*len(m.srvs)),
					MemoryNeeded: float64(t.stackPeak + max(goal, t.heapPeak) + kernel),
					KiBPerConn:   float64(t.stackPeak+max(goal, t.heapPeak)+kernel) / 1024 / max(1, float64(t.connsPeak)),
				})
			}
			return m, nil
		}))
}

// millionMetrics are what a million idle connections need.
type millionMetrics struct {
	ConnsPeak    float64 `metric:"conns_peak" unit:"{conn}"`
	StackPeak    float64 `metric:"stack_bytes_peak" unit:"B"`
	HeapLive     float64 `metric:"heap_live_bytes" unit:"B"`
	HeapGoal     float64 `metric:"heap_goal_bytes" unit:"B"`
	KernelSocket float64 `metric:"kernel_socket_bytes" unit:"B"`
	// One descriptor per connection, plus each server's listener and
	// stdin, stdout and stderr: ulimit -n (RLIMIT_NOFILE) must be at
	// least this.
	FDsNeeded    float64 `metric:"fds_needed" unit:"{fd}"`
	MemoryNeeded float64 `metric:"memory_needed_bytes" unit:"B"`
	KiBPerConn   float64 `metric:"kib_per_conn" unit:"KiB/{conn}"`
}
