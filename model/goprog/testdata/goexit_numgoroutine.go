package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer fmt.Println("deferred before Goexit returns")
		func() {
			runtime.Goexit()
		}()
		fmt.Println("never printed")
	}()
	wg.Wait()
	block := make(chan struct{})
	for i := 0; i < 5; i++ {
		go func() { <-block }()
	}
	runtime.Gosched()
	fmt.Println("goroutines:", runtime.NumGoroutine())
	close(block)
	runtime.Gosched()
	fmt.Println("after close:", runtime.NumGoroutine())
	fmt.Println("procs:", runtime.GOMAXPROCS(0))
}
