package main

import (
	"fmt"
	"time"
)

func or(channels ...<-chan struct{}) <-chan struct{} {
	switch len(channels) {
	case 0:
		return nil
	case 1:
		return channels[0]
	}
	orDone := make(chan struct{})
	go func() {
		defer close(orDone)
		select {
		case <-channels[0]:
		case <-channels[1]:
		case <-or(append(channels[2:], orDone)...):
		}
	}()
	return orDone
}

func after(d time.Duration) <-chan struct{} {
	c := make(chan struct{})
	go func() {
		defer close(c)
		time.Sleep(d)
	}()
	return c
}

func main() {
	start := time.Now()
	<-or(after(2*time.Hour), after(5*time.Minute), after(30*time.Millisecond), after(time.Hour))
	d := time.Since(start)
	fmt.Println("done after the shortest:", d >= 30*time.Millisecond && d < time.Minute)
}
