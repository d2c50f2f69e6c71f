// Command wakeup measures, on the real runtime, how long a goroutine
// created by a running G waits before another P runs it when every other P
// was idle: wakep → startm → futexwakeup of a parked M, the M spinning into
// stealWork, and the last pass taking the creator's runnext after
// usleep(3). The creator busy-loops, so only a thief can run the new G. It
// prints one delay in ns per round. Run with GOMAXPROCS=2; -ring adds a
// second G so that the thief takes one from the ring without usleep(3).
// The source of Config.Wakeup (see CALIBRATION.md).
package main

import (
	"flag"
	"fmt"
	"sync/atomic"
	"time"
)

func main() {
	rounds := flag.Int("rounds", 50, "rounds")
	ring := flag.Bool("ring", false, "spawn two Gs, so that one sits in the ring and is stolen without usleep(3)")
	flag.Parse()
	for range *rounds {
		time.Sleep(2 * time.Millisecond) // both Ps go idle, their Ms park
		var started atomic.Int64
		t0 := time.Now()
		if *ring {
			go func() { started.Store(time.Since(t0).Nanoseconds()) }()
		}
		go func() { started.Store(time.Since(t0).Nanoseconds()) }()
		for started.Load() == 0 && time.Since(t0) < 20*time.Millisecond {
		}
		fmt.Println(started.Load())
	}
}
