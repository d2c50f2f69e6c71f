package container

import (
	"slices"
	"testing"
)

func TestSlotsAlloc(t *testing.T) {
	type op struct {
		free int // -1: Alloc
		want int // index Alloc returns
	}
	tests := []struct {
		name string
		ops  []op
		live int
	}{
		{"fresh slots count up", []op{{-1, 0}, {-1, 1}, {-1, 2}}, 3},
		{"last freed first", []op{{-1, 0}, {-1, 1}, {-1, 2}, {0, 0}, {2, 0}, {-1, 2}, {-1, 0}, {-1, 3}}, 4},
		{"free all then reuse in reverse", []op{{-1, 0}, {-1, 1}, {0, 0}, {1, 0}, {-1, 1}, {-1, 0}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Slots[int64, int32]
			for k, o := range tt.ops {
				if o.free >= 0 {
					s.Free(int32(o.free))
					continue
				}
				if got := s.Alloc(); got != int32(o.want) {
					t.Fatalf("op %d: Alloc = %d, want %d", k, got, o.want)
				}
			}
			if s.Live() != tt.live {
				t.Errorf("Live = %d, want %d", s.Live(), tt.live)
			}
		})
	}
}

func TestSlotsReusedSlotKeepsItsValue(t *testing.T) {
	var s Slots[[2]int, uint32]
	i := s.Alloc()
	*s.At(i) = [2]int{7, 8}
	s.Free(i)
	if got := *s.At(i); got != [2]int{7, 8} {
		t.Errorf("freed slot = %v, want its last value readable", got)
	}
	if j := s.Alloc(); j != i || *s.At(j) != [2]int{7, 8} {
		t.Errorf("Alloc = %d holding %v, want %d holding its last value", j, *s.At(j), i)
	}
	if k := s.Alloc(); *s.At(k) != [2]int{} {
		t.Errorf("new slot %d holds %v, want zero", k, *s.At(k))
	}
}

func TestSlotsHandles(t *testing.T) {
	var s Slots[string, int]
	a := s.Alloc()
	h := s.Handle(a)
	if !s.Valid(h) {
		t.Fatal("fresh handle not valid")
	}
	s.Free(a)
	if s.Valid(h) {
		t.Error("handle valid after Free")
	}
	b := s.Alloc()
	if b != a || s.Valid(h) || !s.Valid(s.Handle(b)) || s.Gen(b) != 1 {
		t.Errorf("after reuse: b=%d gen=%d, old handle valid=%v", b, s.Gen(b), s.Valid(h))
	}
	h = s.Handle(b)
	s.Bump(b)
	if s.Valid(h) || s.Gen(b) != 2 || s.Live() != 1 {
		t.Errorf("after Bump: old handle valid=%v, gen=%d, live=%d", s.Valid(h), s.Gen(b), s.Live())
	}
	for _, h := range []Handle[int]{{Index: -1}, {Index: 5}} {
		if s.Valid(h) {
			t.Errorf("Valid(%v) = true for a slot that does not exist", h)
		}
	}
}

// slotsOracle is the obvious implementation: a slice of live flags and a
// stack of freed indices.
type slotsOracle struct {
	live []bool
	free []int32
	gen  []uint32
}

func FuzzSlots(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 2, 0, 3, 0})
	f.Add([]byte{0, 1, 0, 1, 0, 1, 255, 0, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		var s Slots[int32, int32]
		var o slotsOracle
		for _, b := range ops {
			if b%2 == 0 || len(o.live) == 0 {
				var want int32
				if n := len(o.free); n > 0 {
					want = o.free[n-1]
					o.free = o.free[:n-1]
				} else {
					o.live = append(o.live, false)
					o.gen = append(o.gen, 0)
					want = int32(len(o.live) - 1)
				}
				o.live[want] = true
				got := s.Alloc()
				wantVal := int32(0) // new slots are zero; reused ones keep the value freed
				if int(want) < s.Len() && o.gen[want] > 0 {
					wantVal = -(want + 1)
				}
				if got != want || *s.At(got) != wantVal {
					t.Fatalf("Alloc = %d (value %d), oracle %d", got, *s.At(got), want)
				}
				*s.At(got) = got + 1
				continue
			}
			// Free the (b/2)-th live slot, if any.
			var liveIdx []int32
			for i, l := range o.live {
				if l {
					liveIdx = append(liveIdx, int32(i))
				}
			}
			if len(liveIdx) == 0 {
				continue
			}
			i := liveIdx[int(b/2)%len(liveIdx)]
			if *s.At(i) != i+1 {
				t.Fatalf("slot %d holds %d, want %d", i, *s.At(i), i+1)
			}
			*s.At(i) = -(i + 1)
			o.live[i] = false
			o.gen[i]++
			o.free = append(o.free, i)
			s.Free(i)
		}
		if s.Len() != len(o.live) || s.Live() != len(o.live)-len(o.free) {
			t.Fatalf("Len/Live = %d/%d, oracle %d/%d", s.Len(), s.Live(), len(o.live), len(o.live)-len(o.free))
		}
		for i := range o.gen {
			if s.Gen(int32(i)) != o.gen[i] {
				t.Fatalf("Gen(%d) = %d, oracle %d", i, s.Gen(int32(i)), o.gen[i])
			}
		}
		if !slices.Equal(s.free, o.free) {
			t.Fatalf("free list %v, oracle %v", s.free, o.free)
		}
	})
}

func TestSlotsSteadyStateAllocatesNothing(t *testing.T) {
	var s Slots[[4]int64, int32]
	var held []int32
	for range 100 {
		held = append(held, s.Alloc())
	}
	for _, i := range held {
		s.Free(i)
	}
	allocs := testing.AllocsPerRun(100, func() {
		for k := range held {
			held[k] = s.Alloc()
		}
		for _, i := range held {
			s.Free(i)
		}
	})
	if allocs != 0 {
		t.Errorf("steady-state Alloc/Free allocates %v times per run, want 0", allocs)
	}
}

func TestSlotsReserve(t *testing.T) {
	var s Slots[int64, int32]
	s.Alloc()
	*s.At(0) = 42
	s.Reserve(2000) // AllocsPerRun runs f once more to warm up
	if *s.At(0) != 42 || s.Len() != 1 {
		t.Fatalf("Reserve changed the slots: Len %d, slot 0 = %d", s.Len(), *s.At(0))
	}
	allocs := testing.AllocsPerRun(1, func() {
		for range 999 {
			s.Alloc()
		}
	})
	if allocs != 0 {
		t.Errorf("Alloc within the reserve allocates %v times, want 0", allocs)
	}
}
