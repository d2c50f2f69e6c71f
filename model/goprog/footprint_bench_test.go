package goprog

import (
	"runtime"
	"testing"

	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/sim"
)

// parkedSrc starts 200,000 goroutines that block receiving from a channel
// nobody sends on; main blocks too, so the run ends in a deadlock with
// every goroutine parked.
const parkedSrc = `package main

func main() {
	ch := make(chan int)
	for i := 0; i < 200000; i++ {
		go func() { <-ch }()
	}
	<-ch
}
`

// BenchmarkParkedG measures the simulator's memory per parked goroutine of
// an interpreted program (`gohttpsim sched`): B/G is the Go heap the run
// holds per goroutine once all are parked (HeapAlloc after a GC, less the
// heap before); of it, from the tables as allocated:
//
//	G-B/G      the scheduler's G (gmp's G table)
//	event-B/G  pending-event storage and timer slots (none pending: parked
//	           goroutines wait on a channel, not a timer)
//	interp-B/G the rest: the interpreter's goroutine state, its frames and
//	           the channel wait-queue entry (the runtime's sudog)
func BenchmarkParkedG(b *testing.B) {
	const n = 200000
	prog, err := Compile("parked.go", []byte(parkedSrc))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		e := sim.NewEngine(1)
		s := gmp.New(e, gmp.Config{GOMAXPROCS: 8, StartSchedtick: startSchedtick})
		r := NewRunner(prog, s)
		r.Start()
		e.Run()
		runtime.GC()
		runtime.ReadMemStats(&after)
		if exited, _ := r.Exited(); exited || s.Stats().GoroutinesPeak < n {
			b.Fatalf("want %d goroutines parked in a deadlock; exited %v, peak %d", n, exited, s.Stats().GoroutinesPeak)
		}
		evB, timerB := e.MemBytes()
		total := float64(after.HeapAlloc - before.HeapAlloc)
		b.ReportMetric(total/n, "B/G")
		b.ReportMetric(float64(s.GBytes())/n, "G-B/G")
		b.ReportMetric(float64(evB+timerB)/n, "event-B/G")
		b.ReportMetric((total-float64(s.GBytes()+evB+timerB))/n, "interp-B/G")
		runtime.KeepAlive(r)
	}
}
