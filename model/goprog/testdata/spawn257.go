package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 258; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i < 3 || i > 252 {
				fmt.Println(i)
			}
		}()
	}
	wg.Wait()
}
