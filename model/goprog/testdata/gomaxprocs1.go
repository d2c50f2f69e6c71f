package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/gohttpsim/gohttpsim/model/goprog/burn"
)

// Run with GOMAXPROCS=2: main drops to one P (procresize), then spawns
// eight goroutines that each note their start and burn 200 µs. On one P
// the last one sits in runnext and starts first, the others follow in
// FIFO order; with a second P left in place, its M would steal half of
// the ring and the starts would interleave.
func main() {
	fmt.Println("was", runtime.GOMAXPROCS(1))
	fmt.Println("now", runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	var mu sync.Mutex
	order := []int{}
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			burn.Burn(200 * time.Microsecond)
			wg.Done()
		}()
	}
	wg.Wait()
	fmt.Println(order)
}
