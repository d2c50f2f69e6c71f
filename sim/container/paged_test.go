package container

import "testing"

// Elements keep their values and their addresses as the array grows
// across many pages.
func TestPagedStable(t *testing.T) {
	var p Paged[[3]int64]
	const n = 100000
	first := (*[3]int64)(nil)
	for i := range n {
		if got := p.Append([3]int64{int64(i), int64(-i), 7}); got != i {
			t.Fatalf("Append returned %d, want %d", got, i)
		}
		if i == 0 {
			first = p.At(0)
		}
	}
	if p.Len() != n {
		t.Fatalf("Len %d, want %d", p.Len(), n)
	}
	for i := range n {
		if v := *p.At(i); v != [3]int64{int64(i), int64(-i), 7} {
			t.Fatalf("At(%d) = %v", i, v)
		}
	}
	if first != p.At(0) {
		t.Fatal("element 0 moved")
	}
	for i := n - 1; i >= n/2; i-- {
		if v := p.Pop(); v[0] != int64(i) {
			t.Fatalf("Pop = %v, want element %d", v, i)
		}
	}
	if p.Len() != n/2 || p.Append([3]int64{9}) != n/2 || p.At(n / 2)[0] != 9 {
		t.Fatal("Append after Pop does not reuse the freed index")
	}
	p.Reset()
	if p.Len() != 0 {
		t.Fatal("Reset left elements")
	}
	if b := p.Bytes(); b < n*24 || b > n*24+pageBytes {
		t.Fatalf("Bytes %d for %d 24-byte elements", b, n)
	}
}
