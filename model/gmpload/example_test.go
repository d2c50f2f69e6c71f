package gmpload_test

import (
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/model/gmpload"
	"github.com/gohttpsim/gohttpsim/sim"
)

// A live view (the browser's first section) builds the load with no
// arrival process, advances the engine a slice of simulated time per frame
// and injects connections when the user clicks.
func Example_live() {
	e := sim.NewEngine(1)
	cfg := gmpload.DefaultConfig()
	cfg.Rate = 0 // connections only on click
	cfg.Sched.GOMAXPROCS = 2
	l, err := gmpload.New(e, cfg)
	if err != nil {
		panic(err)
	}
	frame := func() { e.RunUntil(e.Now().Add(time.Millisecond)) }
	frame()
	l.Inject(5) // a click
	frame()
	c := l.Counts()
	fmt.Printf("goroutines %d, in IO wait %d, open %d\n", c.Goroutines, c.NetWait, c.Open)
	for i := range l.NumConnSlots() {
		v := l.Conn(i)
		fmt.Println(i, v.State, v.Served)
	}
	for range 2000 { // two simulated seconds: the clients finish and close
		frame()
	}
	c = l.Counts()
	fmt.Printf("goroutines %d, completed %d\n", c.Goroutines, l.Stats().Completed)
	// Output:
	// goroutines 6, in IO wait 6, open 5
	// 0 idle 1
	// 1 idle 1
	// 2 idle 1
	// 3 idle 1
	// 4 idle 1
	// goroutines 1, completed 50
}
