// Package container holds the two containers every model in a simulation
// needs, so that no model writes them out again: [Slots], a slice of
// values addressed by index whose freed slots are reused (a free list with
// generations), and [Queue], a FIFO queue in two slices that swap.
//
// Both keep entities as compact values in slices addressed by index, and
// neither allocates once it has grown to the size a run needs: a steady
// state of Alloc/Free or Push/Pop costs no heap allocation. Both are
// deterministic: which slot Alloc returns depends only on the order of
// earlier calls (the last freed slot first, like the runtime's gfput/gfget
// and sched.pidle), never on addresses or maps.
//
// The package is generic to any simulation and knows no model.
package container
