// This file holds Ring, a FIFO queue in a growable ring buffer.
//
// The buffer's length is a power of two, so positions are a mask away;
// head is the position of the front and n the number of values. Push
// writes at head+n and doubles the buffer (copying the values to its
// start, in order) only when it is full; Pop advances head. Once the
// buffer has grown to the largest backlog of a run, Push and Pop never
// allocate, unlike a slice that is appended at the tail and resliced at the
// head (q = q[1:]), whose backing array creeps forward and is reallocated
// again and again. PushFront puts a value back at the front, for queues
// where a preempted job keeps its turn.
//
// net/http's wantConnQueue (src/net/http/transport.go, go1.26) solves the
// same problem with two slices swapped when the head one is drained.

package container

// Ring is a FIFO queue of T. The zero Ring is empty and ready to use. Not
// safe for concurrent use.
type Ring[T any] struct {
	buf  []T
	head int
	n    int
}

// Len returns the number of values queued.
func (r *Ring[T]) Len() int { return r.n }

// Push appends x at the back.
func (r *Ring[T]) Push(x T) {
	if r.n == len(r.buf) {
		r.grow()
	}
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = x
	r.n++
}

// PushFront puts x at the front, ahead of every queued value.
func (r *Ring[T]) PushFront(x T) {
	if r.n == len(r.buf) {
		r.grow()
	}
	r.head = (r.head - 1) & (len(r.buf) - 1)
	r.buf[r.head] = x
	r.n++
}

// Pop removes and returns the front value. It panics if r is empty.
func (r *Ring[T]) Pop() T {
	if r.n == 0 {
		panic("container: Pop of an empty Ring")
	}
	x := r.buf[r.head]
	var zero T
	r.buf[r.head] = zero // drop references held by T
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	return x
}

// Front returns a pointer to the front value, valid until the next Push or
// Pop. It panics if r is empty.
func (r *Ring[T]) Front() *T {
	if r.n == 0 {
		panic("container: Front of an empty Ring")
	}
	return &r.buf[r.head]
}

// At returns a pointer to the i-th value from the front (0 is the front),
// valid until the next Push or Pop. It panics if i is out of range.
func (r *Ring[T]) At(i int) *T {
	if i < 0 || i >= r.n {
		panic("container: Ring index out of range")
	}
	return &r.buf[(r.head+i)&(len(r.buf)-1)]
}

// Reset empties r, keeping its buffer.
func (r *Ring[T]) Reset() {
	var zero T
	for i := 0; i < r.n; i++ {
		r.buf[(r.head+i)&(len(r.buf)-1)] = zero
	}
	r.head, r.n = 0, 0
}

func (r *Ring[T]) grow() {
	size := 2 * len(r.buf)
	if size == 0 {
		size = 8
	}
	buf := make([]T, size)
	k := copy(buf, r.buf[r.head:])
	copy(buf[k:], r.buf[:r.head])
	r.buf, r.head = buf, 0
}
