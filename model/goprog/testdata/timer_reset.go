package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTimer(50 * time.Millisecond)
	stopped := t.Stop()
	fmt.Println("stopped before firing:", stopped)
	t.Reset(10 * time.Millisecond)
	start := time.Now()
	<-t.C
	fmt.Println("fired after", time.Since(start).Round(10*time.Millisecond))
	fmt.Println("stop after firing:", t.Stop())
	done := make(chan struct{})
	time.AfterFunc(20*time.Millisecond, func() {
		fmt.Println("after func ran")
		close(done)
	})
	<-done
	fmt.Println("len/cap of timer chan:", len(t.C), cap(t.C))
}
