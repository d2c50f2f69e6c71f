package main

import (
	"fmt"
	"time"
)

func main() {
	ticker := time.NewTicker(10 * time.Millisecond)
	done := make(chan bool)
	go func() {
		time.Sleep(55 * time.Millisecond)
		done <- true
	}()
	n := 0
	for {
		select {
		case <-done:
			ticker.Stop()
			fmt.Println("ticks:", n)
			return
		case <-ticker.C:
			n++
			fmt.Println("tick", n)
		}
	}
}
