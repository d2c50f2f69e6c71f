package experiment

import (
	"slices"
	"testing"
)

func TestDispatchOrder(t *testing.T) {
	known := &unitCosts{}
	known.set(0, 10)
	known.set(1, 30)
	known.set(2, 20)
	partial := &unitCosts{}
	partial.set(0, 10)
	partial.set(1, 30)
	tests := []struct {
		name     string
		todo     []int
		reps     int
		parallel int
		costs    *unitCosts
		want     []unit
	}{
		{"one worker: point by point", []int{0, 1, 2}, 2, 1, known,
			[]unit{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {2, 1}}},
		{"one replication: in order", []int{0, 1, 2}, 1, 2, known,
			[]unit{{0, 0}, {1, 0}, {2, 0}}},
		{"first replications, then longest first", []int{0, 1, 2}, 3, 2, known,
			[]unit{{0, 0}, {1, 0}, {2, 0}, {1, 1}, {1, 2}, {2, 1}, {2, 2}, {0, 1}, {0, 2}}},
		{"unknown cost counts as longest", []int{0, 1, 2}, 2, 2, partial,
			[]unit{{0, 0}, {1, 0}, {2, 0}, {2, 1}, {1, 1}, {0, 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Collect(dispatchOrder(tc.todo, tc.reps, tc.parallel, tc.costs))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
