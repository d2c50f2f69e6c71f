package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

var ErrTimeout = errors.New("call timed out")

func call(ctx context.Context, d time.Duration) (int, error) {
	result := make(chan int, 1)
	go func() {
		time.Sleep(d)
		result <- int(d / time.Millisecond)
	}()
	select {
	case r := <-result:
		return r, nil
	case <-ctx.Done():
		return 0, ErrTimeout
	}
}

func withRetry(attempts int, f func(int) (int, error)) (int, error) {
	var err error
	for i := 0; i < attempts; i++ {
		var v int
		if v, err = f(i); err == nil {
			return v, nil
		}
		fmt.Println("attempt", i+1, "failed:", err)
	}
	return 0, fmt.Errorf("after %d attempts: %w", attempts, err)
}

func main() {
	v, err := withRetry(3, func(i int) (int, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		return call(ctx, time.Duration(60-20*i)*time.Millisecond)
	})
	fmt.Println(v, err)
	_, err = withRetry(2, func(int) (int, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
		defer cancel()
		return call(ctx, 50*time.Millisecond)
	})
	fmt.Println(errors.Is(err, ErrTimeout), err)
}
