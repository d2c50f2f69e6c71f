package main

import (
	"fmt"
	"time"
)

func slow(d time.Duration, msg string) <-chan string {
	c := make(chan string, 1)
	go func() {
		time.Sleep(d)
		c <- msg
	}()
	return c
}

func main() {
	for _, d := range []time.Duration{10 * time.Millisecond, 80 * time.Millisecond} {
		select {
		case m := <-slow(d, fmt.Sprint("reply after ", d)):
			fmt.Println(m)
		case <-time.After(40 * time.Millisecond):
			fmt.Println("timeout waiting", d)
		}
	}
}
