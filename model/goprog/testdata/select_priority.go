package main

import "fmt"

func main() {
	high := make(chan int, 10)
	low := make(chan int, 10)
	for i := 0; i < 5; i++ {
		high <- i
		low <- 100 + i
	}
	close(high)
	close(low)
	var order []int
	for high != nil || low != nil {
		select {
		case v, ok := <-high:
			if !ok {
				high = nil
				continue
			}
			order = append(order, v)
			continue
		default:
		}
		v, ok := <-low
		if !ok {
			low = nil
			continue
		}
		order = append(order, v)
	}
	fmt.Println(order)
}
