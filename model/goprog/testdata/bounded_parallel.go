package main

import (
	"fmt"
	"sync"
)

func process(n int) int { return n * 3 }

func main() {
	inputs := make([]int, 20)
	for i := range inputs {
		inputs[i] = i
	}
	results := make([]int, len(inputs))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = process(in)
		}()
	}
	wg.Wait()
	sum := 0
	for _, r := range results {
		sum += r
	}
	fmt.Println(results[:5], "sum", sum)
}
