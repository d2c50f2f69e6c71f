package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			fmt.Println("task", i)
		})
	}
	wg.Wait()
	fmt.Println("all done")
}
