package gmp

import (
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// Sched is the scheduler: the G table, GOMAXPROCS Ps, the global run queue,
// counters standing for the Ms, sysmon and the netpoller. It is a
// [sim.Handler] registered once on its engine. Not safe for concurrent use.
type Sched struct {
	e *sim.Engine
}

// New returns a scheduler on e with cfg (zero fields take their defaults).
// All Ps start idle; the first [Sched.Go] starts P0. It panics if
// cfg.GOMAXPROCS exceeds 1024.
func New(e *sim.Engine, cfg Config) *Sched { panic("TODO") }

// Engine returns the engine the scheduler runs on.
func (s *Sched) Engine() *sim.Engine { return s.e }

// Config returns the effective configuration.
func (s *Sched) Config() Config { panic("TODO") }

// Go creates a G running b with user word arg and makes it runnable. From
// inside a Behavior's Step it is newproc on the running G's P (the new G goes
// to runnext, wakep); from outside (an event handler of another model) it
// goes to the global queue and an idle P is started (injectglist with no P).
// The first G of a run (main) lands on P0. It returns the new G's id.
func (s *Sched) Go(b Behavior, arg int64) GID { panic("TODO") }

// Ready makes the parked G gp runnable with goready's semantics: from inside
// Step it goes to the running P's runnext and wakep is called; from outside,
// to the global queue with an idle P started. It panics if gp is not parked
// with [Park].
func (s *Sched) Ready(gp GID) { panic("TODO") }

// NetReady reports I/O readiness for gp, parked with [ParkNet]: gp joins the
// netpoller's ready list and is made runnable by the next netpoll (a blocked
// poller M, a P that ran out of work, or sysmon after 10 ms).
func (s *Sched) NetReady(gp GID) { panic("TODO") }

// Arg returns gp's user word.
func (s *Sched) Arg(gp GID) int64 { panic("TODO") }

// SetArg sets gp's user word.
func (s *Sched) SetArg(gp GID, v int64) { panic("TODO") }

// GrowStack makes gp's simulated stack at least n bytes, doubling from its
// current size as newstack does (copystack to oldsize*2).
func (s *Sched) GrowStack(gp GID, n int) { panic("TODO") }

// Now returns the simulated time.
func (s *Sched) Now() sim.Time { return s.e.Now() }

// Current returns the G whose Step is executing, or NoG outside Step.
func (s *Sched) Current() GID { panic("TODO") }

// Deadlocked reports whether no G can ever run again although some are
// parked on sync objects (checkdead's condition): nothing is runnable,
// running, sleeping, in a syscall or parked on the netpoller.
func (s *Sched) Deadlocked() bool { panic("TODO") }

var _ = time.Second
