package host

import (
	"slices"
	"testing"
)

// Jobs start while cores are free, then queue FIFO; a front job jumps the
// queue; each Done hands the freed core to the head.
func TestFIFO(t *testing.T) {
	f := NewFIFO(2)
	var started []int64
	submit := func(x int64, front bool) {
		if f.Submit(x, front) {
			started = append(started, x)
		}
	}
	submit(1, false)
	submit(2, false)
	submit(3, false)
	submit(4, false)
	submit(5, true)
	if !slices.Equal(started, []int64{1, 2}) || f.Busy() != 2 || f.Waiting() != 3 {
		t.Fatalf("started %v, busy %d, waiting %d", started, f.Busy(), f.Waiting())
	}
	var order []int64
	for range 5 {
		if x, ok := f.Done(); ok {
			order = append(order, x)
		}
	}
	if !slices.Equal(order, []int64{5, 3, 4}) || f.Busy() != 0 {
		t.Fatalf("order %v, busy %d", order, f.Busy())
	}
}
