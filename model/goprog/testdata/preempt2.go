package main

import (
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/model/goprog/burn"
)

func main() {
	done := make(chan int)
	go func() {
		burn.Burn(60 * time.Millisecond)
		done <- 1
	}()
	go func() {
		burn.Burn(1 * time.Millisecond)
		done <- 2
	}()
	fmt.Println(<-done)
	fmt.Println(<-done)
}
