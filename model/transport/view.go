package transport

import "github.com/gohttpsim/gohttpsim/sim"

// KeyView is a snapshot of one key's pool state, for drawing: connections
// idle, carrying requests, being dialed (new), and requests queued for one.
type KeyView struct {
	Idle, Active, Dialing, Waiting int
}

// View returns the snapshot of key k. It only reads.
func (p *Pool) View(k KeyID) KeyView {
	kk := &p.keys[k]
	return KeyView{Idle: len(kk.idle), Active: kk.active, Dialing: kk.dialing, Waiting: kk.waiting}
}

// Total returns the sum of View over every key.
func (p *Pool) Total() KeyView {
	var t KeyView
	for k := range p.keys {
		v := p.View(KeyID(k))
		t.Idle += v.Idle
		t.Active += v.Active
		t.Dialing += v.Dialing
		t.Waiting += v.Waiting
	}
	return t
}

// ConnView is one pooled connection as a value.
type ConnView struct {
	ID      PConnID
	Key     KeyID
	State   State
	Reused  bool     // it has been returned to the pool at least once
	IdleAt  sim.Time // when it last became idle
	Streams int      // HTTP/2 requests in flight
}

// AppendConns appends every open connection to dst in ID order and
// returns it; pass a reused slice to draw without allocating.
func (p *Pool) AppendConns(dst []ConnView) []ConnView {
	for i := range p.conns.Len() {
		c := p.conns.At(PConnID(i))
		if c.state == Free {
			continue
		}
		dst = append(dst, ConnView{ID: PConnID(i), Key: c.key, State: c.state, Reused: c.reused, IdleAt: c.idleAt, Streams: int(c.streams)})
	}
	return dst
}
