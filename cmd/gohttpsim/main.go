// Command gohttpsim is the command-line front end of the simulator. It stays
// thin: each subcommand parses its flags, calls into model/, viz/ or sim/, and
// prints. Subcommands live one per file and register themselves in init.
//
// Exit codes: 0 success, 1 runtime failure, 2 usage error (bad flag, unknown
// key, bad value), with a one-line reason followed by the usage on stderr.
// Stdout carries results only; progress and diagnostics go to stderr.
package main

import (
	"github.com/gohttpsim/gohttpsim/cmd/internal/child"

	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// command is one subcommand.
type command struct {
	name    string
	summary string // one line, for `gohttpsim help`
	usage   string // the synopsis, e.g. "gohttpsim run [-json] SCENARIO"
	// run executes the command. Returning a *usageError exits 2 and prints
	// the usage; any other error exits 1.
	run func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("gohttpsim: duplicate command " + c.name)
	}
	commands[c.name] = c
}

// usageError is a bad invocation: exit 2 with the reason and the usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// exitError carries a specific exit code (for example a simulated program's
// os.Exit or a deadlock, which exits 2 like Go's own runtime).
type exitError struct {
	code int
	msg  string // printed to stderr if non-empty
}

func (e *exitError) Error() string { return e.msg }

// newFlagSet returns a FlagSet for cmd whose errors come back as usage
// errors and whose -h prints the synopsis and the flags.
func newFlagSet(c *command, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args into fs, turning flag errors into usage errors;
// -h/-help yields errHelp.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	if err != nil {
		return &usageError{err.Error()}
	}
	return nil
}

var errHelp = errors.New("help requested")

func printUsage(w io.Writer, c *command) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", c.usage, c.summary)
	if h, ok := flagHelp[c.name]; ok && hasFlags(h) {
		fmt.Fprintf(w, "\nflags:\n")
		h.SetOutput(w)
		h.PrintDefaults()
	}
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// flagHelp holds each command's FlagSet once it has been built, so that
// `gohttpsim help CMD` can list its flags.
var flagHelp = map[string]*flag.FlagSet{}

// flags builds the FlagSet of c and remembers it for help output.
func flags(c *command, stderr io.Writer) *flag.FlagSet {
	fs := newFlagSet(c, stderr)
	flagHelp[c.name] = fs
	return fs
}

func main() {
	child.Main() // a child process of a real experiment runs its role and exits
	stop := startProfiles()
	code := runMain(os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// runMain runs the CLI and returns the exit code (separate from main for tests).
func runMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		topUsage(stderr)
		return 2
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "-help" || name == "--help" {
		if len(args) > 1 && name == "help" {
			c, ok := commands[args[1]]
			if !ok {
				fmt.Fprintf(stderr, "gohttpsim: unknown command %q (valid: %s)\n", args[1], strings.Join(commandNames(), ", "))
				return 2
			}
			describe(c, stdout)
			return 0
		}
		topUsage(stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "gohttpsim: unknown command %q (valid: %s)\n", name, strings.Join(commandNames(), ", "))
		topUsage(stderr)
		return 2
	}
	err := c.run(args[1:], stdout, stderr)
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		describe(c, stdout)
		return 0
	case errors.As(err, &ue) || errors.Is(err, scenario.ErrUsage):
		fmt.Fprintf(stderr, "gohttpsim %s: %s\n", c.name, err)
		fmt.Fprintf(stderr, "usage: %s\n(run 'gohttpsim help %s' for details)\n", c.usage, c.name)
		return 2
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintln(stderr, ee.msg)
		}
		return ee.code
	default:
		fmt.Fprintf(stderr, "gohttpsim %s: %v\n", c.name, err)
		return 1
	}
}

// describe prints a command's synopsis, summary and flags. It builds the
// FlagSet by invoking the command with -h into io.Discard, which every
// command answers with errHelp before doing any work.
func describe(c *command, w io.Writer) {
	_ = c.run([]string{"-h"}, io.Discard, io.Discard)
	printUsage(w, c)
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func topUsage(w io.Writer) {
	fmt.Fprintf(w, "gohttpsim: a deterministic discrete-event simulator of how Go serves HTTP\n\nusage: gohttpsim COMMAND [flags] [args]\n\ncommands:\n")
	for _, n := range commandNames() {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\nRun 'gohttpsim help COMMAND' or 'gohttpsim COMMAND -h' for a command's flags.\n")
}
