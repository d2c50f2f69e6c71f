package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"
)

func main() {
	sem := semaphore.NewWeighted(3)
	ctx := context.Background()
	var mu sync.Mutex
	running, peak := 0, 0
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		if err := sem.Acquire(ctx, 1); err != nil {
			fmt.Println("acquire:", err)
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer sem.Release(1)
			mu.Lock()
			running++
			peak = max(peak, running)
			mu.Unlock()
			time.Sleep(time.Duration(i%3+1) * time.Millisecond)
			mu.Lock()
			running--
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println("peak", peak, "try:", sem.TryAcquire(3), sem.TryAcquire(1))
	ctx2, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
	defer cancel()
	fmt.Println("blocked acquire:", sem.Acquire(ctx2, 1))
}
