package sim

import (
	"math/bits"
	"slices"
)

// ladder is the engine's future-event queue: a ladder queue (Tang, Goh and
// Thng, "Ladder queue: An O(1) priority queue structure for large-scale
// discrete event simulation", ACM TOMACS 2005), simplified.
//
// Events live in three tiers:
//   - top: an unsorted slice of far-future events (When >= topStart), filled
//     by sequential appends;
//   - rungs: bucket arrays, each bucket an unsorted slice covering 1<<shift
//     ns; a bucket that is too full when reached spawns a finer rung;
//   - bottom: the few earliest events, sorted ascending, popped from bot.
//
// Each event is appended to top or to a bucket, moved down a rung a small
// number of times, and sorted once in a small batch, so Push and Pop are
// O(1) amortized.
//
// What makes it fast at a million pending events (see BenchmarkQueue* and
// BenchmarkHold*) is that a rung has at most ladderMaxBuckets buckets: the
// tails of all buckets of a rung stay in cache, so the random appends into
// rung 0 and the scatter of top into rung 0 stream through memory instead
// of missing the cache once per event, as they do with one bucket per few
// events. A crowded bucket is split by a finer rung when it is reached; at
// that point it is small enough to be cached. Bucket widths are powers of
// two, so locating a bucket is a subtraction and a shift. Bucket slices keep
// their capacity for reuse, so the steady state allocates nothing.
//
// A 4-ary heap ([heap4]) does O(log n) cache-missing sift steps per Pop; it
// remains as a second implementation checked by the tests.
//
// Invariants: every event in bottom[bot:] precedes every event in the rungs;
// rung r's undrained buckets (from cur) precede rung r-1's undrained buckets,
// which precede top. A child rung covers [start, parent bucket end); pushes
// at or after its parent's curStart go to the parent. Every bucket and top
// holds its events in push order, hence in seq order, since push always
// appends an event with the highest seq so far and spawning is a stable
// scatter; so a batch of events at one instant is already sorted.
type ladder struct {
	top            bucket
	topStart       uint64 // with rungs or bottom in use, events at or after topStart go to top
	topMin, topMax Time
	rungs          []rung // rungs[:nr] are live; rungs[nr:] keep their buckets for reuse
	nr             int
	bottom         []Event // bottom[bot:] sorted ascending by (When, seq)
	bot            int
	n              int

	// Bucket storage: chunk c is events [(c%pageChunks)*chunkLen,
	// +chunkLen) of pages[c/pageChunks]; next[c] links it to the following
	// chunk of its bucket or of the free list. Storage grows a page at a
	// time and is never copied: one contiguous slab grown by append would
	// copy every pending event at each growth and briefly hold two copies
	// (at 10M pending events, 13 s and 400 MB of a run's peak).
	pages [][]Event
	next  []int32
	free  int32 // first free chunk, or -1
}

// bucket is a list of chunks holding n events in push order.
type bucket struct {
	head, tail int32
	n          int32
}

type rung struct {
	b        []bucket
	nb       int  // buckets in use
	start    Time // bucket i covers [start+i<<shift, start+(i+1)<<shift)
	shift    uint
	cur      int    // first undrained bucket
	curStart uint64 // start of bucket cur; uint64 since the end of the last bucket may pass MaxTime
}

const (
	ladderBucketTarget = 4    // aim for this many events per bucket when spawning a rung
	ladderMaxBuckets   = 1024 // at most this many buckets per rung (keeps bucket tails cached)
	ladderSortMax      = 32   // a bucket up to this size is sorted into bottom; larger spawns a rung
	ladderMaxRungs     = 40   // never reached in practice: each rung is at least 8x finer
	chunkLen           = 32   // events per chunk; a power of two
	pageShift          = 8    // chunks per page: 1<<pageShift (256 KiB of events)
	pageChunks         = 1 << pageShift
)

func newLadder() ladder { return ladder{topStart: 1<<64 - 1, free: -1} }

func (l *ladder) len() int { return l.n }

// add appends e to bk.
func (l *ladder) add(bk *bucket, e Event) {
	if bk.n&(chunkLen-1) == 0 {
		l.addChunk(bk)
	}
	l.pages[bk.tail>>pageShift][int(bk.tail&(pageChunks-1))*chunkLen+int(bk.n&(chunkLen-1))] = e
	bk.n++
}

// addChunk appends an empty chunk to bk.
func (l *ladder) addChunk(bk *bucket) {
	c := l.free
	if c >= 0 {
		l.free = l.next[c]
	} else {
		c = int32(len(l.next))
		l.next = append(l.next, -1)
		if int(c)>>pageShift == len(l.pages) {
			l.pages = append(l.pages, make([]Event, pageChunks*chunkLen))
		}
	}
	if bk.n == 0 {
		bk.head = c
	} else {
		l.next[bk.tail] = c
	}
	bk.tail = c
}

