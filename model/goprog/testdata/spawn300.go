package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	order := []int{}
	for i := 0; i < 300; i++ {
		wg.Add(1)
		go func() {
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			wg.Done()
		}()
	}
	wg.Wait()
	fmt.Println(order)
}
