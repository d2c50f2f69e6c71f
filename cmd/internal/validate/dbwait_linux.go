//go:build linux

package validate

import (
	"context"
	"os"
	"syscall"
	"time"
	"unsafe"
)

// dbWaiter waits a query's time the way a real database's reply arrives:
// as readiness of a file descriptor in the netpoller. It is a Linux
// timerfd (CLOCK_MONOTONIC, an hrtimer) opened non-blocking, so that
// os.NewFile registers it with the runtime's netpoller and a Read parks the
// goroutine until epoll reports the fd readable. A Go timer (time.NewTimer)
// would not do: a runtime timer on an idle process fires when the M
// blocked in netpoll(delay) wakes, and netpoll_epoll.go sleeps whole
// milliseconds (waitms = delay/1e6, at least 1), so a 5 ms timer fires
// 0.2–1 ms late on a quiet machine and several ms late under load; that
// lateness belongs to the test driver, not to database/sql or to a
// database answering over a socket.
type dbWaiter struct{ f *os.File }

const (
	clockMonotonic = 1
	tfdNonblock    = syscall.O_NONBLOCK
	tfdCloexec     = syscall.O_CLOEXEC
)

func newDBWaiter() (*dbWaiter, error) {
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, tfdNonblock|tfdCloexec, 0)
	if errno != 0 {
		return nil, os.NewSyscallError("timerfd_create", errno)
	}
	return &dbWaiter{f: os.NewFile(fd, "timerfd")}, nil
}

// wait arms the timerfd for d and reads its expiry count, or returns
// ctx.Err() when ctx ends first.
func (w *dbWaiter) wait(ctx context.Context, d time.Duration) error {
	if err := w.arm(d); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { w.f.SetReadDeadline(time.Unix(1, 0)) })
	var buf [8]byte
	_, err := w.f.Read(buf[:])
	if !stop() {
		w.arm(0) // disarm
		w.f.SetReadDeadline(time.Time{})
		return ctx.Err()
	}
	return err
}

// arm is timerfd_settime with a relative it_value of d (0 disarms).
func (w *dbWaiter) arm(d time.Duration) error {
	var spec [4]int64 // struct itimerspec: it_interval, it_value
	spec[2], spec[3] = int64(d/time.Second), int64(d%time.Second)
	rc, err := w.f.SyscallConn()
	if err != nil {
		return err
	}
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0)
	}); err != nil {
		return err
	}
	if errno != 0 {
		return os.NewSyscallError("timerfd_settime", errno)
	}
	return nil
}

func (w *dbWaiter) close() error { return w.f.Close() }
