package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	wg.Add(2)
	for _, name := range []int{1, 2} {
		go func() {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				fmt.Println(name, i)
				runtime.Gosched()
			}
		}()
	}
	wg.Wait()
}