// release frees bk's chunks and empties it.
func (l *ladder) release(bk *bucket) {
	if bk.n > 0 {
		l.next[bk.tail] = l.free
		l.free = bk.head
		bk.n = 0
	}
}

// chunk returns the i-th chunk of a bucket starting at chunk c, given c,
// and how many of bk's events it holds.
func (l *ladder) chunkEvents(c int32, left int) []Event {
	i := int(c&(pageChunks-1)) * chunkLen
	return l.pages[c>>pageShift][i : i+min(left, chunkLen)]
}

func (l *ladder) push(e Event) {
	l.n++
	if uint64(e.When) >= l.topStart || l.nr == 0 && l.bot == len(l.bottom) {
		if l.top.n == 0 {
			l.topMin, l.topMax = e.When, e.When
		} else {
			l.topMin = min(l.topMin, e.When)
			l.topMax = max(l.topMax, e.When)
		}
		l.add(&l.top, e)
		return
	}
	for r := 0; r < l.nr; r++ {
		rg := &l.rungs[r]
		if uint64(e.When) >= rg.curStart {
			l.add(&rg.b[uint64(e.When-rg.start)>>rg.shift], e)
			return
		}
	}
	l.insertBottom(e)
}

// insertBottom keeps bottom[bot:] sorted ascending.
func (l *ladder) insertBottom(e Event) {
	b := l.bottom
	// Find the first index whose element follows e.
	lo, hi := l.bot, len(b)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if before(&e, &b[m]) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	if l.bot > 0 {
		// Shift the head side left into the popped slot.
		l.bot--
		copy(b[l.bot:lo-1], b[l.bot+1:lo])
		b[lo-1] = e
		return
	}
	b = append(b, Event{})
	copy(b[lo+1:], b[lo:])
	b[lo] = e
	l.bottom = b
}

// min returns the head, refilling bottom if needed. Precondition: len > 0.
func (l *ladder) min() *Event {
	if l.bot == len(l.bottom) {
		l.refill()
	}
	return &l.bottom[l.bot]
}

// pop removes the head. Precondition: len > 0.
func (l *ladder) pop() Event {
	if l.bot == len(l.bottom) {
		l.refill()
	}
	e := l.bottom[l.bot]
	l.bot++
	l.n--
	return e
}

// drop removes the head after min returned it.
func (l *ladder) drop() {
	l.bot++
	l.n--
}

// refill moves the earliest non-empty bucket into bottom, spawning finer
// rungs for crowded buckets and a first rung from top when the rungs are
// exhausted. Precondition: len > 0 and bottom drained.
func (l *ladder) refill() {
	l.bottom, l.bot = l.bottom[:0], 0
	for {
		if l.nr == 0 {
			l.spawnFromTop()
		}
		rg := &l.rungs[l.nr-1]
		k := rg.cur
		for k < rg.nb && rg.b[k].n == 0 {
			k++
		}
		if k == rg.nb {
			l.nr--
			continue
		}
		bk := rg.b[k]
		rg.b[k].n = 0
		rg.cur = k + 1
		rg.curStart = bucketStart(rg.start, k+1, rg.shift)
		if bk.n <= ladderSortMax || rg.shift == 0 || l.nr == ladderMaxRungs {
			for c, left := bk.head, int(bk.n); left > 0; c, left = l.next[c], left-chunkLen {
				l.bottom = append(l.bottom, l.chunkEvents(c, left)...)
			}
			l.release(&bk)
			sortAsc(l.bottom)
			return
		}
		// Crowded bucket: spread it over a finer rung that ends where the
		// bucket ends.
		lo, hi := MaxTime, Time(0)
		for c, left := bk.head, int(bk.n); left > 0; c, left = l.next[c], left-chunkLen {
			for _, ev := range l.chunkEvents(c, left) {
				lo = min(lo, ev.When)
				hi = max(hi, ev.When)
			}
		}
		l.spawn(&bk, lo, hi, rg.curStart-1)
	}
}

// bucketStart returns start + k<<shift. It does not overflow: k<<shift is
// at most the span of the rung plus one bucket, so less than 1<<64-MaxTime.
func bucketStart(start Time, k int, shift uint) uint64 {
	return uint64(start) + uint64(k)<<shift
}

// spawnFromTop turns top into rung 0. Precondition: top is not empty.
func (l *ladder) spawnFromTop() {
	top := l.top
	l.top.n = 0
	l.spawn(&top, l.topMin, l.topMax, uint64(l.topMax))
	rg := &l.rungs[0]
	l.topStart = bucketStart(rg.start, rg.nb, rg.shift)
}

