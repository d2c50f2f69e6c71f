package gmp

import (
	"os"
	"runtime"
	"sync"
	"testing"
)

// The benchmarks below measure the real runtime on this machine; they are
// the source of the cost defaults (CALIBRATION.md). Run with
//
//	go test -run=NONE -bench=Real -cpu=1,2 ./model/gmp

// BenchmarkRealGosched: one runtime.Gosched with another G yielding too:
// two context switches per iteration pair, i.e. ~one CtxSwitch each.
func BenchmarkRealGosched(b *testing.B) {
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			default:
				runtime.Gosched()
			}
		}
	}()
	for b.Loop() {
		runtime.Gosched()
	}
	close(done)
}

// BenchmarkRealChanPingPong: an unbuffered round trip, two blocking
// switches (park + goready + schedule) per iteration.
func BenchmarkRealChanPingPong(b *testing.B) {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	for b.Loop() {
		ping <- 1
		<-pong
	}
	close(ping)
}

// BenchmarkRealGoExit: go f() + run + exit + WaitGroup, i.e. GoCreate plus
// one switch and goexit.
func BenchmarkRealGoExit(b *testing.B) {
	var wg sync.WaitGroup
	for b.Loop() {
		wg.Add(1)
		go wg.Done()
		wg.Wait()
	}
}

// BenchmarkRealSyscall: a cheap blocking-capable syscall (getpid via
// os.Getpid is vDSO-free on linux), the entersyscall/exitsyscall pair.
func BenchmarkRealSyscall(b *testing.B) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 1)
	for b.Loop() {
		f.Read(buf)
	}
}

// BenchmarkModelSpawn measures the model itself: simulated spawns per
// second of wall time (1000 Gs per iteration, GOMAXPROCS 4).
func BenchmarkModelSpawn(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		runSpawnB(4, 1000)
	}
}
