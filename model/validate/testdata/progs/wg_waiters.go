package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var ready sync.WaitGroup
	var done sync.WaitGroup
	ready.Add(1)
	for i := 0; i < 3; i++ {
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Wait()
			fmt.Println("waiter", i)
		}()
	}
	runtime.Gosched()
	ready.Done()
	done.Wait()
}
