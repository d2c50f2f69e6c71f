// Package goprog runs Go programs on the [gmp] scheduler model.
//
// A program is parsed with go/parser, type-checked with go/types, and
// turned into SSA form by golang.org/x/tools/go/ssa (generics
// instantiated, closures and defers lowered); [Compile] does this once per
// program, and each function is translated once into the interpreter's
// register form (translate.go): one instruction per SSA instruction,
// operands resolved to register or constant indexes, phi moves per edge.
//
// A goroutine is not a real goroutine: it is a chain of frames (function,
// registers, block, pc) and scheduler state (interp.go's gstate, 64
// bytes). The [gmp.Behavior] (runner.go) interprets instructions until one
// blocks (channel operation, select, sync object, Sleep, timer, Burn,
// Gosched, go) and turns it into a [gmp.Action]. Blocking goes through the
// scheduler model in the runtime's wake-up order: sudog queues (chan.go),
// goready into runnext (gmp.Sched.Ready), per-P timers (gmp's Sleep; see
// timer.go for time.After and friends), Mutex starvation mode after 1 ms
// (syncs.go).
//
// Values are 24-byte [value]s (value.go): scalars in a word, everything
// else behind one reference; structs and arrays are copied on load and
// store. Library functions are bound natively by name (natives.go,
// libfmt.go, libstd.go, syncs.go, timer.go): pure ones compute directly,
// blocking ones park the goroutine and are re-executed when it is woken.
// A call of a function that is neither interpreted nor bound is reported
// by Compile as "file:line:col: unsupported: NAME".
//
// Cost model: each executed SSA instruction (a bound library call counts
// as one) is charged 1 ns of simulated CPU, so busy loops advance time and
// can be preempted; burn.Burn(d) is exactly d (plus the pending
// instruction debt). fmt output is instantaneous (no write syscall).
//
// Map iteration starts at a slot drawn from the run's seed ("goprog"
// stream) and wraps around; select's poll order comes from the same
// stream; math/rand uses the "goprog/rand" stream.
package goprog
