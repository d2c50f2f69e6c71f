// Package mmc is the textbook M/M/c queue built on the kernel alone:
// Poisson arrivals, c identical servers with exponential service times, one
// FIFO queue. It exists to prove the kernel and the statistics against
// closed forms (Erlang C, Little's law), and as the smallest example of a
// model: one long-lived handler, events as values, no allocation per event.
package mmc

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// Config parameterises the queue.
type Config struct {
	Servers     int           // c
	Rate        float64       // arrivals per second (λ)
	ServiceMean time.Duration // 1/μ
	Duration    time.Duration // run length
	Warmup      time.Duration // statistics reset at this time
}

// Queue is the model. Its fields are read by Metrics after the run.
type Queue struct {
	cfg  Config
	e    *sim.Engine
	h    sim.HandlerID
	rArr *rand.Rand
	rSvc *rand.Rand

	busy  int
	queue []sim.Time // arrival times of waiting customers (ring)
	qHead int
	qLen  int

	measureFrom sim.Time
	completed   uint64
	latency     stats.Histogram
	waitSum     float64
	qlen        stats.TimeWeighted // customers waiting
	inSys       stats.TimeWeighted // customers in system
	busyTW      stats.TimeWeighted // busy servers

	arrivals, departures uint64 // since t=0: the warm-up does not reset them
}

const (
	kArrive sim.Kind = iota
	kDepart
	kWarmup
)

// New builds the queue on e and schedules the first arrival.
func New(e *sim.Engine, cfg Config) *Queue {
	q := &Queue{cfg: cfg, e: e, rArr: e.Stream("mmc/arrivals"), rSvc: e.Stream("mmc/service")}
	q.h = e.Register(q)
	q.queue = make([]sim.Time, 1024)
	q.measureFrom = sim.Time(cfg.Warmup)
	if cfg.Rate > 0 {
		e.After(q.interarrival(), q.h, kArrive, 0, 0)
	}
	if cfg.Warmup > 0 {
		e.After(cfg.Warmup, q.h, kWarmup, 0, 0)
	}
	return q
}

func (q *Queue) interarrival() time.Duration {
	return time.Duration(q.rArr.ExpFloat64()*1e9/q.cfg.Rate) + 1
}

func (q *Queue) service() time.Duration {
	return time.Duration(q.rSvc.ExpFloat64() * float64(q.cfg.ServiceMean))
}

// Handle implements sim.Handler. Arg carries a customer's arrival time.
func (q *Queue) Handle(ev sim.Event) {
	now := q.e.Now()
	switch ev.Kind {
	case kArrive:
		q.arrivals++
		q.e.After(q.interarrival(), q.h, kArrive, 0, 0)
		q.inSys.Add(now, 1)
		if q.busy < q.cfg.Servers {
			q.start(now, now)
		} else {
			q.push(now)
			q.qlen.Set(now, float64(q.qLen))
		}
	case kDepart:
		arrived := sim.Time(ev.Arg)
		q.departures++
		q.inSys.Add(now, -1)
		if arrived >= q.measureFrom {
			q.completed++
			q.latency.Record(int64(now - arrived))
		}
		q.busy--
		if q.qLen > 0 {
			a := q.pop()
			q.qlen.Set(now, float64(q.qLen))
			q.start(now, a)
		}
		q.busyTW.Set(now, float64(q.busy))
	case kWarmup:
		q.completed = 0
		q.latency.Reset()
		q.waitSum = 0
		q.qlen.Restart(now)
		q.inSys.Restart(now)
		q.busyTW.Restart(now)
	}
}

func (q *Queue) start(now, arrived sim.Time) {
	q.busy++
	q.busyTW.Set(now, float64(q.busy))
	if arrived >= q.measureFrom {
		q.waitSum += float64(now - arrived)
	}
	q.e.After(q.service(), q.h, kDepart, 0, int64(arrived))
}

func (q *Queue) push(t sim.Time) {
	if q.qLen == len(q.queue) {
		n := make([]sim.Time, 2*len(q.queue))
		for i := 0; i < q.qLen; i++ {
			n[i] = q.queue[(q.qHead+i)%len(q.queue)]
		}
		q.queue, q.qHead = n, 0
	}
	q.queue[(q.qHead+q.qLen)%len(q.queue)] = t
	q.qLen++
}

func (q *Queue) pop() sim.Time {
	t := q.queue[q.qHead]
	q.qHead = (q.qHead + 1) % len(q.queue)
	q.qLen--
	return t
}

// Stats are the measured results.
type Stats struct {
	Completed   uint64
	Throughput  float64 // per second
	LatencyMean float64 // ns, arrival to departure
	LatencyP50  float64
	LatencyP99  float64
	WaitMean    float64 // ns, arrival to service start
	QueueMean   float64 // time-average customers waiting
	InSysMean   float64 // time-average customers in system
	Utilization float64 // time-average busy fraction of the c servers
}

// Stats reports the results measured after the warm-up.
func (q *Queue) Stats() Stats {
	now := q.e.Now()
	span := float64(now-q.measureFrom) / 1e9
	s := Stats{
		Completed:   q.completed,
		LatencyMean: q.latency.Mean(),
		LatencyP50:  q.latency.Quantile(0.5),
		LatencyP99:  q.latency.Quantile(0.99),
		QueueMean:   q.qlen.Mean(now),
		InSysMean:   q.inSys.Mean(now),
		Utilization: q.busyTW.Mean(now) / float64(q.cfg.Servers),
	}
	if span > 0 {
		s.Throughput = float64(q.completed) / span
	}
	if q.completed > 0 {
		s.WaitMean = q.waitSum / float64(q.completed)
	}
	return s
}

// ErlangC returns the probability that an arrival waits in an M/M/c queue
// with c servers and offered load a = λ/μ (in Erlangs), and the mean wait
// Wq = C(c,a)/(cμ-λ) in the units of 1/μ. It requires a < c.
func ErlangC(c int, lambda, mu float64) (pWait, meanWait float64) {
	a := lambda / mu
	rho := a / float64(c)
	// Sum a^k/k! for k < c, computed iteratively to avoid overflow.
	term, sum := 1.0, 1.0
	for k := 1; k < c; k++ {
		term *= a / float64(k)
		sum += term
	}
	last := term * a / float64(c) // a^c/c!
	top := last / (1 - rho)
	pWait = top / (sum + top)
	meanWait = pWait / (float64(c)*mu - lambda)
	if math.IsNaN(pWait) {
		return 1, math.Inf(1)
	}
	return pWait, meanWait
}

// QueueLen returns the customers waiting now.
func (q *Queue) QueueLen() float64 { return float64(q.qLen) }

// InSystem returns the customers waiting or in service now.
func (q *Queue) InSystem() float64 { return q.inSys.Value() }

// Counts returns the customers that arrived and departed since t=0 (the
// warm-up resets the statistics, not these) and those waiting and in
// service now. At every instant arrived = departed + waiting + inService.
func (q *Queue) Counts() (arrived, departed uint64, waiting, inService int) {
	return q.arrivals, q.departures, q.qLen, q.busy
}
