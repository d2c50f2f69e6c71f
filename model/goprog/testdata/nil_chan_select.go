package main

import "fmt"

func main() {
	a := make(chan int)
	b := make(chan int)
	go func() {
		for i := 0; i < 3; i++ {
			a <- i
		}
		close(a)
	}()
	go func() {
		for i := 10; i < 12; i++ {
			b <- i
		}
		close(b)
	}()
	sum := 0
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				fmt.Println("a closed")
				continue
			}
			sum += v
		case v, ok := <-b:
			if !ok {
				b = nil
				fmt.Println("b closed")
				continue
			}
			sum += v
		}
	}
	fmt.Println("sum", sum)
	buf := make(chan string, 3)
	buf <- "x"
	buf <- "y"
	fmt.Println(len(buf), cap(buf))
	var nilc chan int
	select {
	case nilc <- 1:
		fmt.Println("impossible")
	default:
		fmt.Println("nil channel never ready", len(nilc), cap(nilc))
	}
}
