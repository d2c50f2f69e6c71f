//go:build !linux

package validate

import (
	"context"
	"time"
)

// dbWaiter waits a query's time on a Go timer where no timerfd exists; see
// dbwait_linux.go for why Linux uses a timerfd (the runtime timer fires up
// to a millisecond or more late on an idle process).
type dbWaiter struct{}

func newDBWaiter() (*dbWaiter, error) { return &dbWaiter{}, nil }

func (w *dbWaiter) wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *dbWaiter) close() error { return nil }
