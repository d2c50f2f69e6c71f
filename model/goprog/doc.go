// Package goprog runs small Go programs on the [gmp] scheduler model.
//
// A program is parsed with go/parser, type-checked with go/types, and
// compiled once to bytecode for a stack machine (compile.go). A goroutine is
// then a program counter, an int64 operand/frame stack and its scheduler
// state — not a real goroutine and not a tree walk: the [gmp.Behavior]
// (vm.go) interprets instructions until one blocks (channel, WaitGroup,
// Mutex, Sleep, Burn, Gosched, go) and turns it into a [gmp.Action].
//
// The supported subset and its error format are described on [Compile].
// Values are int64 words: ints, bools, Durations, and indexes into the
// runner's tables of strings, slices, channels, closures, WaitGroups and
// Mutexes. Variables captured by closures live in boxes; a boxed variable
// declared in a loop gets a new box each iteration (Go 1.22 semantics).
//
// Costs: each interpreted instruction is charged 1 ns of CPU (so busy loops
// advance time and can be preempted); burn.Burn(d) is exactly d.
package goprog
