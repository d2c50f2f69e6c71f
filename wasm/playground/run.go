// Command playground is the page's second wasm module, loaded only when the
// scheduler playground in section 1 is opened: the go/ssa interpreter
// (model/goprog) on the scheduler model (model/gmp), with the standard
// packages' type information embedded as export data (build tag
// goprog_exportdata, see model/goprog/exportdata), and the layout of the
// Gs' moves (viz/gtrace) painted on a 2D canvas. It exports, on window:
//
//	gohttpsimRunProgram(src, gomaxprocs, seed) -> JSON {output, stderr, exitCode, error, trace, ...}
//	gohttpsimPlaygroundExamples() -> JSON [{name, src}]
//	gohttpsimPlaygroundDraw(canvas, step, frac) -> JSON {step, steps, timeNs, chips}
//
// Build: go generate ./model/goprog/exportdata && GOOS=js GOARCH=wasm go
// build -tags goprog_exportdata -trimpath -ldflags='-s -w' -o
// bin/playground.wasm ./wasm/playground (the Makefile's wasm target).
package main

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/gohttpsim/gohttpsim/model/goprog"
)

// Limits of one run: the page runs the program synchronously, so a program
// that never ends stops at maxEvents (reported as truncated).
const (
	maxEvents = 2_000_000
	maxMoves  = 200_000
	maxG      = 256
)

// Outcome is what gohttpsimRunProgram returns (as JSON).
type Outcome struct {
	Output    string `json:"output"`
	Stderr    string `json:"stderr"`
	ExitCode  int    `json:"exitCode"`
	Error     string `json:"error,omitempty"` // compile error: file:line:col: ...
	Deadlock  bool   `json:"deadlock"`
	Truncated bool   `json:"truncated"`
	SimTimeNs int64  `json:"simTimeNs"`
	Events    uint64 `json:"events"`
	Digest    string `json:"digest"`
	Trace     *Trace `json:"trace,omitempty"`
}

// Trace is the compact record of the Gs' moves: Moves holds five numbers
// per move (time ns, G, place index into Places, P or -1, position in a
// queue).
type Trace struct {
	Places    []string `json:"places"`
	Procs     int      `json:"procs"`
	Moves     []int64  `json:"moves"`
	Truncated bool     `json:"truncated"`
}

// run compiles and runs src; tr receives the moves.
func run(src string, procs int, seed uint64) (Outcome, *goprog.GTrace) {
	if procs < 1 || procs > 64 {
		return Outcome{Error: fmt.Sprintf("GOMAXPROCS %d out of range [1, 64]", procs), ExitCode: 2}, nil
	}
	prog, err := goprog.Compile("prog.go", []byte(src))
	if err != nil {
		return Outcome{Error: err.Error(), ExitCode: 2}, nil
	}
	tr := &goprog.GTrace{MaxG: maxG, MaxMoves: maxMoves}
	res := goprog.Run(prog, goprog.Options{GOMAXPROCS: procs, Seed: seed, MaxEvents: maxEvents, GTrace: tr})
	out := Outcome{Output: res.Stdout, Stderr: res.Stderr, ExitCode: res.ExitCode, Deadlock: res.Deadlock, Truncated: res.Truncated,
		SimTimeNs: int64(res.SimTime), Events: res.Events, Digest: fmt.Sprintf("%016x", res.Digest)}
	t := &Trace{Places: goprog.PlaceNames(), Procs: procs, Truncated: tr.Truncated, Moves: make([]int64, 0, 5*len(tr.Moves))}
	for _, m := range tr.Moves {
		t.Moves = append(t.Moves, int64(m.T), int64(m.G), int64(m.Place), int64(m.P), int64(m.Pos))
	}
	out.Trace = t
	return out, tr
}

// Example is one of the example programs the page offers.
type Example struct {
	Name string `json:"name"`
	File string `json:"file"`
	Src  string `json:"src"`
}

// examples are corpus programs (model/goprog/testdata), whose output at
// GOMAXPROCS=1 is the real runtime's (TestDifferential).
var examples = []struct{ name, file string }{
	{"worker pool", "worker_pool.go"},
	{"pipeline", "pipeline.go"},
	{"ticker and select", "ticker_stop.go"},
	{"fan-in", "fan_in.go"},
	{"producer / consumer", "producer_consumer.go"},
	{"runnext", "runnext.go"},
}

func exampleList() ([]Example, error) {
	var l []Example
	for _, e := range examples {
		b, err := fs.ReadFile(goprog.Corpus(), e.file)
		if err != nil {
			return nil, err
		}
		l = append(l, Example{Name: e.name, File: e.file, Src: strings.TrimLeft(string(b), "\n")})
	}
	return l, nil
}
