package scene

import "math"

// Motion turns positions read from a model's state into movement: each
// frame a section places its entities where the model's state puts them
// (a G in P2's run queue, a connection in the idle list), keyed by the
// entity's identity; when an entity's place changes, it travels from where
// it was drawn to its new place over [Motion.Frames] frames. Nothing moves
// that the model did not move: there is no canned animation.
//
// Entities a section no longer places leave: they travel to the place the
// section names for them (a parked G to the netpoller, a closed connection
// to TIME_WAIT) and disappear. Frames are counted by [Motion.End], once per
// drawn frame, so a replay of the same ticks and frames moves the same way.
type Motion struct {
	Frames int // frames a move takes (default 10)

	frame uint64
	idx   map[uint64]int32
	tr    []track
}

type track struct {
	key            uint64
	fx, fy, tx, ty float32 // from and to
	x, y           float32 // where it was drawn last
	start, seen    uint64
	leaving        bool
	pinned         bool // placed by Pin: on its path, no tween
}

// Entity kinds, in a key's top byte.
const (
	EntG uint64 = iota + 1
	EntConn
	EntRequest
	EntFrame
	EntToken
	EntSegment // a TCP segment on a wire
)

// EntKey makes an entity key from a kind and an id.
func EntKey(kind uint64, id int64) uint64 { return kind<<56 | uint64(id)&(1<<56-1) }

// Kind returns the entity kind of key k.
func Kind(k uint64) uint64 { return k >> 56 }

func (m *Motion) frames() float32 {
	if m.Frames <= 0 {
		return 10
	}
	return float32(m.Frames)
}

// ease is smoothstep: starts and ends at rest.
func ease(t float32) float32 { return t * t * (3 - 2*t) }

func (t *track) at(frame uint64, n float32) (float32, float32) {
	p := min(float32(frame-t.start)/n, 1)
	p = ease(p)
	return t.fx + (t.tx-t.fx)*p, t.fy + (t.ty-t.fy)*p
}

// Place puts entity key at (x, y) and returns where to draw it this frame.
// A new entity starts at (fromX, fromY), where it came from (pass NaN to
// appear in place).
func (m *Motion) Place(key uint64, x, y, fromX, fromY float32) (float32, float32) {
	if m.idx == nil {
		m.idx = map[uint64]int32{}
	}
	i, ok := m.idx[key]
	if !ok {
		if math.IsNaN(float64(fromX)) {
			fromX, fromY = x, y
		}
		m.idx[key] = int32(len(m.tr))
		m.tr = append(m.tr, track{key: key, fx: fromX, fy: fromY, tx: x, ty: y, start: m.frame})
		i = int32(len(m.tr) - 1)
	}
	t := &m.tr[i]
	if t.tx != x || t.ty != y || t.leaving {
		cx, cy := t.at(m.frame, m.frames())
		t.fx, t.fy, t.tx, t.ty, t.start, t.leaving = cx, cy, x, y, m.frame, false
	}
	t.seen = m.frame
	t.x, t.y = t.at(m.frame, m.frames())
	return t.x, t.y
}

// Pin puts entity key at (x, y) on a path from (fx, fy) to (tx, ty) that
// the section computes itself from the model's clock (a frame on a wire:
// where its send time puts it), with no tween.
func (m *Motion) Pin(key uint64, x, y, fx, fy, tx, ty float32) {
	if m.idx == nil {
		m.idx = map[uint64]int32{}
	}
	i, ok := m.idx[key]
	if !ok {
		m.idx[key] = int32(len(m.tr))
		m.tr = append(m.tr, track{key: key})
		i = int32(len(m.tr) - 1)
	}
	t := &m.tr[i]
	t.fx, t.fy, t.tx, t.ty, t.x, t.y, t.seen, t.leaving, t.pinned = fx, fy, tx, ty, x, y, m.frame, false, true
}

// End closes a frame: every entity not placed in it travels to sink(key)
// (ok false: it vanishes at once) and draw is called for it at its
// current position; it is forgotten when it arrives.
func (m *Motion) End(sink func(key uint64) (x, y float32, ok bool), draw func(key uint64, x, y float32)) {
	n := m.frames()
	j := 0
	for i := range m.tr {
		t := m.tr[i]
		if t.seen != m.frame {
			keep := false
			if !t.leaving && sink != nil {
				if sx, sy, ok := sink(t.key); ok {
					cx, cy := t.at(m.frame, n)
					t.fx, t.fy, t.tx, t.ty, t.start, t.leaving = cx, cy, sx, sy, m.frame, true
				}
			}
			if t.leaving && float32(m.frame-t.start) < n {
				t.x, t.y = t.at(m.frame, n)
				if draw != nil {
					draw(t.key, t.x, t.y)
				}
				keep = true
			}
			if !keep {
				delete(m.idx, t.key)
				continue
			}
		}
		m.tr[j] = t
		m.idx[t.key] = int32(j)
		j++
	}
	m.tr = m.tr[:j]
	m.frame++
}

// Reset forgets every entity (a new run).
func (m *Motion) Reset() {
	m.tr = m.tr[:0]
	clear(m.idx)
}

// EntityPos is where an entity was drawn in the last frame and the path it
// is on: from (FromX, FromY) to (ToX, ToY).
type EntityPos struct {
	Key     uint64  `json:"key"`
	Kind    uint64  `json:"kind"`
	X       float32 `json:"x"`
	Y       float32 `json:"y"`
	FromX   float32 `json:"fx"`
	FromY   float32 `json:"fy"`
	ToX     float32 `json:"tx"`
	ToY     float32 `json:"ty"`
	Moving  bool    `json:"moving"`
	Leaving bool    `json:"leaving"`
}

// Positions appends every tracked entity's last drawn position to dst.
func (m *Motion) Positions(dst []EntityPos) []EntityPos {
	n := m.frames()
	for _, t := range m.tr {
		moving := (t.fx != t.tx || t.fy != t.ty) && (t.pinned || float32(m.frame-1-t.start) < n)
		dst = append(dst, EntityPos{Key: t.key, Kind: Kind(t.key), X: t.x, Y: t.y,
			FromX: t.fx, FromY: t.fy, ToX: t.tx, ToY: t.ty, Moving: moving, Leaving: t.leaving})
	}
	return dst
}
