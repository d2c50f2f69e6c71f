package child

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// EnvRole names the role of a child process.
const EnvRole = "GOHTTPSIM_CHILD"

// Main runs the child role named by GOHTTPSIM_CHILD and exits; without it
// it returns at once.
func Main() {
	role := os.Getenv(EnvRole)
	if role == "" {
		return
	}
	var err error
	switch role {
	case "server":
		err = serverMain(os.Args[1:])
	case "client":
		err = clientMain(os.Args[1:])
	default:
		err = fmt.Errorf("unknown role %q", role)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gohttpsim child:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// ErrUnavailable: the experiment cannot run here (fewer than 2 CPUs, no
// CPU affinity, or the executable cannot be found).
var ErrUnavailable = errors.New("child processes not available here")

// Available reports whether pinned two-process experiments can run: two
// CPUs or more and CPU affinity.
func Available() error {
	if runtime.NumCPU() < 2 {
		return fmt.Errorf("%w (needs 2 CPUs, have %d)", ErrUnavailable, runtime.NumCPU())
	}
	if !canPin {
		return fmt.Errorf("%w (no CPU affinity on %s)", ErrUnavailable, runtime.GOOS)
	}
	return nil
}

// ServerConfig configures a server child.
type ServerConfig struct {
	CPU        int // pin to this CPU (-1: no pinning)
	GOMAXPROCS int
	GOGC       int // 0: the default
	// LiveSlots is the ring of allocations the handler keeps live (0: none).
	LiveSlots int
}

// Server is a running server child.
type Server struct {
	Addr  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
}

// StartServer starts a server child and waits for its address.
func StartServer(ctx context.Context, c ServerConfig) (*Server, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrUnavailable, err)
	}
	cmd := exec.CommandContext(ctx, exe, "-cpu", strconv.Itoa(c.CPU), "-live", strconv.Itoa(c.LiveSlots))
	cmd.Env = append(os.Environ(), EnvRole+"=server", "GOMAXPROCS="+strconv.Itoa(max(1, c.GOMAXPROCS)), "GODEBUG=")
	if c.GOGC != 0 {
		cmd.Env = append(cmd.Env, "GOGC="+strconv.Itoa(c.GOGC))
	}
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
	line, err := s.out.ReadString('\n')
	if err != nil {
		s.Stop()
		return nil, fmt.Errorf("server child: %v", err)
	}
	s.Addr = strings.TrimSpace(line)
	return s, nil
}

// Stop closes the server's stdin, waits for it to exit and returns the
// runtime accounting it printed.
func (s *Server) Stop() (ServerStats, error) {
	var st ServerStats
	s.stdin.Close()
	line, rerr := s.out.ReadString('\n')
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return st, err
		}
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
		return st, errors.New("server child did not exit")
	}
	if rerr != nil {
		return st, rerr
	}
	err := json.Unmarshal([]byte(line), &st)
	return st, err
}

// ServerStats is the server's own accounting over its life, from
// runtime/metrics.
type ServerStats struct {
	GCCycles     float64 `json:"gc_cycles"`      // /gc/cycles/total:gc-cycles
	GCCPU        float64 `json:"gc_cpu_s"`       // /cpu/classes/gc/total:cpu-seconds
	GCMarkAssist float64 `json:"gc_assist_s"`    // /cpu/classes/gc/mark/assist:cpu-seconds
	GCMarkBg     float64 `json:"gc_mark_s"`      // dedicated + fractional + idle mark
	GCPause      float64 `json:"gc_pause_cpu_s"` // /cpu/classes/gc/pause:cpu-seconds
	UserCPU      float64 `json:"user_cpu_s"`     // /cpu/classes/user:cpu-seconds
	TotalCPU     float64 `json:"total_cpu_s"`    // /cpu/classes/total:cpu-seconds
	PauseTotal   float64 `json:"stw_s"`          // sum of /sched/pauses/total/gc:seconds
	Pauses       float64 `json:"stw_count"`
	HeapLive     float64 `json:"heap_live_bytes"` // /gc/heap/live:bytes
	HeapGoal     float64 `json:"heap_goal_bytes"` // /gc/heap/goal:bytes
	AllocBytes   float64 `json:"alloc_bytes"`     // /gc/heap/allocs:bytes
	ScanStack    float64 `json:"scan_stack_bytes"`
	ScanHeap     float64 `json:"scan_heap_bytes"`
	ScanGlobals  float64 `json:"scan_globals_bytes"`
	WallSeconds  float64 `json:"wall_s"`
}

// ClientConfig configures a client child.
type ClientConfig struct {
	CPU   int
	Addr  string
	Rate  float64       // arrivals per second
	Mean  time.Duration // mean service time (exponential; 0: none)
	Alloc int           // bytes the handler allocates per request
	Span  time.Duration
	Conns int
	Seed  uint64
}

// ClientResult is what a client child measured.
type ClientResult struct {
	Sent  int     `json:"sent"`
	Done  int     `json:"done"`
	Rate  float64 `json:"rate"` // sent per second of the run
	Busy  float64 `json:"busy"` // Σ service time / run span: the server's busy share from the handler alone
	P50   float64 `json:"p50_ns"`
	P99   float64 `json:"p99_ns"`
	Mean  float64 `json:"mean_ns"`
	Span  float64 `json:"span_s"`
	Error string  `json:"error,omitempty"`
}

// RunClient runs a client child to completion.
func RunClient(ctx context.Context, c ClientConfig) (ClientResult, error) {
	var r ClientResult
	exe, err := os.Executable()
	if err != nil {
		return r, fmt.Errorf("%w (%v)", ErrUnavailable, err)
	}
	cmd := exec.CommandContext(ctx, exe, "-cpu", strconv.Itoa(c.CPU), "-addr", c.Addr,
		"-rate", strconv.FormatFloat(c.Rate, 'g', -1, 64), "-mean", c.Mean.String(), "-alloc", strconv.Itoa(c.Alloc),
		"-span", c.Span.String(), "-conns", strconv.Itoa(max(1, c.Conns)), "-seed", strconv.FormatUint(c.Seed, 10))
	cmd.Env = append(os.Environ(), EnvRole+"=client", "GOMAXPROCS=1", "GODEBUG=")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return r, fmt.Errorf("client child: %v", err)
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return r, fmt.Errorf("client child output %q: %v", out, err)
	}
	if r.Error != "" {
		return r, errors.New("client child: " + r.Error)
	}
	return r, nil
}
