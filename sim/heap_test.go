package sim

// heap4 is a 4-ary min-heap of events ordered by (When, seq).
//
// It follows the design (not the code) of the runtime's timer heap
// (src/runtime/time.go, go1.26): values not pointers, the key kept inside the
// entry, a 4-ary layout so that one sift step touches children that share
// cache lines, and hand-written sifts that move a hole instead of swapping.
// Invariant: for every i > 0, !before(&h[i], &h[(i-1)/4]).
//
// It is kept as a second implementation of the engine's queue, checked
// against the same oracle as [ladder] (queue_test.go); it loses to the
// ladder by 2-4x from 100K pending events on (BenchmarkQueue*).
//
// Push is O(log4 n) worst case and O(1) on average for random keys; Pop is
// O(log4 n). It allocates only when its backing array grows.
type heap4 struct {
	ev []Event
}

func (h *heap4) len() int { return len(h.ev) }

func (h *heap4) push(e Event) {
	h.ev = append(h.ev, e)
	ev := h.ev
	i := len(ev) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !before(&e, &ev[p]) {
			break
		}
		ev[i] = ev[p]
		i = p
	}
	ev[i] = e
}

// min returns the head without removing it. Precondition: len > 0.
func (h *heap4) min() *Event { return &h.ev[0] }

// pop removes and returns the head. Precondition: len > 0.
func (h *heap4) pop() Event {
	ev := h.ev
	top := ev[0]
	n := len(ev) - 1
	last := ev[n]
	ev[n] = Event{} // zero the vacated slot, as runtime deleteMin does
	h.ev = ev[:n]
	if n > 0 {
		h.siftDown(0, last)
	}
	return top
}

// siftDown places e at hole i and moves it down to restore the invariant.
func (h *heap4) siftDown(i int, e Event) {
	ev := h.ev
	n := len(ev)
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := c + 4
		if end > n {
			end = n
		}
		for j := c + 1; j < end; j++ {
			if before(&ev[j], &ev[m]) {
				m = j
			}
		}
		if !before(&ev[m], &e) {
			break
		}
		ev[i] = ev[m]
		i = m
	}
	ev[i] = e
}

// rebuild restores the invariant over the whole array in O(n) (Floyd).
func (h *heap4) rebuild() {
	n := len(h.ev)
	if n < 2 {
		return // (n-2)/4 truncates to 0 for n < 2
	}
	for i := (n - 2) / 4; i >= 0; i-- {
		h.siftDown(i, h.ev[i])
	}
}

// filter drops the events for which dead reports true.
func (h *heap4) filter(dead func(*Event) bool) {
	j := 0
	for i := range h.ev {
		if !dead(&h.ev[i]) {
			h.ev[j] = h.ev[i]
			j++
		}
	}
	clear(h.ev[j:])
	h.ev = h.ev[:j]
	h.rebuild()
}
