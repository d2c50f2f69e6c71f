package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	order := []int{}
	for i := 0; i < 600; i++ {
		wg.Add(1)
		go func() {
			order = append(order, i)
			wg.Done()
		}()
	}
	wg.Wait()
	fmt.Println(len(order), order[0], order[1], order[255], order[256], order[300], order[599])
	fmt.Println(order)
}
