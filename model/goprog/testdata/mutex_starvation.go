package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/gohttpsim/gohttpsim/model/goprog/burn"
)

func main() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	done := make(chan bool)
	counts := make([]int, 2)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			mu.Lock()
			counts[0]++
			burn.Burn(200 * time.Microsecond)
			mu.Unlock()
		}
	}()
	time.Sleep(time.Millisecond)
	start := time.Now()
	mu.Lock()
	waited := time.Since(start)
	counts[1]++
	mu.Unlock()
	close(done)
	wg.Wait()
	fmt.Println("main got the lock; waited under 50ms:", waited < 50*time.Millisecond, "greedy iterations > 0:", counts[0] > 0)
}
