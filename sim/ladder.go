package sim


// ladder is the engine's future-event queue: a ladder queue (Tang, Goh and
// Thng, "Ladder queue: An O(1) priority queue structure for large-scale
// discrete event simulation", ACM TOMACS 2005), simplified.
//
// Events live in three tiers:
//   - top: an unsorted slice of far-future events (When >= topStart);
//   - rungs: bucket arrays, each bucket an unsorted slice covering width ns;
//     a bucket that is too full when reached spawns a finer rung below it;
//   - bottom: the few earliest events, sorted descending so the head pops
//     from the end.
//
// Each event is appended to top or to a bucket, moved down a rung a small
// number of times, and sorted once in a small batch, so Push and Pop are
// O(1) amortized and touch memory mostly sequentially. A 4-ary heap
// ([heap4]) does O(log n) cache-missing sift steps per Pop and falls to a
// quarter of the throughput at 1M pending on this machine (see
// BenchmarkQueue*); the heap remains as a test oracle.
//
// Invariant: every event in bottom precedes every event in the rungs, and
// rung r's undrained buckets precede rung r-1's undrained buckets, which
// precede top. Order inside the same When is restored by seq when a bucket
// is sorted into bottom.
type ladder struct {
	top            []Event
	topStart       Time // events at or after topStart go to top
	topMin, topMax Time
	rungs          []rung // rungs[:nr] are live; rungs[nr:] keep their buckets for reuse
	nr             int
	bottom         []Event // sorted descending by (When, seq)
	n              int
}

type rung struct {
	b     [][]Event
	nb    int  // buckets in use
	start Time // bucket i covers [start+i*width, start+(i+1)*width)
	width Time
	cur   int // first undrained bucket
}

const (
	ladderBucketTarget = 4  // aim for this many events per bucket when spawning a rung
	ladderSortMax      = 16 // a bucket up to this size is sorted into bottom; larger spawns a rung
	ladderMaxRungs     = 16
)

func newLadder() ladder { return ladder{topStart: MaxTime} }

func (l *ladder) len() int { return l.n }

func (l *ladder) push(e Event) {
	l.n++
	if e.When >= l.topStart || l.nr == 0 && len(l.bottom) == 0 {
		if len(l.top) == 0 {
			l.topMin, l.topMax = e.When, e.When
		} else {
			l.topMin = min(l.topMin, e.When)
			l.topMax = max(l.topMax, e.When)
		}
		l.top = append(l.top, e)
		return
	}
	for r := 0; r < l.nr; r++ {
		rg := &l.rungs[r]
		if e.When >= rg.start+Time(rg.cur)*rg.width {
			i := int((e.When - rg.start) / rg.width)
			rg.b[i] = append(rg.b[i], e)
			return
		}
	}
	l.insertBottom(e)
}

// insertBottom keeps bottom sorted descending (head at the end).
func (l *ladder) insertBottom(e Event) {
	b := l.bottom
	// Find the first index whose element precedes e (descending order).
	lo, hi := 0, len(b)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if before(&b[m], &e) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	b = append(b, Event{})
	copy(b[lo+1:], b[lo:])
	b[lo] = e
	l.bottom = b
}

// min returns the head, refilling bottom if needed. Precondition: len > 0.
func (l *ladder) min() *Event {
	if len(l.bottom) == 0 {
		l.refill()
	}
	return &l.bottom[len(l.bottom)-1]
}

// pop removes the head. Precondition: len > 0.
func (l *ladder) pop() Event {
	if len(l.bottom) == 0 {
		l.refill()
	}
	n := len(l.bottom) - 1
	e := l.bottom[n]
	l.bottom[n] = Event{}
	l.bottom = l.bottom[:n]
	l.n--
	return e
}

// refill moves the earliest non-empty bucket into bottom, spawning finer
// rungs for crowded buckets and a first rung from top when the rungs are
// exhausted. Precondition: len > 0 and bottom empty.
func (l *ladder) refill() {
	for {
		if l.nr == 0 {
			l.spawnFromTop()
			continue
		}
		rg := &l.rungs[l.nr-1]
		for rg.cur < rg.nb && len(rg.b[rg.cur]) == 0 {
			rg.cur++
		}
		if rg.cur == rg.nb {
			l.nr--
			if l.nr == 0 {
				// All rungs drained: everything left is in top.
				l.topStart = MaxTime
			}
			continue
		}
		k := rg.cur
		bk := rg.b[k]
		rg.cur++
		if len(bk) <= ladderSortMax || rg.width == 1 || l.nr == ladderMaxRungs {
			l.bottom = append(l.bottom[:0], bk...)
			clear(bk)
			rg.b[k] = bk[:0]
			sortDesc(l.bottom)
			return
		}
		// Crowded bucket: spread it over a finer rung.
		l.spawn(rg.start+Time(k)*rg.width, rg.width, bk)
		clear(bk)
		l.rungs[l.nr-2].b[k] = bk[:0]
	}
}

// spawnFromTop turns top into rung 0.
func (l *ladder) spawnFromTop() {
	span := l.topMax - l.topMin + 1
	l.spawn(l.topMin, span, l.top)
	clear(l.top)
	l.top = l.top[:0]
	rg := &l.rungs[0]
	l.topStart = rg.start + Time(rg.nb)*rg.width
}

// spawn pushes a new rung covering [start, start+span) holding evs.
func (l *ladder) spawn(start, span Time, evs []Event) {
	if l.nr == len(l.rungs) {
		l.rungs = append(l.rungs, rung{})
	}
	rg := &l.rungs[l.nr]
	l.nr++
	nb := len(evs)/ladderBucketTarget + 1
	width := (span + Time(nb) - 1) / Time(nb)
	if width < 1 {
		width = 1
	}
	nb = int((span + width - 1) / width)
	if nb < 1 {
		nb = 1
	}
	for len(rg.b) < nb {
		rg.b = append(rg.b, nil)
	}
	rg.nb, rg.start, rg.width, rg.cur = nb, start, width, 0
	for i := range evs {
		j := int((evs[i].When - start) / width)
		rg.b[j] = append(rg.b[j], evs[i])
	}
}

// filter drops the events for which dead reports true, keeping order.
func (l *ladder) filter(dead func(*Event) bool) {
	f := func(s []Event) []Event {
		j := 0
		for i := range s {
			if dead(&s[i]) {
				l.n--
				continue
			}
			s[j] = s[i]
			j++
		}
		clear(s[j:])
		return s[:j]
	}
	l.top = f(l.top)
	for r := 0; r < l.nr; r++ {
		rg := &l.rungs[r]
		for i := rg.cur; i < rg.nb; i++ {
			rg.b[i] = f(rg.b[i])
		}
	}
	l.bottom = f(l.bottom)
	if len(l.top) > 0 {
		l.topMin, l.topMax = l.top[0].When, l.top[0].When
		for i := range l.top {
			l.topMin = min(l.topMin, l.top[i].When)
			l.topMax = max(l.topMax, l.top[i].When)
		}
	}
}

// sortDesc sorts a small batch descending by (When, seq): an insertion sort
// that compares through pointers (a generic comparator would copy two
// 40-byte events per comparison).
func sortDesc(s []Event) {
	for i := 1; i < len(s); i++ {
		if !before(&s[i-1], &s[i]) {
			continue
		}
		e := s[i]
		j := i
		for j > 0 && before(&s[j-1], &e) {
			s[j] = s[j-1]
			j--
		}
		s[j] = e
	}
}
