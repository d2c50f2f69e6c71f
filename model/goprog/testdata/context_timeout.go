package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func fetch(ctx context.Context, d time.Duration) (string, error) {
	select {
	case <-time.After(d):
		return fmt.Sprintf("fetched in %v", d), nil
	case <-ctx.Done():
		return "", fmt.Errorf("fetch: %w", ctx.Err())
	}
}

func main() {
	for _, d := range []time.Duration{20 * time.Millisecond, 200 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		res, err := fetch(ctx, d)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			fmt.Println("deadline exceeded:", err)
			continue
		}
		fmt.Println(res)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("shutting down"))
	fmt.Println(ctx.Err(), "/", context.Cause(ctx))
	_, hasDL := ctx.Deadline()
	fmt.Println("deadline set:", hasDL)
}
