package main

import (
	"fmt"
	"runtime"
)

func main() {
	done := make(chan bool)
	n := 0
	go func() {
		for i := 0; i < 5; i++ {
			n++
			runtime.Gosched()
		}
		done <- true
	}()
	for i := 0; i < 3; i++ {
		runtime.Gosched()
		fmt.Println("main sees", n)
	}
	<-done
	fmt.Println("final", n)
}
