package goprog

import (
	"go/token"
	"go/types"
)

const lss = token.LSS

// mapObj is a Go map: entries in insertion slots, indexed by a Go map from
// each key's canonical form (keyOf). Iteration starts at a random slot
// drawn from the run's seed and wraps around, as a swiss-table iteration
// starts at a random group and offset (internal/runtime/maps, go1.24+);
// the order is randomized but not the runtime's exact one.
type mapObj struct {
	idx  map[any]int32
	keys []value
	vals []value
	live []bool
	n    int
	kt   types.Type
}

func newMap(kt types.Type) *mapObj {
	return &mapObj{idx: map[any]int32{}, kt: kt}
}

func (m *mapObj) len() int {
	if m == nil {
		return 0
	}
	return m.n
}

func (m *mapObj) get(k value) (value, bool) {
	if m == nil || m.n == 0 {
		if m == nil {
			return value{}, false
		}
		keyOf(k, m.kt) // hashing an unhashable key panics even on an empty map
		return value{}, false
	}
	i, ok := m.idx[keyOf(k, m.kt)]
	if !ok {
		return value{}, false
	}
	return m.vals[i], true
}

func (m *mapObj) set(k, v value) {
	key := keyOf(k, m.kt)
	if i, ok := m.idx[key]; ok {
		m.vals[i] = v
		return
	}
	m.idx[key] = int32(len(m.keys))
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
	m.live = append(m.live, true)
	m.n++
}

func (m *mapObj) delete(k value) {
	key := keyOf(k, m.kt)
	i, ok := m.idx[key]
	if !ok {
		return
	}
	delete(m.idx, key)
	m.keys[i], m.vals[i], m.live[i] = value{}, value{}, false
	m.n--
	if len(m.keys) > 32 && m.n < len(m.keys)/2 {
		m.compact()
	}
}

func (m *mapObj) compact() {
	j := 0
	for i := range m.keys {
		if m.live[i] {
			m.keys[j], m.vals[j], m.live[j] = m.keys[i], m.vals[i], true
			m.idx[keyOf(m.keys[j], m.kt)] = int32(j)
			j++
		}
	}
	clear(m.keys[j:])
	clear(m.vals[j:])
	m.keys, m.vals, m.live = m.keys[:j], m.vals[:j], m.live[:j]
}

func (m *mapObj) clear() {
	clear(m.idx)
	m.keys, m.vals, m.live, m.n = nil, nil, nil, 0
}

// orderedKeys returns the live keys starting at slot start, wrapping.
func (m *mapObj) orderedKeys(start int) []value {
	out := make([]value, 0, m.n)
	for i := range m.keys {
		j := (start + i) % len(m.keys)
		if m.live[j] {
			out = append(out, m.keys[j])
		}
	}
	return out
}
