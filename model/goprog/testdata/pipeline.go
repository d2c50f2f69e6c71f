package main

import "fmt"

func gen(n int, out chan int) {
	for i := 1; i <= n; i++ {
		out <- i
	}
	close(out)
}

func square(in chan int, out chan int) {
	for v := range in {
		out <- v * v
	}
	close(out)
}

func main() {
	a := make(chan int)
	b := make(chan int)
	go gen(5, a)
	go square(a, b)
	sum := 0
	for v := range b {
		fmt.Println(v)
		sum += v
	}
	fmt.Println("sum", sum)
}
