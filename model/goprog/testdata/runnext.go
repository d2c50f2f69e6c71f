package main

import (
	"fmt"
	"runtime"
)

func main() {
	done := make(chan bool)
	go func() { fmt.Println("a"); done <- true }()
	go func() { fmt.Println("b"); done <- true }()
	go func() { fmt.Println("c"); done <- true }()
	runtime.Gosched()
	fmt.Println("main")
	for range 3 {
		<-done
	}
}
