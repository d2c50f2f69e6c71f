package main

import (
	"fmt"
	"sync"
)

func main() {
	const workers = 3
	var wg sync.WaitGroup
	phase := make([][]int, 3)
	var mu sync.Mutex
	for p := 0; p < 3; p++ {
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mu.Lock()
				phase[p] = append(phase[p], w)
				mu.Unlock()
			}()
		}
		wg.Wait()
		fmt.Println("phase", p, "done by", len(phase[p]), "workers")
	}
}
