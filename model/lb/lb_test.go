package lb

import (
	"math/rand/v2"
	"testing"
)

func TestPolicies(t *testing.T) {
	rr, _ := New(RoundRobin, 3, nil)
	var got []int
	for range 6 {
		got = append(got, rr.Pick())
	}
	if want := []int{0, 1, 2, 0, 1, 2}; !equal(got, want) {
		t.Fatalf("round-robin %v", got)
	}
	lc, _ := New(LeastConnections, 3, nil)
	lc.Pick()
	lc.Pick()
	lc.Closed(0)
	if i := lc.Pick(); i != 0 {
		t.Fatalf("least-connections picked %d, want 0", i)
	}
	// p2c never picks the most loaded of two replicas when they differ.
	p, _ := New(PowerOfTwo, 2, rand.New(rand.NewPCG(1, 2)))
	for range 100 {
		p.Pick()
	}
	if o := p.Open(); o[0]-o[1] > 1 || o[1]-o[0] > 1 {
		t.Fatalf("p2c with two replicas unbalanced: %v", o)
	}
	if _, err := New("random", 2, nil); err == nil {
		t.Fatal("unknown policy accepted")
	}
	if _, err := New(RoundRobin, 0, nil); err == nil {
		t.Fatal("zero replicas accepted")
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
