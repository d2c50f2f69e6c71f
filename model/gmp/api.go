package gmp

import (
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/model/host"
)

// GID names a G: a dense index into the scheduler's G table. Dead Gs are
// reused (gfput/gfget), so a GID is only meaningful while its G lives.
type GID int32

// NoG is the GID sentinel for "no G" (an empty runnext, an idle P).
const NoG GID = -1

// PID names a P, 0 ≤ PID < GOMAXPROCS.
type PID int32

// NoP is the PID sentinel for "no P".
const NoP PID = -1

// GState is a G's scheduling state; the names follow internal/trace's
// GoState (runtime2.go's _Gidle, _Grunnable, _Grunning, _Gwaiting,
// _Gsyscall, _Gdead).
type GState uint8

const (
	GIdle     GState = iota // never used
	GRunnable               // in a runq, runnext or the global queue
	GRunning                // on a P
	GWaiting                // parked (sync object, netpoll or timer)
	GSyscall                // in a blocking syscall
	GDead                   // exited; on the free list for reuse
)

func (s GState) String() string {
	switch s {
	case GIdle:
		return "idle"
	case GRunnable:
		return "runnable"
	case GRunning:
		return "running"
	case GWaiting:
		return "waiting"
	case GSyscall:
		return "syscall"
	case GDead:
		return "dead"
	}
	return fmt.Sprintf("GState(%d)", s)
}

// PStatus is a P's status, after runtime2.go's _Pidle, _Prunning, _Psyscall.
type PStatus uint8

const (
	PIdle    PStatus = iota // on the idle list, no M
	PRunning                // an M runs Go code (or spins looking for it) on it
	PSyscall                // its M is in a syscall and has not handed it off
)

func (s PStatus) String() string {
	switch s {
	case PIdle:
		return "idle"
	case PRunning:
		return "running"
	case PSyscall:
		return "syscall"
	}
	return fmt.Sprintf("PStatus(%d)", s)
}

// WaitReason says why a G is parked (runtime2.go's waitReason, abridged). It
// matters for deadlock detection: Gs parked on the netpoller, a timer or a
// syscall can still be woken from outside; the rest cannot.
type WaitReason uint8

const (
	WaitNone WaitReason = iota
	WaitChanReceive
	WaitChanSend
	WaitSelect
	WaitSelectNoCases
	WaitSyncMutexLock
	WaitSyncWaitGroupWait
	WaitSyncCondWait
	WaitIOWait // netpoller (ParkNet)
	WaitSleep  // timer (Sleep)
	WaitOther
)

var waitReasonStrings = [...]string{
	WaitNone:              "",
	WaitChanReceive:       "chan receive",
	WaitChanSend:          "chan send",
	WaitSelect:            "select",
	WaitSelectNoCases:     "select (no cases)",
	WaitSyncMutexLock:     "sync.Mutex.Lock",
	WaitSyncWaitGroupWait: "sync.WaitGroup.Wait",
	WaitSyncCondWait:      "sync.Cond.Wait",
	WaitIOWait:            "IO wait",
	WaitSleep:             "sleep",
	WaitOther:             "other",
}

func (r WaitReason) String() string {
	if int(r) < len(waitReasonStrings) {
		return waitReasonStrings[r]
	}
	return fmt.Sprintf("WaitReason(%d)", r)
}

// Op is the kind of an [Action].
type Op uint8

const (
	OpCompute Op = iota // run on the CPU for D (preemptible)
	OpGosched           // runtime.Gosched: to the global queue, reschedule
	OpPark              // gopark until Sched.Ready
	OpParkNet           // gopark on the netpoller until Sched.NetReady
	OpSleep             // time.Sleep(D): a per-P timer readies the G
	OpSyscall           // a blocking syscall of length D (entersyscall/exitsyscall)
	OpSpawn             // go statement: newproc(B, Arg); the creator continues
	OpExit              // goexit: the G dies and goes to the free list
)

// Action is what a G does next. It is a small value; build it with the
// constructor functions ([Compute], [Gosched], [Park], ...).
type Action struct {
	Op     Op
	Reason WaitReason    // OpPark
	D      time.Duration // OpCompute, OpSleep, OpSyscall
	B      Behavior      // OpSpawn: the new G's behaviour
	Arg    int64         // OpSpawn: the new G's user word
}

