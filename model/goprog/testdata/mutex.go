package main

import (
	"fmt"
	"runtime"
	"sync"
)

var mu sync.Mutex
var counter int

func worker(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < 3; i++ {
		mu.Lock()
		counter++
		fmt.Println("worker", id, "counter", counter)
		runtime.Gosched()
		mu.Unlock()
	}
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go worker(i, &wg)
	}
	wg.Wait()
	fmt.Println("final", counter)
}
