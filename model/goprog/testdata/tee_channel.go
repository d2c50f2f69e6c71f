package main

import (
	"fmt"
	"sync"
)

func tee(in <-chan int) (<-chan int, <-chan int) {
	out1, out2 := make(chan int), make(chan int)
	go func() {
		defer close(out1)
		defer close(out2)
		for v := range in {
			o1, o2 := out1, out2
			for i := 0; i < 2; i++ {
				select {
				case o1 <- v:
					o1 = nil
				case o2 <- v:
					o2 = nil
				}
			}
		}
	}()
	return out1, out2
}

func main() {
	in := make(chan int)
	go func() {
		defer close(in)
		for i := 1; i <= 4; i++ {
			in <- i
		}
	}()
	a, b := tee(in)
	var wg sync.WaitGroup
	sums := [2]int{}
	wg.Add(2)
	go func() {
		defer wg.Done()
		for v := range a {
			sums[0] += v
		}
	}()
	go func() {
		defer wg.Done()
		for v := range b {
			sums[1] += v * 10
		}
	}()
	wg.Wait()
	fmt.Println(sums)
}
