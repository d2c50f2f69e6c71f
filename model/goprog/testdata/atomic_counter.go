package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type Stats struct {
	requests atomic.Int64
	errors   atomic.Int32
	up       atomic.Bool
	last     atomic.Value
}

func main() {
	var s Stats
	s.up.Store(true)
	var ops uint64
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				atomic.AddUint64(&ops, 1)
				s.requests.Add(1)
			}
			if i%10 == 0 {
				s.errors.Add(1)
				s.last.Store(fmt.Sprintf("err from %d", i))
			}
		}()
	}
	wg.Wait()
	swapped := s.requests.CompareAndSwap(500, 0)
	fmt.Println(atomic.LoadUint64(&ops), swapped, s.requests.Load(), s.errors.Load(), s.up.Load(), s.last.Load() != nil)
}
