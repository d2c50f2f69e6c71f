// This file holds Queue, a FIFO queue in two slices.
//
// Values are pushed by appending to tail and taken from head at index hd.
// When head is used up, the two swap: tail becomes head, and head's array
// becomes the new tail. No value is ever moved, the arrays are
// reused, and a Queue grows only when the backlog outgrows them, so a
// steady state of Push and Pop allocates nothing; memory is at most twice
// the largest backlog. Unlike a slice appended at the tail and resliced at
// the head (q = q[1:]), whose array creeps forward and is reallocated again
// and again, or one compacted only when it is empty, which grows without
// bound if it never drains, a Queue stays bounded under any interleaving.
//
// PushFront puts a value back at the front (a woken goroutine that takes
// runnext): O(1) after a Pop, otherwise a shift of head.
//
// The design is net/http's wantConnQueue (src/net/http/transport.go,
// go1.26). It is preferred to a ring buffer because every method inlines
// (the growth path is append, not a call), which the kernel's
// same-instant event FIFO needs.

package container

import "unsafe"

// Queue is a FIFO queue of T. The zero Queue is empty and ready to use.
// Not safe for concurrent use.
//
// Popped values are not cleared: they stay in the arrays until
// overwritten, so a T that holds pointers keeps what they point to alive
// that long. Queues in a simulation hold indices and plain values.
type Queue[T any] struct {
	head []T // values head[hd:] come first
	tail []T // then these
	hd   int
}

// Len returns the number of values queued.
func (q *Queue[T]) Len() int { return len(q.head) - q.hd + len(q.tail) }

// Push appends x at the back.
func (q *Queue[T]) Push(x T) {
	if q.hd == len(q.head) { // empty: head is used up only when tail is too
		q.head = append(q.head[:0], x)
		q.hd = 0
		return
	}
	q.tail = append(q.tail, x)
}

// PushFront puts x at the front, ahead of every queued value.
func (q *Queue[T]) PushFront(x T) {
	switch {
	case q.hd > 0:
		q.hd--
		q.head[q.hd] = x
	case len(q.head) == 0:
		q.Push(x)
	default:
		var zero T
		q.head = append(q.head, zero)
		copy(q.head[1:], q.head)
		q.head[0] = x
	}
}

// Front returns a pointer to the front value, valid until the next Push or
// Pop. It panics if q is empty.
func (q *Queue[T]) Front() *T { return &q.head[q.hd] }

// Pop removes and returns the front value. It panics if q is empty.
func (q *Queue[T]) Pop() T {
	x := q.head[q.hd]
	q.Drop()
	return x
}

// Drop removes the front value, as Pop without returning it. It panics if
// q is empty.
func (q *Queue[T]) Drop() {
	_ = q.head[q.hd] // panics if empty
	q.hd++
	if q.hd == len(q.head) {
		q.head, q.tail, q.hd = q.tail, q.head[:0], 0
	}
}

// At returns a pointer to the i-th value from the front (0 is the front),
// valid until the next Push or Pop. It panics if i is out of range.
func (q *Queue[T]) At(i int) *T {
	if i < 0 || i >= q.Len() {
		panic("container: Queue index out of range")
	}
	if k := len(q.head) - q.hd; i >= k {
		return &q.tail[i-k]
	}
	return &q.head[q.hd+i]
}

// Reset empties q, keeping its arrays.
func (q *Queue[T]) Reset() {
	q.head, q.tail, q.hd = q.head[:0], q.tail[:0], 0
}

// MemBytes reports the memory the queue's arrays occupy, as allocated.
func (q *Queue[T]) MemBytes() int64 {
	var zero T
	return int64(cap(q.head)+cap(q.tail)) * int64(unsafe.Sizeof(zero))
}
