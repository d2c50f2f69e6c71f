// This file holds Slots, a slot allocator: a slice of values addressed by
// index, with a free list of released slots and a generation per slot.
//
// Alloc pops the most recently freed slot (LIFO, so a slot that was just
// released, still warm in the cache, is reused first), or appends a new
// zero slot when the free list is empty. A reused slot still holds what it
// held when freed: callers overwrite it (most do at once), and a model that
// marks freed slots (a closed connection's NoConn) keeps its mark until the
// slot is set up again, as with the hand-written free lists this replaces.
// Free bumps the slot's generation and pushes it on
// the free list. A Handle records an index with the generation it had when
// taken, so a handle kept past a Free is detected as stale (Valid) instead
// of silently naming the slot's next user, as the runtime's pollDesc.fdseq
// (src/runtime/netpoll.go, go1.26) detects a stale descriptor.
//
// Slots are never returned to the heap: memory is that of the largest
// number of slots live at once.

package container

import "unsafe"

// Index is an integer type that addresses slots.
type Index interface {
	~int | ~int32 | ~uint32
}

// Slots is a slice of T addressed by I whose freed slots are reused
// last-freed-first. The zero Slots is empty and ready to use. Not safe for
// concurrent use.
//
// Values and generations are kept in pages ([Paged]), so a table of ten
// million slots is never copied as it grows, and a pointer from At stays
// valid.
type Slots[T any, I Index] struct {
	items Paged[T]
	gen   Paged[uint32]
	free  []I
}

// Handle names a slot at one generation; see [Slots.Handle].
type Handle[I Index] struct {
	Index I
	Gen   uint32
}

// Alloc returns the most recently freed slot, holding its last value, or
// a new slot holding the zero T.
func (s *Slots[T, I]) Alloc() I {
	if n := len(s.free); n > 0 {
		i := s.free[n-1]
		s.free = s.free[:n-1]
		return i
	}
	var zero T
	s.gen.Append(0)
	return I(s.items.Append(zero))
}

// Reserve is a hint that k more new slots will be needed. Slots grow a
// page at a time without copying, so it does nothing; it remains so that
// callers that know their size say so.
func (s *Slots[T, I]) Reserve(k int) {}

// Free releases slot i for reuse and bumps its generation. The value stays
// readable through At until the slot is allocated again. Freeing a slot
// twice is a caller bug that Slots does not detect.
func (s *Slots[T, I]) Free(i I) {
	*s.gen.At(int(i)) += 1
	s.free = append(s.free, i)
}

// Bump advances slot i's generation without freeing it, so that handles
// taken before (a pending event's, say) are no longer Valid.
func (s *Slots[T, I]) Bump(i I) { *s.gen.At(int(i)) += 1 }

// At returns a pointer to slot i's value. Slots never move: the pointer
// stays valid.
func (s *Slots[T, I]) At(i I) *T { return s.items.At(int(i)) }

// Len returns the number of slots made so far, live or free; they are
// indexed 0 through Len-1.
func (s *Slots[T, I]) Len() int { return s.items.Len() }

// Live returns the number of allocated slots.
func (s *Slots[T, I]) Live() int { return s.items.Len() - len(s.free) }

// Gen returns slot i's generation: how many times it was freed or bumped.
func (s *Slots[T, I]) Gen(i I) uint32 { return *s.gen.At(int(i)) }

// Handle returns a handle to slot i at its current generation.
func (s *Slots[T, I]) Handle(i I) Handle[I] { return Handle[I]{i, s.Gen(i)} }

// MemBytes reports the memory the slots occupy as allocated: values,
// generations and the free list.
func (s *Slots[T, I]) MemBytes() int64 {
	var i I
	return s.items.Bytes() + s.gen.Bytes() + int64(cap(s.free))*int64(unsafe.Sizeof(i))
}

// Valid reports whether h names a slot that exists and has not been freed
// since h was taken.
func (s *Slots[T, I]) Valid(h Handle[I]) bool {
	return h.Index >= 0 && int(h.Index) < s.gen.Len() && s.Gen(h.Index) == h.Gen
}
