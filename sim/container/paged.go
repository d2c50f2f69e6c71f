// This file holds Paged, a growable array stored in fixed-size pages.
//
// A slice grown by append copies every element at each growth and briefly
// holds the old and the new array: at ten million entities that is seconds
// of memmove and up to twice the memory at the peak. Paged allocates one
// page at a time and never moves an element, so a pointer from At stays
// valid for the life of the array, and memory is the elements plus less
// than one page. The price is one more indirection per access.

package container

import "unsafe"

// pageBytes is the target size of a page: large enough that the page
// table is tiny (a few thousand entries at ten million elements), small
// enough that a small model pays little for its first page.
const pageBytes = 64 << 10

// Paged is an array of T in pages of a power-of-two number of elements.
// The zero Paged is empty and ready to use. Not safe for concurrent use.
type Paged[T any] struct {
	pages [][]T
	n     int
	shift uint // elements per page: 1<<shift (0 until the first page)
}

// Len returns the number of elements.
func (p *Paged[T]) Len() int { return p.n }

// At returns a pointer to element i (0 <= i < Len). It stays valid for
// the life of p: elements never move.
func (p *Paged[T]) At(i int) *T {
	return &p.pages[i>>p.shift][i&(1<<p.shift-1)]
}

// Append adds v at index Len and returns that index.
func (p *Paged[T]) Append(v T) int {
	if p.shift == 0 {
		var zero T
		size := max(int(unsafe.Sizeof(zero)), 1)
		p.shift = 1
		for (2<<p.shift)*size <= pageBytes {
			p.shift++
		}
	}
	i := p.n
	if i>>p.shift == len(p.pages) {
		p.pages = append(p.pages, make([]T, 1<<p.shift))
	}
	p.pages[i>>p.shift][i&(1<<p.shift-1)] = v
	p.n++
	return i
}

// Bytes returns the memory the elements occupy: whole pages, as allocated.
func (p *Paged[T]) Bytes() int64 {
	var zero T
	return int64(len(p.pages)) << p.shift * int64(unsafe.Sizeof(zero))
}

// Pop removes the last element and returns it. Its page is kept for reuse.
func (p *Paged[T]) Pop() T {
	p.n--
	return *p.At(p.n)
}

// Reset empties p, keeping its pages for reuse.
func (p *Paged[T]) Reset() { p.n = 0 }
