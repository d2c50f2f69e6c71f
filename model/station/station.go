package station

// station.go: the c-worker station. Its owner starts an item on a worker
// when Free, queues it otherwise, and on each completion takes the next
// items the free workers can run; the station times the waits and
// integrates the running count over time (Busy), so Busy / (Workers ×
// elapsed) is its utilization. Queued entries an owner cancels stay in the
// FIFO until they reach its head, where Next skips them (no search, no
// allocation).

import (
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/container"
)

// Stats are a station's counters.
type Stats struct {
	Running, RunningPeak int
	Queued, QueuedPeak   int
	QueueWaits           uint64        // items that waited for a worker
	QueueWait            time.Duration // their total wait
	Busy                 time.Duration // ∫ running dt
}

type queued[T any] struct {
	x  T
	at sim.Time
}

// Station is Workers workers in front of one FIFO of T. The zero value is
// not usable: make one with [New]. Not safe for concurrent use.
type Station[T any] struct {
	e       *sim.Engine
	workers int // 0: unlimited
	queue   container.Queue[queued[T]]
	lastT   sim.Time
	st      Stats
}

// New returns a station of workers workers (0: unlimited) on e.
func New[T any](e *sim.Engine, workers int) *Station[T] {
	return &Station[T]{e: e, workers: workers}
}

// Free reports whether a worker is free.
func (s *Station[T]) Free() bool { return s.workers == 0 || s.st.Running < s.workers }

// Start takes a worker (the caller checked Free, or Next returned).
func (s *Station[T]) Start() {
	s.account()
	s.st.Running++
	s.st.RunningPeak = max(s.st.RunningPeak, s.st.Running)
}

// Finish frees a worker, the item done or cancelled while running.
func (s *Station[T]) Finish() {
	s.account()
	s.st.Running--
}

// Enqueue queues x for a worker.
func (s *Station[T]) Enqueue(x T) {
	s.queue.Push(queued[T]{x, s.e.Now()})
	s.st.Queued++
	s.st.QueuedPeak = max(s.st.QueuedPeak, s.st.Queued)
}

// Abandon counts one queued item as gone (cancelled); its entry stays in
// the FIFO until Next finds it stale.
func (s *Station[T]) Abandon() { s.st.Queued-- }

// Next returns the item at the head of the queue if a worker is free for
// it, skipping entries live reports stale (abandoned ones; live may be
// nil when nothing is ever abandoned). The caller then Starts it.
func (s *Station[T]) Next(live func(T) bool) (T, bool) {
	for s.queue.Len() > 0 && s.Free() {
		q := s.queue.Pop()
		if live != nil && !live(q.x) {
			continue
		}
		s.st.Queued--
		s.st.QueueWaits++
		s.st.QueueWait += time.Duration(s.e.Now() - q.at)
		return q.x, true
	}
	var zero T
	return zero, false
}

// Stats returns the counters now (Busy up to now).
func (s *Station[T]) Stats() Stats {
	st := s.st
	st.Busy += time.Duration(st.Running) * time.Duration(s.e.Now()-s.lastT)
	return st
}

// Utilization returns the mean fraction of the workers busy since time 0,
// or -1 when they are unlimited.
func (s *Station[T]) Utilization() float64 {
	now := s.e.Now()
	if s.workers == 0 || now == 0 {
		return -1
	}
	return s.Stats().Busy.Seconds() / (float64(s.workers) * now.Seconds())
}

// account adds the running items' time up to now to Busy; every change of
// Running calls it first.
func (s *Station[T]) account() {
	now := s.e.Now()
	s.st.Busy += time.Duration(s.st.Running) * time.Duration(now-s.lastT)
	s.lastT = now
}
