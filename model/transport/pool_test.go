package transport

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// fakeNet dials in a fixed time and records what the pool did.
type fakeNet struct {
	e      *sim.Engine
	h      sim.HandlerID
	p      *Pool
	dial   time.Duration
	fail   bool
	log    []string
	got    map[int32]PConnID
	closed []PConnID
}

func (f *fakeNet) Dial(pc PConnID) {
	f.log = append(f.log, fmt.Sprintf("dial c%d", pc))
	f.e.After(f.dial, f.h, 0, int32(pc), 0)
}
func (f *fakeNet) Close(pc PConnID) {
	f.log = append(f.log, fmt.Sprintf("close c%d", pc))
	f.closed = append(f.closed, pc)
}
func (f *fakeNet) GotConn(req int32, pc PConnID, reused bool) {
	f.log = append(f.log, fmt.Sprintf("r%d got c%d reused=%v", req, pc, reused))
	f.got[req] = pc
}
func (f *fakeNet) Handle(ev sim.Event) { f.p.DialDone(PConnID(ev.Entity), !f.fail) }

func newFake(t *testing.T, cfg Config) (*fakeNet, KeyID) {
	e := sim.NewEngine(1)
	f := &fakeNet{e: e, dial: time.Millisecond, got: map[int32]PConnID{}}
	f.h = e.Register(f)
	f.p = New(e, f)
	tr, err := f.p.NewTransport(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f, f.p.Key(tr, 0)
}

func (f *fakeNet) run(d time.Duration) { f.e.RunUntil(f.e.Now() + sim.Time(d)) }

func (f *fakeNet) take() string {
	s := strings.Join(f.log, "\n")
	f.log = f.log[:0]
	return s
}

func expect(t *testing.T, f *fakeNet, want string) {
	t.Helper()
	if got := f.take(); got != strings.TrimSpace(want) {
		t.Fatalf("got:\n%s\nwant:\n%s", got, strings.TrimSpace(want))
	}
}

// A burst of 4 requests dials 4 conns; giving them back keeps 2 idle and
// closes 2 (errTooManyIdleHost); the next request gets the most recently
// used idle conn (LIFO).
func TestBurstKeepsTwoIdleLIFO(t *testing.T) {
	f, k := newFake(t, DefaultConfig())
	for r := range int32(4) {
		f.p.GetConn(k, r)
	}
	f.run(time.Millisecond)
	expect(t, f, `
dial c0
dial c1
dial c2
dial c3
r0 got c0 reused=false
r1 got c1 reused=false
r2 got c2 reused=false
r3 got c3 reused=false`)
	for r := range int32(4) {
		f.p.PutIdle(f.got[r])
	}
	expect(t, f, "close c2\nclose c3")
	if n := f.p.Stats().ClosedIdleFull(); n != 2 {
		t.Fatalf("ClosedIdleFull = %d", n)
	}
	f.p.GetConn(k, 9)
	expect(t, f, "r9 got c1 reused=true")
	checkInvariants(t, f.p)
}

// Late binding: a request dialing gets a conn released first; its dial
// still completes and joins the idle list, and the next request reuses it.
func TestLateBinding(t *testing.T) {
	f, k := newFake(t, DefaultConfig())
	f.p.GetConn(k, 0)
	f.run(time.Millisecond)
	f.p.GetConn(k, 1) // dials c1
	f.run(time.Millisecond / 2)
	f.p.PutIdle(f.got[0])
	f.run(time.Millisecond)
	expect(t, f, `
dial c0
r0 got c0 reused=false
dial c1
r1 got c0 reused=true`)
	if s := f.p.Stats(); s.DialsLost != 1 || f.p.StateOf(1) != Idle {
		t.Fatalf("lost dials %d, c1 %v", s.DialsLost, f.p.StateOf(1))
	}
	f.p.GetConn(k, 2)
	expect(t, f, "r2 got c1 reused=true")
	checkInvariants(t, f.p)
}

// MaxConnsPerHost: beyond the limit requests wait in FIFO for a conn to
// become idle; closing a conn hands its dial slot to the oldest waiter.
func TestMaxConnsPerHost(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxConnsPerHost = 2
	f, k := newFake(t, cfg)
	for r := range int32(4) {
		f.p.GetConn(k, r)
	}
	f.run(time.Millisecond)
	expect(t, f, `
dial c0
dial c1
r0 got c0 reused=false
r1 got c1 reused=false`)
	f.p.PutIdle(f.got[1])
	expect(t, f, "r2 got c1 reused=true")
	f.p.CloseConn(f.got[0]) // e.g. body closed before EOF
	f.run(time.Millisecond)
	expect(t, f, "close c0\ndial c0\nr3 got c0 reused=false")
	checkInvariants(t, f.p)
}

// MaxIdleConns evicts the oldest idle conn across hosts (idleLRU).
func TestMaxIdleConnsEvictsOldest(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxIdleConns = 2
	f, _ := newFake(t, cfg)
	keys := []KeyID{f.p.Key(0, 0), f.p.Key(0, 1), f.p.Key(0, 2)}
	for i, k := range keys {
		f.p.GetConn(k, int32(i))
	}
	f.run(time.Millisecond)
	f.take()
	for i := range keys {
		f.p.PutIdle(f.got[int32(i)])
		f.run(time.Second)
	}
	expect(t, f, "close c0")
	if n := f.p.Stats().Closed[CloseTooManyIdle]; n != 1 {
		t.Fatalf("evicted %d", n)
	}
	checkInvariants(t, f.p)
}

// IdleConnTimeout closes conns left idle; DisableKeepAlives closes every
// conn after its request and never reuses.
func TestIdleTimeoutAndKeepAlivesOff(t *testing.T) {
	f, k := newFake(t, DefaultConfig())
	f.p.GetConn(k, 0)
	f.run(time.Millisecond)
	f.p.PutIdle(f.got[0])
	f.run(89 * time.Second)
	if f.p.StateOf(0) != Idle {
		t.Fatal("closed before IdleConnTimeout")
	}
	f.run(2 * time.Second)
	expect(t, f, "dial c0\nr0 got c0 reused=false\nclose c0")

	cfg := DefaultConfig()
	cfg.DisableKeepAlives = true
	f, k = newFake(t, cfg)
	for r := range int32(2) {
		f.p.GetConn(k, r)
		f.run(time.Millisecond)
		f.p.PutIdle(f.got[r])
	}
	expect(t, f, "dial c0\nr0 got c0 reused=false\nclose c0\ndial c0\nr1 got c0 reused=false\nclose c0")
}

// A failed dial fails its request and frees its per-host slot.
func TestDialFailure(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxConnsPerHost = 1
	f, k := newFake(t, cfg)
	f.fail = true
	f.p.GetConn(k, 0)
	f.p.GetConn(k, 1)
	f.run(time.Millisecond)
	f.fail = false
	f.run(time.Millisecond)
	expect(t, f, "dial c0\nr0 got c-1 reused=false\ndial c0\nr1 got c0 reused=false")
}

// HTTP/2: one conn is shared by up to maxStreams requests; the next one
// waits for a stream slot.
func TestMultiplexShares(t *testing.T) {
	f, k := newFake(t, DefaultConfig())
	f.p.GetConn(k, 0)
	f.run(time.Millisecond)
	f.p.SetMultiplex(f.got[0], 2)
	f.p.PutIdle(f.got[0])
	f.p.GetConn(k, 1)
	f.p.GetConn(k, 2) // full: waits (and dials)
	f.p.StreamDone(f.got[0])
	expect(t, f, "dial c0\nr0 got c0 reused=false\nr1 got c0 reused=true\ndial c1\nr2 got c0 reused=true")
}

func TestBadConfig(t *testing.T) {
	e := sim.NewEngine(1)
	p := New(e, nil)
	if _, err := p.NewTransport(Config{MaxIdleConns: -1}); err == nil {
		t.Fatal("MaxIdleConns -1 accepted")
	}
	if _, err := p.NewTransport(Config{IdleConnTimeout: -1}); err == nil {
		t.Fatal("negative IdleConnTimeout accepted")
	}
}

// checkInvariants: idle lists, the LRU and per-key counts agree.
func checkInvariants(t *testing.T, p *Pool) {
	t.Helper()
	idle := 0
	for ki := range p.keys {
		kk := &p.keys[ki]
		active, dialing := 0, 0
		for pc := range p.conns.Len() {
			c := p.conns.At(PConnID(pc))
			if c.key != KeyID(ki) {
				continue
			}
			switch c.state {
			case Active:
				active++
			case Dialing:
				dialing++
			}
		}
		if active != kk.active || dialing != kk.dialing {
			t.Fatalf("key %d: active %d/%d dialing %d/%d", ki, active, kk.active, dialing, kk.dialing)
		}
		for _, pc := range kk.idle {
			if p.conns.At(pc).state != Idle {
				t.Fatalf("c%d in idle list is %v", pc, p.conns.At(pc).state)
			}
		}
		idle += len(kk.idle)
	}
	lru := 0
	for i := range p.trs {
		lru += p.trs[i].lruLen
	}
	if idle != lru || idle != p.idle {
		t.Fatalf("idle %d, lru %d, count %d", idle, lru, p.idle)
	}
}
