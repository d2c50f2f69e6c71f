package main

import (
	"fmt"
	"runtime"
)

func main() {
	ch := make(chan struct{})
	for i := 0; i < 5; i++ {
		go func() { <-ch }()
	}
	runtime.Gosched()
	fmt.Println(runtime.NumGoroutine())
	close(ch)
	runtime.Gosched()
	fmt.Println(runtime.NumGoroutine())
	fmt.Println(runtime.GOMAXPROCS(0))
}
