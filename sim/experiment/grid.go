package experiment

import (
	"fmt"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// Grid is the product of its axes. Point i has coordinates in row-major
// order, the last axis varying fastest; a grid with no axes has one point
// (the base parameters).
type Grid struct {
	Axes []Axis
}

// Len returns the number of points, saturating at MaxPoints*1000 so that a
// huge product cannot overflow.
func (g Grid) Len() int {
	n := 1
	for _, a := range g.Axes {
		n *= len(a.Values)
		if n > MaxPoints*1000 {
			return MaxPoints * 1000
		}
	}
	return n
}

// Coords returns the per-axis value indices of point i.
func (g Grid) Coords(i int) []int {
	c := make([]int, len(g.Axes))
	for k := len(g.Axes) - 1; k >= 0; k-- {
		n := len(g.Axes[k].Values)
		c[k] = i % n
		i /= n
	}
	return c
}

// Values returns the canonical values of point i, one per axis.
func (g Grid) Values(i int) []string {
	c := g.Coords(i)
	out := make([]string, len(c))
	for k, j := range c {
		out[k] = g.Axes[k].Values[j]
	}
	return out
}

// Params returns base with point i's values set.
func (g Grid) Params(base *scenario.Values, i int) (*scenario.Values, error) {
	v := base
	for k, s := range g.Values(i) {
		var err error
		if v, err = v.With(g.Axes[k].Key, s); err != nil {
			return nil, fmt.Errorf("point %d: %w", i, err)
		}
	}
	return v, nil
}

// InShard reports whether point i belongs to shard (of shards). Points are
// dealt round-robin, so every shard gets a similar mix of cheap and
// expensive points.
func InShard(i, shard, shards int) bool { return shards <= 1 || i%shards == shard }
