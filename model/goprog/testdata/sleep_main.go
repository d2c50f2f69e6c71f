package main

import (
	"fmt"
	"time"
)

func main() {
	go func() {
		for i := 0; i < 3; i++ {
			fmt.Println("tick", i)
			time.Sleep(20 * time.Millisecond)
		}
	}()
	time.Sleep(50 * time.Millisecond)
	fmt.Println("main done")
}
