package experiment

import (
	"iter"
	"slices"
	"sync"
)

// unitCosts holds the events of each point's first replication: the cost
// of its other replications, known before they run (same parameters).
type unitCosts struct {
	mu sync.Mutex
	m  map[int]uint64
}

func (u *unitCosts) set(point int, events uint64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.m == nil {
		u.m = map[int]uint64{}
	}
	u.m[point] = events + 1
}

// get returns the events of point's first replication, 0 if unknown.
func (u *unitCosts) get(point int) uint64 {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.m[point]
}

// dispatchChunk is how many points, per worker, share one longest-first
// ordering (it bounds the points whose replications wait half done).
const dispatchChunk = 8

// dispatchOrder yields the units of todo's points in the order the workers
// take them. One worker: point by point, replication by replication. More:
// per chunk of points, every first replication in order, then the other
// replications longest first (by the events of their point's first
// replication; still unknown counts as longest), so that the sweep does
// not end with one worker running a long unit while the others idle. The
// order only decides which worker runs what when: every unit's result
// depends on its point and replication alone.
func dispatchOrder(todo []int, reps, parallel int, costs *unitCosts) iter.Seq[unit] {
	return func(yield func(unit) bool) {
		if parallel <= 1 || reps <= 1 {
			for _, i := range todo {
				for r := range reps {
					if !yield(unit{i, r}) {
						return
					}
				}
			}
			return
		}
		for chunk := range slices.Chunk(todo, dispatchChunk*parallel) {
			for _, i := range chunk {
				if !yield(unit{i, 0}) {
					return
				}
			}
			type pc struct {
				point int
				cost  uint64
			}
			rest := make([]pc, len(chunk))
			for k, i := range chunk {
				rest[k] = pc{i, costs.get(i)}
				if rest[k].cost == 0 {
					rest[k].cost = ^uint64(0)
				}
			}
			slices.SortStableFunc(rest, func(a, b pc) int {
				switch {
				case a.cost > b.cost:
					return -1
				case a.cost < b.cost:
					return 1
				}
				return 0
			})
			for _, x := range rest {
				for r := 1; r < reps; r++ {
					if !yield(unit{x.point, r}) {
						return
					}
				}
			}
		}
	}
}
