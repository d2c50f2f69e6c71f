package container

import (
	"slices"
	"testing"
)

// contents returns r's values front to back.
func contents[T any](r *Queue[T]) []T {
	var s []T
	for i := range r.Len() {
		s = append(s, *r.At(i))
	}
	return s
}

func TestQueue(t *testing.T) {
	// Each op: >0 Push(v), <0 PushFront(-v), 0 Pop.
	tests := []struct {
		name string
		ops  []int
		pops []int
		left []int
	}{
		{"fifo order", []int{1, 2, 3, 0, 0}, []int{1, 2}, []int{3}},
		{"push front", []int{1, 2, -9, 0}, []int{9}, []int{1, 2}},
		{"front into empty", []int{-5, 6}, nil, []int{5, 6}},
		{"wraps", []int{1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 7, 8, 9, 10, 11}, []int{1, 2, 3, 4}, []int{5, 6, 7, 8, 9, 10, 11}},
		{"grows while wrapped", []int{1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 9, 10, 11, 12, -13}, []int{1, 2, 3}, []int{13, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Queue[int]
			var pops []int
			for _, op := range tt.ops {
				switch {
				case op > 0:
					r.Push(op)
				case op < 0:
					r.PushFront(-op)
				case len(pops)%2 == 1:
					f := *r.Front()
					r.Drop()
					pops = append(pops, f)
				default:
					pops = append(pops, r.Pop())
				}
			}
			if !slices.Equal(pops, tt.pops) || !slices.Equal(contents(&r), tt.left) || r.Len() != len(tt.left) {
				t.Errorf("popped %v, left %v; want %v, %v", pops, contents(&r), tt.pops, tt.left)
			}
			if r.Len() > 0 && *r.Front() != tt.left[0] {
				t.Errorf("Front = %d, want %d", *r.Front(), tt.left[0])
			}
			r.Reset()
			if r.Len() != 0 {
				t.Errorf("Len after Reset = %d", r.Len())
			}
		})
	}
}

func TestQueueEmptyPanics(t *testing.T) {
	for name, f := range map[string]func(r *Queue[int]){
		"Pop":   func(r *Queue[int]) { r.Pop() },
		"Front": func(r *Queue[int]) { r.Front() },
		"At":    func(r *Queue[int]) { r.At(0) },
		"Drop":  func(r *Queue[int]) { r.Drop() },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("%s of an empty Queue did not panic", name)
				}
			}()
			var r Queue[int]
			f(&r)
		})
	}
}

func FuzzQueue(f *testing.F) {
	f.Add([]byte{1, 2, 3, 0, 0, 4, 0})
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 128, 129, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		var r Queue[byte]
		var oracle []byte
		for _, b := range ops {
			switch {
			case b == 0:
				if len(oracle) == 0 {
					continue
				}
				want := oracle[0]
				oracle = oracle[1:]
				if got := r.Pop(); got != want {
					t.Fatalf("Pop = %d, oracle %d", got, want)
				}
			case b >= 128:
				r.PushFront(b)
				oracle = append([]byte{b}, oracle...)
			default:
				r.Push(b)
				oracle = append(oracle, b)
			}
			if r.Len() != len(oracle) {
				t.Fatalf("Len = %d, oracle %d", r.Len(), len(oracle))
			}
		}
		if got := contents(&r); !slices.Equal(got, oracle) && len(oracle) > 0 {
			t.Fatalf("contents %v, oracle %v", got, oracle)
		}
	})
}

func TestQueueSteadyStateAllocatesNothing(t *testing.T) {
	var r Queue[[3]int64]
	for i := range 1000 {
		r.Push([3]int64{int64(i)})
	}
	for r.Len() > 0 {
		r.Pop()
	}
	allocs := testing.AllocsPerRun(100, func() {
		for i := range 1000 {
			r.Push([3]int64{int64(i)})
			if i%3 == 0 {
				r.PushFront([3]int64{})
			}
		}
		for r.Len() > 0 {
			r.Pop()
		}
	})
	if allocs != 0 {
		t.Errorf("steady-state Push/Pop allocates %v times per run, want 0", allocs)
	}
}
