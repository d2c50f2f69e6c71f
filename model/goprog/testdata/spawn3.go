package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() {
			fmt.Println("g", i)
			wg.Done()
		}()
	}
	wg.Wait()
}
