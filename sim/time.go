package sim

import "time"

// Time is simulated time in nanoseconds since the start of a run. It mirrors
// the runtime's `when int64` timers and internal/trace.Time.
type Time int64

// Add returns t+d.
func (t Time) Add(d time.Duration) Time { return t + Time(d) }

// Sub returns the span t-u.
func (t Time) Sub(u Time) time.Duration { return time.Duration(t - u) }

// Duration returns t as a span from time zero.
func (t Time) Duration() time.Duration { return time.Duration(t) }

// Seconds returns t in seconds.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// String formats t as a Go duration since time zero ("1.5ms").
func (t Time) String() string { return time.Duration(t).String() }

// MaxTime is the largest representable time; it stands for "never".
const MaxTime Time = 1<<63 - 1
