package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	const n = 10000000
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			<-start
			wg.Done()
		}()
	}
	fmt.Println("goroutines", runtime.NumGoroutine())
	close(start)
	wg.Wait()
	fmt.Println("done")
}
