package stats

import (
	"math"
	"math/bits"

	"github.com/gohttpsim/gohttpsim/sim"
)

// Histogram records non-negative int64 values (latencies in ns) in constant
// memory with bounded relative error, in the manner of HdrHistogram: values
// below 2^histSubBits are exact; above, each power of two is split into
// 2^(histSubBits-1) sub-buckets, so a bucket's width is at most 1/64 of its
// lower bound and the reported midpoint is within 0.8% of any value in it.
//
// The zero Histogram is ready to use. Record is O(1) and never allocates
// after the first call.
type Histogram struct {
	counts []uint64
	n      uint64
	sum    float64
	min    int64
	max    int64
}

const (
	histSubBits = 7
	histSub     = 1 << histSubBits // 128
	histHalf    = histSub / 2
	histBuckets = histSub + (64-histSubBits)*histHalf
)

func histIndex(v int64) int {
	if v < histSub {
		return int(v)
	}
	e := bits.Len64(uint64(v)) - histSubBits // shift so the top 7 bits remain
	m := int(uint64(v) >> uint(e))           // in [64, 128)
	return histSub + (e-1)*histHalf + (m - histHalf)
}

// histBounds returns the inclusive lower and exclusive upper bound of bucket i.
func histBounds(i int) (lo, hi float64) {
	if i < histSub {
		return float64(i), float64(i + 1)
	}
	j := i - histSub
	e := j/histHalf + 1
	m := j%histHalf + histHalf
	lo = math.Ldexp(float64(m), e)
	return lo, lo + math.Ldexp(1, e)
}

// Record adds one value; negative values count as 0.
func (h *Histogram) Record(v int64) {
	if v < 0 {
		v = 0
	}
	if h.counts == nil {
		h.counts = make([]uint64, histBuckets)
		h.min, h.max = v, v
	}
	h.counts[histIndex(v)]++
	h.n++
	h.sum += float64(v)
	h.min = min(h.min, v)
	h.max = max(h.max, v)
}

// Count returns the number of recorded values.
func (h *Histogram) Count() uint64 { return h.n }

// Mean returns the exact mean of the recorded values (0 if none).
func (h *Histogram) Mean() float64 {
	if h.n == 0 {
		return 0
	}
	return h.sum / float64(h.n)
}

// Max returns the exact maximum (0 if none).
func (h *Histogram) Max() int64 { return h.max }

// Min returns the exact minimum (0 if none).
func (h *Histogram) Min() int64 { return h.min }

// Quantile returns the q-quantile (0 ≤ q ≤ 1) within 1% relative error:
// the midpoint of the bucket holding the ceil(q·n)-th smallest value,
// clamped to the exact min and max; the largest rank is the exact max. It returns 0 for an empty histogram.
func (h *Histogram) Quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	if rank < 1 {
		rank = 1
	}
	if rank >= h.n {
		return float64(h.max)
	}
	var c uint64
	for i, k := range h.counts {
		c += k
		if c >= rank {
			lo, hi := histBounds(i)
			v := lo
			if i >= histSub {
				v = (lo + hi) / 2
			}
			return math.Min(math.Max(v, float64(h.min)), float64(h.max))
		}
	}
	return float64(h.max)
}

// Merge adds o's values into h.
func (h *Histogram) Merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	if h.counts == nil {
		h.counts = make([]uint64, histBuckets)
		h.min, h.max = o.min, o.max
	}
	for i, k := range o.counts {
		h.counts[i] += k
	}
	h.n += o.n
	h.sum += o.sum
	h.min = min(h.min, o.min)
	h.max = max(h.max, o.max)
}

// Reset empties h, keeping its memory.
func (h *Histogram) Reset() {
	clear(h.counts)
	h.n, h.sum, h.min, h.max = 0, 0, 0, 0
}

// TimeWeighted tracks a piecewise-constant quantity over simulated time (a
// queue length, a goroutine count) and reports its time average and peak.
// Set it whenever the quantity changes; the zero value starts at 0 at time 0.
type TimeWeighted struct {
	last  sim.Time
	start sim.Time
	v     float64
	area  float64
	peak  float64
}

// Set records that the quantity becomes v at time now (now ≥ the last call).
func (t *TimeWeighted) Set(now sim.Time, v float64) {
	t.area += t.v * float64(now-t.last)
	t.last = now
	t.v = v
	t.peak = max(t.peak, v)
}

// Add changes the quantity by d at time now.
func (t *TimeWeighted) Add(now sim.Time, d float64) { t.Set(now, t.v+d) }

// Value returns the current value.
func (t *TimeWeighted) Value() float64 { return t.v }

// Peak returns the largest value set since the last Restart.
func (t *TimeWeighted) Peak() float64 { return t.peak }

// Mean returns the time average over [start, now].
func (t *TimeWeighted) Mean(now sim.Time) float64 {
	span := float64(now - t.start)
	if span <= 0 {
		return t.v
	}
	return (t.area + t.v*float64(now-t.last)) / span
}

// Restart forgets the history before now (for warm-up), keeping the value.
func (t *TimeWeighted) Restart(now sim.Time) {
	t.last, t.start, t.area, t.peak = now, now, 0, t.v
}
