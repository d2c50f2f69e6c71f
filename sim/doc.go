// Package sim is the deterministic discrete-event kernel of gohttpsim: the
// simulated clock, the event queue, seeded random streams, distributions and
// statistics. It knows no model.
//
// # Time and order
//
// [Time] is an int64 count of nanoseconds since the start of a run; spans are
// [time.Duration]. Events are totally ordered by (time, scheduling sequence):
// two events at the same instant run in the order they were scheduled. No map
// iteration, wall clock or goroutine interleaving can reach that order, so a
// run is a pure function of its seed and parameters.
//
// # Events without allocation
//
// An [Event] is a small value (time, sequence, handler, kind, entity, arg).
// Models register long-lived [Handler]s once with [Engine.Register] and then
// schedule plain values that name them; nothing is allocated per event in
// steady state. Cancellable events ([Engine.ScheduleTimer]) are cancelled
// lazily: [Engine.Cancel] flips a generation in a slot table in O(1) and the
// stale entry is dropped when it reaches the head of the queue, as the Go
// runtime does with deleted timers.
//
// # Digest
//
// Every processed event is folded into a 64-bit digest over (time, kind,
// entity); [Engine.Digest] prints as 16 hex digits. Equal digests mean equal
// runs; the digest is the determinism check used by the tests, natively and
// under js/wasm.
package sim
