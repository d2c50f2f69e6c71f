package main

import (
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/model/goprog/burn"
)

func main() {
	done := make(chan bool)
	go func() {
		burn.Burn(100 * time.Millisecond)
		fmt.Println("burner done")
		done <- true
	}()
	time.Sleep(5 * time.Millisecond)
	fmt.Println("main woke while burner runs")
	<-done
}
