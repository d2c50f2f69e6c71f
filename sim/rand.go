package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// Stream returns a random stream for the component called name, derived from
// the run seed and the name alone, so that adding a component never shifts
// another's numbers. Each call returns a fresh generator at the start of the
// stream: call it once per component and keep the result.
//
// The generator is math/rand/v2's PCG, the kernel's only source of
// randomness.
func (e *Engine) Stream(name string) *rand.Rand {
	return NewStream(e.seed, name)
}

// NewStream is [Engine.Stream] without an engine.
func NewStream(seed uint64, name string) *rand.Rand {
	return rand.New(rand.NewPCG(seed, nameHash(name)))
}

// DeriveSeed returns a seed for sub-run i of seed (replication i, sweep
// point i), mixed with SplitMix64 so that neighbouring indices are unrelated.
func DeriveSeed(seed uint64, i ...uint64) uint64 {
	s := seed
	for _, v := range i {
		s = splitmix(s ^ splitmix(v+0x9e3779b97f4a7c15))
	}
	return s
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func nameHash(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}