// Compute returns an action that uses the CPU for d. A G computing for
// longer than 10 ms (forcePreemptNS) may be preempted part-way by sysmon;
// it then resumes the remainder when next scheduled.
func Compute(d time.Duration) Action { return Action{Op: OpCompute, D: d} }

// Gosched returns runtime.Gosched: the G goes to the global run queue.
func Gosched() Action { return Action{Op: OpGosched} }

// Park returns gopark(reason): the G waits until some model calls
// [Sched.Ready] on it. The caller must have recorded the G somewhere (a wait
// queue) before returning this action.
func Park(reason WaitReason) Action { return Action{Op: OpPark, Reason: reason} }

// ParkNet returns netpollblock: the G waits on the netpoller until some model
// calls [Sched.NetReady]; it is then readied by a netpoll in a batch.
func ParkNet() Action { return Action{Op: OpParkNet, Reason: WaitIOWait} }

// Sleep returns time.Sleep(d): the G parks on a timer of its current P.
func Sleep(d time.Duration) Action { return Action{Op: OpSleep, D: d, Reason: WaitSleep} }

// Syscall returns a blocking syscall of length d.
func Syscall(d time.Duration) Action { return Action{Op: OpSyscall, D: d} }

// Spawn returns a go statement: a new G running b with user word arg goes to
// the creator's runnext (wakep is called), and the creator's Step is called
// again after the goroutine-creation cost.
func Spawn(b Behavior, arg int64) Action { return Action{Op: OpSpawn, B: b, Arg: arg} }

// Exit returns goexit: the G dies; its descriptor is reused by later spawns.
func Exit() Action { return Action{Op: OpExit} }

// Behavior is the code a G runs. Step is called each time the G gets the
// CPU after its previous action completed (the first time when it is first
// scheduled) and returns the next action. arg is the G's user word.
//
// Step runs in simulated zero time; the time a G spends is what its actions
// say. Step may call [Sched.Ready], [Sched.NetReady], [Sched.Go],
// [Sched.SetArg] and [Sched.GrowStack]; from inside Step those act as the
// running G would (goready onto this P's runnext, newproc onto this P).
//
// Implement Behavior on a long-lived object (one per program or per server
// model), never one per G or per step.
type Behavior interface {
	Step(s *Sched, gp GID, arg int64) Action
}

// Config configures a [Sched]. The zero value of each cost means its
// calibrated default; use [DefaultConfig] to see them.
type Config struct {
	// GOMAXPROCS is the number of Ps (default 1).
	GOMAXPROCS int

	// CtxSwitch is the CPU cost of schedule()+execute() switching to a G
	// (gogo, the runq operations): charged on the P before the G runs.
	CtxSwitch time.Duration
	// GoCreate is the CPU cost charged to the creator of a go statement
	// (newproc1, gfget, stack set-up).
	GoCreate time.Duration
	// Steal is the CPU cost of one successful runqsteal.
	Steal time.Duration
	// SyscallEnter and SyscallExit are entersyscall/exitsyscall overheads.
	SyscallEnter, SyscallExit time.Duration
	// Netpoll is the cost of one netpoll call that returns Gs (epoll_wait).
	Netpoll time.Duration
	// Wakeup is the latency between startm and the woken M running on its P
	// (futexwakeup of a parked thread).
	Wakeup time.Duration

	// StackMin is the initial stack of a new G (stackMin, 2 KiB).
	StackMin int
	// NoSysmon disables sysmon (no preemption, no retake); for tests.
	NoSysmon bool
	// StartSchedtick is P0's schedtick when the first G starts. A real
	// program's main.main starts after runtime.main ran a few system Gs
	// (forcegchelper, bgsweep, bgscavenge, ...), which shifts the
	// schedtick%61 fairness check; the program runner sets it to the value
	// measured on go1.26 so that spawn orders match.
	StartSchedtick int

	// Host is the CPUs the Ms run on (model/host), or nil for one
	// dedicated core per P (the model before hosts existed, and still the
	// default). With a host, each P's M is one host thread: it holds a
	// core while it runs Go code (every kRun segment: compute, context
	// switches, goroutine creation, steals, syscall exit), waits for a
	// core when all are taken, and stops while the cgroup quota is
	// throttled. Waiting for a wake-up (Wakeup) and blocking syscalls use
	// no CPU.
	Host *host.Host
}

