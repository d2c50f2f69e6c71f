package lb

import (
	"fmt"
	"math/rand/v2"
)

// Policies.
const (
	RoundRobin       = "round-robin"
	LeastConnections = "least-connections"
	PowerOfTwo       = "p2c"
)

// Policies lists the accepted policy names.
var Policies = []string{RoundRobin, LeastConnections, PowerOfTwo}

// Balancer picks replicas for new connections and tracks open ones.
// Ties in least-connections go to the lowest index (deterministic).
type Balancer struct {
	policy string
	conns  []int
	next   int
	rng    *rand.Rand
	picks  []uint64
}

// New returns a balancer over n replicas; rng drives p2c.
func New(policy string, n int, rng *rand.Rand) (*Balancer, error) {
	if n < 1 {
		return nil, fmt.Errorf("lb: %d replicas", n)
	}
	switch policy {
	case RoundRobin, LeastConnections, PowerOfTwo:
	default:
		return nil, fmt.Errorf("lb: unknown policy %q (round-robin, least-connections, p2c)", policy)
	}
	return &Balancer{policy: policy, conns: make([]int, n), rng: rng, picks: make([]uint64, n)}, nil
}

// Pick chooses the replica of a new connection and counts it open.
func (b *Balancer) Pick() int {
	var i int
	switch b.policy {
	case RoundRobin:
		i = b.next
		b.next = (b.next + 1) % len(b.conns)
	case LeastConnections:
		for j, c := range b.conns {
			if c < b.conns[i] {
				i = j
			}
		}
	case PowerOfTwo:
		i = b.rng.IntN(len(b.conns))
		if len(b.conns) > 1 {
			j := b.rng.IntN(len(b.conns) - 1)
			if j >= i {
				j++
			}
			if b.conns[j] < b.conns[i] {
				i = j
			}
		}
	}
	b.conns[i]++
	b.picks[i]++
	return i
}

// Closed records that a connection to replica i closed.
func (b *Balancer) Closed(i int) { b.conns[i]-- }

// Open returns the open connections per replica (shared; do not modify).
func (b *Balancer) Open() []int { return b.conns }

// Picks returns how many connections each replica was given.
func (b *Balancer) Picks() []uint64 { return b.picks }
