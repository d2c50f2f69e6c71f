package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fmt.Println("released", i)
		}()
	}
	runtime.Gosched()
	close(start)
	wg.Wait()
}
