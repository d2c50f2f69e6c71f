package sim

// HandlerID names a registered [Handler]. IDs are dense and assigned in
// registration order, so they are stable for a given model construction.
type HandlerID uint16

// Kind is a model-defined event kind; together with the handler it says what
// an event means. It is folded into the digest.
type Kind uint16

// Event is one scheduled occurrence. It is a plain 32-byte value: the queue
// stores events by value and nothing is allocated per event.
type Event struct {
	When Time // when it happens
	// seq is the tie-breaker: the scheduling sequence number in the high
	// 64-slotBits bits and the timer slot (0 = not cancellable) in the low
	// slotBits. Sequence numbers of pending events are unique, so ordering
	// by seq is ordering by sequence number.
	seq    uint64
	Arg    int64     // model-defined payload
	Entity int32     // model-defined entity index (a G, a conn, a stream...)
	Kind   Kind      // model-defined kind
	H      HandlerID // who handles it
}

// The split of seq. 30 bits of timer slot allow 2^30-1 (1.07 billion)
// cancellable events pending at once, more than fit in memory (each is a
// 32-byte event); 34 bits of sequence number last 2^34 (17 billion)
// schedulings, after which the engine renumbers the pending events
// ([Engine.renumber]), so neither bounds a run.
const (
	slotBits = 30
	slotMask = 1<<slotBits - 1
	maxSeq   = 1<<(64-slotBits) - 1
)

// Seq returns the scheduling sequence number of ev: among events at the same
// time, lower sequence numbers run first. Only the order of the sequence
// numbers of pending events is meaningful: when the sequence space runs out
// the engine renumbers the pending events, keeping their order.
func (ev Event) Seq() uint64 { return ev.seq >> slotBits }

// slot returns ev's timer slot; 0 means not cancellable.
func (ev *Event) slot() uint32 { return uint32(ev.seq & slotMask) }

// before reports whether a is ordered before b: (When, seq) lexicographic.
func before(a, b *Event) bool {
	return a.When < b.When || (a.When == b.When && a.seq < b.seq)
}

// Handler receives the events scheduled for it. Models implement Handler on
// long-lived objects (a scheduler, a server, a connection pool) and switch on
// ev.Kind.
type Handler interface {
	Handle(ev Event)
}

// HandlerFunc adapts a function to [Handler]. Register it once; do not build
// one per event.
type HandlerFunc func(ev Event)

// Handle calls f(ev).
func (f HandlerFunc) Handle(ev Event) { f(ev) }

// Observer receives every processed event after its handler ran. It is for
// visualisers and traces; a nil observer costs one comparison per event.
type Observer interface {
	Observe(ev Event)
}
