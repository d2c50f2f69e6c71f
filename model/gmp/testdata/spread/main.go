// Command spread is the real-runtime side of TestSpreadDistribution
// (model/gmp/spread_test.go): each round, main spawns -n goroutines that
// each note the P they start on (runtime.procPin, reachable by linkname:
// go.dev/issue/67401) and then busy-loop for -work; main waits for them
// all. One line per round: how many of the goroutines started on the P
// main ran on when it spawned them.
package main

import (
	"flag"
	"fmt"
	"sync"
	"time"
	_ "unsafe" // go:linkname
)

//go:linkname procPin runtime.procPin
func procPin() int

//go:linkname procUnpin runtime.procUnpin
func procUnpin()

func pid() int {
	p := procPin()
	procUnpin()
	return p
}

func burn(d time.Duration) {
	for t0 := time.Now(); time.Since(t0) < d; {
	}
}

func main() {
	n := flag.Int("n", 64, "goroutines per round")
	work := flag.Duration("work", 100*time.Microsecond, "busy loop per goroutine")
	rounds := flag.Int("rounds", 20, "rounds")
	flag.Parse()
	ps := make([]int, *n)
	for range *rounds {
		var wg sync.WaitGroup
		mainP := pid()
		for i := range *n {
			wg.Add(1)
			go func() {
				ps[i] = pid()
				burn(*work)
				wg.Done()
			}()
		}
		wg.Wait()
		same := 0
		for _, p := range ps {
			if p == mainP {
				same++
			}
		}
		fmt.Println(same)
		time.Sleep(time.Millisecond) // let the other P go idle between rounds
	}
}