// DefaultConfig returns the calibrated defaults (see CALIBRATION.md).
func DefaultConfig() Config {
	return Config{
		GOMAXPROCS:   1,
		CtxSwitch:    defaultCtxSwitch,
		GoCreate:     defaultGoCreate,
		Steal:        defaultSteal,
		SyscallEnter: defaultSyscallEnter,
		SyscallExit:  defaultSyscallExit,
		Netpoll:      defaultNetpoll,
		Wakeup:       defaultWakeup,
		StackMin:     stackMin,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.GOMAXPROCS <= 0 {
		c.GOMAXPROCS = d.GOMAXPROCS
	}
	def := func(v *time.Duration, x time.Duration) {
		if *v == 0 {
			*v = x
		}
	}
	def(&c.CtxSwitch, d.CtxSwitch)
	def(&c.GoCreate, d.GoCreate)
	def(&c.Steal, d.Steal)
	def(&c.SyscallEnter, d.SyscallEnter)
	def(&c.SyscallExit, d.SyscallExit)
	def(&c.Netpoll, d.Netpoll)
	def(&c.Wakeup, d.Wakeup)
	if c.StackMin <= 0 {
		c.StackMin = d.StackMin
	}
	return c
}

// Calibrated defaults; see CALIBRATION.md for the measurements behind them.
const (
	defaultCtxSwitch    = 100 * time.Nanosecond
	defaultGoCreate     = 100 * time.Nanosecond
	defaultSteal        = 50 * time.Nanosecond
	defaultSyscallEnter = 50 * time.Nanosecond
	defaultSyscallExit  = 50 * time.Nanosecond
	defaultNetpoll      = 1 * time.Microsecond
	defaultWakeup       = 10 * time.Microsecond
)

// Runtime constants mirrored from src/runtime (go1.26).
const (
	runqSize       = 256                   // len(p.runq), runtime2.go
	stackMin       = 2048                  // stack.go stackMin
	forcePreemptNS = 10 * time.Millisecond // proc.go forcePreemptNS
	stealTries     = 4                     // proc.go stealWork
	sysmonMinDelay = 20 * time.Microsecond // proc.go sysmon: usleep(20)
	sysmonMaxDelay = 10 * time.Millisecond // proc.go sysmon: delay cap
	sysmonIdleRamp = 50                    // proc.go sysmon: idle > 50 starts doubling
	netpollForce   = 10 * time.Millisecond // proc.go sysmon: poll if lastpoll older
	netpollBatch   = 128                   // netpoll_epoll.go: events [128]
	globalFairTick = 61                    // proc.go findRunnable: schedtick%61
)

// IdleWorker is work a P does when findRunnable finds nothing else: the
// GC's idle-priority mark worker (gcMarkWorkerIdleMode, runtime/proc.go
// findRunnable, go1.26).
type IdleWorker interface {
	// IdleWork returns how much CPU P pp should spend on idle work now (0:
	// none, the P goes idle). busy is the number of other Ps in a slice of
	// idle work (for gcController's maxIdleMarkWorkers). The P calls it
	// again when the slice ends; any G that became runnable meanwhile is
	// found first.
	IdleWork(pp PID, busy int) time.Duration
}

// SetIdleWorker installs w as the work of otherwise idle Ps (nil: none).
func (s *Sched) SetIdleWorker(w IdleWorker) { s.idle = w }

// WakeIdle starts an M on an idle P if no M is spinning (wakep), as
// startTheWorld does when the GC starts: the P finds idle work or stops.
func (s *Sched) WakeIdle() { s.wakep() }

// IdleWorkTime returns the CPU Ps spent in idle work.
func (s *Sched) IdleWorkTime() time.Duration { return s.idleTime }
