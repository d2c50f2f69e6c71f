package transport

import (
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// fuzzNet dials without completing on its own: the fuzzer decides when.
type fuzzNet struct {
	t       *testing.T
	p       *Pool
	dialing []PConnID
	got     map[int32]int
	active  []PConnID
}

func (f *fuzzNet) Dial(pc PConnID) { f.dialing = append(f.dialing, pc) }
func (f *fuzzNet) Close(pc PConnID) {
	for i, x := range f.active {
		if x == pc {
			f.active = append(f.active[:i], f.active[i+1:]...)
			break
		}
	}
}
func (f *fuzzNet) GotConn(req int32, pc PConnID, reused bool) {
	f.got[req]++
	if f.got[req] > 1 {
		f.t.Fatalf("request %d got two conns", req)
	}
	if pc != NoConn {
		f.active = append(f.active, pc)
	}
}

// FuzzPool drives a Pool with random requests, dial completions and
// failures, returns, closes and idle time, checking its invariants after
// every step: idle lists, LRU and counts agree, no request is served twice,
// MaxConnsPerHost and MaxIdleConnsPerHost hold, and once every dial is
// done and every conn returned, no request is left waiting.
func FuzzPool(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 1, 2, 2, 0, 3, 4, 1, 2})
	f.Add([]byte{5, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 6, 3, 3})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) < 1 {
			return
		}
		e := sim.NewEngine(1)
		fn := &fuzzNet{t: t, got: map[int32]int{}}
		p := New(e, fn)
		fn.p = p
		cfg := Config{MaxIdleConns: 3, MaxIdleConnsPerHost: int(ops[0]%3) + 1, MaxConnsPerHost: int(ops[0]/3%4) - 1, IdleConnTimeout: time.Second}
		tr, _ := p.NewTransport(cfg)
		keys := []KeyID{p.Key(tr, 0), p.Key(tr, 1)}
		req := int32(0)
		for i, op := range ops[1:] {
			k := keys[int(op>>4)%2]
			switch op % 8 {
			case 0, 1:
				p.GetConn(k, req)
				req++
			case 2, 3:
				if len(fn.dialing) > 0 {
					j := int(op>>3) % len(fn.dialing)
					pc := fn.dialing[j]
					fn.dialing = append(fn.dialing[:j], fn.dialing[j+1:]...)
					p.DialDone(pc, op%8 == 2 || i%5 != 0)
				}
			case 4, 5:
				if len(fn.active) > 0 {
					j := int(op>>3) % len(fn.active)
					pc := fn.active[j]
					fn.active = append(fn.active[:j], fn.active[j+1:]...)
					if op%8 == 4 {
						p.PutIdle(pc)
					} else {
						p.CloseConn(pc)
					}
				}
			case 6:
				e.RunUntil(e.Now() + sim.Time(time.Duration(op>>3)*100*time.Millisecond))
			case 7:
				p.GetConn(k, req)
				req++
			}
			checkInvariants(t, p)
			for ki := range p.keys {
				kk := &p.keys[ki]
				open := len(kk.idle) + kk.active + kk.dialing
				if cfg.MaxConnsPerHost > 0 && open > cfg.MaxConnsPerHost {
					t.Fatalf("key %d: %d conns open > MaxConnsPerHost %d", ki, open, cfg.MaxConnsPerHost)
				}
				if len(kk.idle) > cfg.MaxIdleConnsPerHost {
					t.Fatalf("key %d: %d idle > MaxIdleConnsPerHost", ki, len(kk.idle))
				}
			}
		}
		// Drain: finish dials and return every conn until quiet.
		for range 1 << 20 {
			if len(fn.dialing) > 0 {
				pc := fn.dialing[0]
				fn.dialing = fn.dialing[1:]
				p.DialDone(pc, true)
				continue
			}
			if len(fn.active) > 0 {
				pc := fn.active[0]
				fn.active = fn.active[1:]
				p.PutIdle(pc)
				continue
			}
			break
		}
		checkInvariants(t, p)
		for r := range req {
			if fn.got[r] != 1 {
				t.Fatalf("request %d served %d times after the drain (of %d)", r, fn.got[r], req)
			}
		}
	})
}
