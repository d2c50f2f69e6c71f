package main

import (
	"fmt"
	"time"
)

func main() {
	ticker := time.NewTicker(10 * time.Millisecond)
	n := 0
	for range ticker.C {
		n++
		fmt.Println("tick", n)
		if n == 3 {
			ticker.Stop()
			break
		}
	}
	select {
	case <-ticker.C:
		fmt.Println("tick after Stop")
	case <-time.After(50 * time.Millisecond):
		fmt.Println("no tick after Stop")
	}
	ticker.Reset(5 * time.Millisecond)
	<-ticker.C
	fmt.Println("ticking again after Reset")
	ticker.Stop()
}
