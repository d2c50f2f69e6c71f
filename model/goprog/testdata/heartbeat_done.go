package main

import (
	"fmt"
	"time"
)

func worker(done <-chan struct{}, pulse time.Duration) (<-chan struct{}, <-chan int) {
	heartbeat := make(chan struct{}, 1)
	results := make(chan int)
	go func() {
		defer close(heartbeat)
		defer close(results)
		tick := time.NewTicker(pulse)
		defer tick.Stop()
		work := time.After(35 * time.Millisecond)
		n := 0
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				select {
				case heartbeat <- struct{}{}:
				default:
				}
			case <-work:
				n++
				results <- n
				work = time.After(35 * time.Millisecond)
			}
		}
	}()
	return heartbeat, results
}

func main() {
	done := make(chan struct{})
	time.AfterFunc(100*time.Millisecond, func() { close(done) })
	hb, results := worker(done, 10*time.Millisecond)
	beats := 0
	for {
		select {
		case _, ok := <-hb:
			if !ok {
				fmt.Println("heartbeats", beats >= 5)
				return
			}
			beats++
		case r, ok := <-results:
			if ok {
				fmt.Println("result", r)
			}
		}
	}
}