// spawn pushes a new rung holding the events of src, whose times span
// [lo, hi], with buckets from lo through last (last >= hi), and releases
// src.
func (l *ladder) spawn(src *bucket, lo, hi Time, last uint64) {
	if l.nr == len(l.rungs) {
		l.rungs = append(l.rungs, rung{})
	}
	rg := &l.rungs[l.nr]
	l.nr++
	// The smallest power-of-two width that spreads the events over about
	// n/ladderBucketTarget buckets and covers [lo, last] with at most
	// ladderMaxBuckets buckets.
	target := uint64(min(max(int(src.n)/ladderBucketTarget, 1), ladderMaxBuckets))
	shift := uint(bits.Len64(uint64(hi-lo) / target))
	shift = max(shift, uint(bits.Len64((last-uint64(lo))/ladderMaxBuckets)))
	nb := int((last-uint64(lo))>>shift) + 1
	if cap(rg.b) < nb {
		rg.b = make([]bucket, nb, max(nb, ladderMaxBuckets))
	}
	rg.b = rg.b[:nb]
	clear(rg.b)
	rg.nb, rg.start, rg.shift, rg.cur, rg.curStart = nb, lo, shift, 0, uint64(lo)
	b := rg.b
	// Each of src's chunks is freed as soon as its events are scattered, so
	// the scatter reuses them: spreading ten million events over a rung
	// then needs a few more chunks, not a second copy of every event.
	for c, left := src.head, int(src.n); left > 0; left -= chunkLen {
		for i, evs := 0, l.chunkEvents(c, left); i < len(evs); i++ {
			l.add(&b[uint64(evs[i].When-lo)>>shift], evs[i])
		}
		next := l.next[c]
		l.next[c] = l.free
		l.free = c
		c = next
	}
	src.n = 0
}

// appendAll appends every queued event to evs, in no particular order.
func (l *ladder) appendAll(evs []Event) []Event {
	evs = append(evs, l.bottom[l.bot:]...)
	bk := func(b *bucket) {
		for c, left := b.head, int(b.n); left > 0; c, left = l.next[c], left-chunkLen {
			evs = append(evs, l.chunkEvents(c, left)...)
		}
	}
	for r := 0; r < l.nr; r++ {
		rg := &l.rungs[r]
		for i := rg.cur; i < rg.nb; i++ {
			bk(&rg.b[i])
		}
	}
	bk(&l.top)
	return evs
}

// filter drops the events for which dead reports true, keeping order.
func (l *ladder) filter(dead func(*Event) bool) {
	l.filterBucket(&l.top, dead)
	for r := 0; r < l.nr; r++ {
		rg := &l.rungs[r]
		for i := rg.cur; i < rg.nb; i++ {
			l.filterBucket(&rg.b[i], dead)
		}
	}
	j := 0
	for i := l.bot; i < len(l.bottom); i++ {
		if dead(&l.bottom[i]) {
			l.n--
			continue
		}
		l.bottom[j] = l.bottom[i]
		j++
	}
	l.bottom, l.bot = l.bottom[:j], 0
	if l.top.n > 0 {
		l.topMin, l.topMax = MaxTime, 0
		for c, left := l.top.head, int(l.top.n); left > 0; c, left = l.next[c], left-chunkLen {
			for _, ev := range l.chunkEvents(c, left) {
				l.topMin = min(l.topMin, ev.When)
				l.topMax = max(l.topMax, ev.When)
			}
		}
	}
}

// filterBucket compacts bk in place, dropping dead events, and frees the
// chunks left empty.
func (l *ladder) filterBucket(bk *bucket, dead func(*Event) bool) {
	if bk.n == 0 {
		return
	}
	rc, wc := bk.head, bk.head
	w := 0
	for i := 0; i < int(bk.n); i++ {
		if i > 0 && i%chunkLen == 0 {
			rc = l.next[rc]
		}
		ev := &l.chunkEvents(rc, chunkLen)[i%chunkLen]
		if dead(ev) {
			l.n--
			continue
		}
		if w > 0 && w%chunkLen == 0 {
			wc = l.next[wc]
		}
		l.chunkEvents(wc, chunkLen)[w%chunkLen] = *ev
		w++
	}
	if w == 0 {
		l.release(bk)
		return
	}
	if wc != bk.tail {
		l.next[bk.tail] = l.free
		l.free = l.next[wc]
		bk.tail = wc
	}
	bk.n = int32(w)
}

// sortAsc sorts a batch ascending by (When, seq). Small batches get an
// insertion sort that compares through pointers (a generic comparator would
// copy two 32-byte events per comparison); it is also linear on the large
// batches of one instant, which arrive in seq order.
func sortAsc(s []Event) {
	if len(s) > 64 && s[0].When != s[len(s)-1].When {
		slices.SortFunc(s, func(a, b Event) int {
			switch {
			case before(&a, &b):
				return -1
			case before(&b, &a):
				return 1
			}
			return 0
		})
		return
	}
	for i := 1; i < len(s); i++ {
		if !before(&s[i], &s[i-1]) {
			continue
		}
		e := s[i]
		j := i
		for j > 0 && before(&e, &s[j-1]) {
			s[j] = s[j-1]
			j--
		}
		s[j] = e
	}
}
