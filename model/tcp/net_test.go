package tcp

import (
	"errors"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
)

// rec records events as (time, conn, side, kind, n).
type rec struct {
	n      *Net
	events []recEv
	accept bool // accept every Acceptable connection
}

type recEv struct {
	t    sim.Time
	c    ConnID
	side Side
	kind EventKind
	n    int64
}

func (r *rec) OnTCP(c ConnID, side Side, k EventKind, n int64) {
	r.events = append(r.events, recEv{r.n.e.Now(), c, side, k, n})
	if k == Acceptable && r.accept {
		if _, err := r.n.Accept(0, r, 0); err != nil && !errors.Is(err, ErrEMFILE) {
			panic(err)
		}
	}
}

func (r *rec) first(k EventKind, side Side) (recEv, bool) {
	for _, e := range r.events {
		if e.kind == k && e.side == side {
			return e, true
		}
	}
	return recEv{}, false
}

func (r *rec) sum(k EventKind, side Side) (total int64, last sim.Time) {
	for _, e := range r.events {
		if e.kind == k && e.side == side {
			total += e.n
			last = e.t
		}
	}
	return
}

func setup(t *testing.T, cfg Config) (*sim.Engine, *Net, *rec) {
	t.Helper()
	e := sim.NewEngine(1)
	n, err := New(e, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &rec{n: n, accept: true}
	n.Listen(r, 0, 0, 0)
	return e, n, r
}

const ms = sim.Time(time.Millisecond)

// The first response byte on a new connection arrives after 2 RTT over
// plain TCP, 3 with TLS 1.3 and 4 with TLS 1.2 (go-runtime-model.md §5).
func TestHandshakeRTTs(t *testing.T) {
	for _, tc := range []struct {
		tls       TLSVersion
		connected sim.Time
	}{{NoTLS, 10 * ms}, {TLS13, 20 * ms}, {TLS12, 30 * ms}} {
		e, n, r := setup(t, Config{RTT: 10 * time.Millisecond, TLS: tc.tls})
		c := n.Dial(r, 0, 0)
		e.Run()
		ev, ok := r.first(Connected, Client)
		if !ok || ev.t != tc.connected {
			t.Fatalf("TLS %d: connected at %v, want %v", tc.tls, ev.t, tc.connected)
		}
		// request → response: one more RTT to the first response byte.
		// The handshake's ACK reaches the server at 1.5 RTT; a request
		// sent now arrives half an RTT later, and its response half an
		// RTT after that.
		t0 := e.Now()
		n.Send(c, Client, 100)
		e.Run()
		got, _ := r.first(Data, Server)
		n.Send(c, Server, 100)
		e.Run()
		resp, _ := r.first(Data, Client)
		if t0 != max(15*ms, tc.connected) || got.t != t0+5*ms || resp.t != t0+10*ms {
			t.Fatalf("TLS %d: request at %v, response at %v", tc.tls, got.t, resp.t)
		}
	}
}

// Slow start from an initial window of 10 segments doubles per RTT:
// 10+20+40 = 70 segments take three rounds, so the last byte of a 70·MSS
// transfer arrives 2.5 RTT after the first left (RFC 5681, RFC 6928).
func TestSlowStartRounds(t *testing.T) {
	for _, tc := range []struct {
		segs   int64
		rounds int
	}{{1, 1}, {10, 1}, {11, 2}, {30, 2}, {31, 3}, {70, 3}, {150, 4}} {
		e, n, r := setup(t, Config{RTT: 10 * time.Millisecond})
		c := n.Dial(r, 0, 0)
		e.Run()
		start := e.Now()
		n.Send(c, Client, tc.segs*DefaultMSS)
		e.Run()
		total, last := r.sum(Data, Server)
		if total != tc.segs*DefaultMSS {
			t.Fatalf("%d segs: delivered %d", tc.segs, total)
		}
		want := start + sim.Time(tc.rounds-1)*10*ms + 5*ms
		if last != want {
			t.Fatalf("%d segs: last byte at %v, want %v (%d rounds)", tc.segs, last-start, want-start, tc.rounds)
		}
	}
}

// With a bandwidth limit, a long transfer approaches bytes/bandwidth.
func TestBandwidthBound(t *testing.T) {
	e, n, r := setup(t, Config{RTT: time.Millisecond, Bandwidth: 10e6})
	c := n.Dial(r, 0, 0)
	e.Run()
	start := e.Now()
	const b = 50 << 20
	n.Send(c, Client, b)
	e.Run()
	_, last := r.sum(Data, Server)
	got := (last - start).Seconds()
	ideal := float64(b) / 10e6
	if got < ideal || got > ideal*1.05 {
		t.Fatalf("50 MiB at 10 MB/s took %.3fs, want ≈ %.3fs", got, ideal)
	}
}

// A lost segment holds back every byte behind it (head-of-line blocking):
// with fast retransmit the rest arrives one RTT late, after a tail loss one
// RTO (RTT + 200 ms) late.
func TestLossHeadOfLine(t *testing.T) {
	var fast, rto int
	for seed := uint64(1); seed <= 200; seed++ {
		e := sim.NewEngine(seed)
		n, _ := New(e, Config{RTT: 10 * time.Millisecond, LossRate: 0.05, Congestion: Reno{}})
		r := &rec{n: n, accept: true}
		n.Listen(r, 0, 0, 0)
		c := n.Dial(r, 0, 0)
		e.Run()
		start := e.Now()
		n.Send(c, Client, 10*DefaultMSS) // one round
		e.Run()
		total, last := r.sum(Data, Server)
		if total != 10*DefaultMSS {
			t.Fatalf("seed %d: delivered %d", seed, total)
		}
		switch d := last - start; d {
		case 5 * ms:
		case 15 * ms:
			fast++
			if n.Cwnd(c, Client) != 5 {
				t.Fatalf("reno cwnd after fast retransmit %v, want 5", n.Cwnd(c, Client))
			}
		case 215 * ms:
			rto++
			if n.Cwnd(c, Client) != 1 {
				t.Fatalf("cwnd after RTO %v, want 1", n.Cwnd(c, Client))
			}
		default:
			t.Fatalf("seed %d: last byte after %v", seed, d)
		}
	}
	// P(first loss in segments 0..6) vs 7..9 for p = 0.05.
	if fast == 0 || rto == 0 {
		t.Fatalf("fast=%d rto=%d: both recoveries should occur", fast, rto)
	}
}

// A full accept queue drops SYNs; the client retransmits at 1, 2, 4, ... s
// and gives up (Refused) after tcp_syn_retries.
func TestAcceptQueueOverflow(t *testing.T) {
	e := sim.NewEngine(1)
	n, _ := New(e, Config{RTT: time.Millisecond})
	r := &rec{n: n}
	l := n.Listen(r, 2, 0, 0) // never accepts
	for range 3 {
		n.Dial(r, l, 0)
	}
	e.Run()
	if q := n.QueueLen(l); q != 2 {
		t.Fatalf("accept queue %d, want 2", q)
	}
	ev, ok := r.first(Refused, Client)
	if !ok {
		t.Fatal("third dial not refused")
	}
	// 0.5 ms to the listener, then 1+2+4+8+16+32 s of retries.
	if want := sim.Time(63*time.Second) + ms/2; ev.t != want {
		t.Fatalf("refused at %v, want %v", ev.t, want)
	}
	if n.Overflows(l) != SynRetries+1 {
		t.Fatalf("overflows %d", n.Overflows(l))
	}
}

// Accept fails with EMFILE at the descriptor limit and succeeds again after
// a close; the closing side holds TIME_WAIT for 60 s.
func TestEMFILEAndTimeWait(t *testing.T) {
	e := sim.NewEngine(1)
	n, _ := New(e, Config{RTT: time.Millisecond})
	r := &rec{n: n}
	l := n.Listen(r, 0, 0, 6) // 4 used: room for 2 conns
	for range 3 {
		n.Dial(r, l, 0)
	}
	e.Run()
	var got []ConnID
	for {
		c, err := n.Accept(l, r, 0)
		if errors.Is(err, ErrEMFILE) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c)
	}
	if len(got) != 2 || n.QueueLen(l) != 1 {
		t.Fatalf("accepted %d, queued %d", len(got), n.QueueLen(l))
	}
	n.Close(got[0], Server)
	if _, err := n.Accept(l, r, 0); err != nil {
		t.Fatalf("accept after close: %v", err)
	}
	e.RunUntil(e.Now() + ms)
	if n.TimeWait(l) != 1 {
		t.Fatalf("server TIME_WAIT %d, want 1", n.TimeWait(l))
	}
	if _, ok := r.first(EOF, Client); !ok {
		t.Fatal("client saw no EOF")
	}
	n.Close(got[0], Client)
	e.RunUntil(e.Now() + sim.Time(59*time.Second))
	if n.TimeWait(l) != 1 || n.Stats().ClientTimeWait != 0 {
		t.Fatalf("TIME_WAIT server %d client %d", n.TimeWait(l), n.Stats().ClientTimeWait)
	}
	e.Run()
	if n.TimeWait(l) != 0 {
		t.Fatal("TIME_WAIT not released after 60 s")
	}
}

// The FIN arrives after every byte written before it.
func TestFinAfterData(t *testing.T) {
	e, n, r := setup(t, Config{RTT: 10 * time.Millisecond})
	c := n.Dial(r, 0, 0)
	e.Run()
	n.Send(c, Client, 100*DefaultMSS)
	n.Close(c, Client)
	e.Run()
	total, last := r.sum(Data, Server)
	eof, ok := r.first(EOF, Server)
	if !ok || total != 100*DefaultMSS || eof.t < last {
		t.Fatalf("EOF %v at %v, last data %v, total %d", ok, eof.t, last, total)
	}
	if !n.PeerClosed(c, Server) || n.Readable(c, Server) != total {
		t.Fatal("receive state wrong")
	}
}

// After an idle period longer than an RTO the window restarts from 10.
func TestSlowStartAfterIdle(t *testing.T) {
	for _, off := range []bool{false, true} {
		e, n, r := setup(t, Config{RTT: 10 * time.Millisecond, NoSlowStartAfterIdle: off})
		c := n.Dial(r, 0, 0)
		e.Run()
		n.Send(c, Client, 70*DefaultMSS)
		e.Run()
		e.RunUntil(e.Now() + sim.Time(time.Second))
		n.Send(c, Client, DefaultMSS)
		e.Run()
		want := float64(DefaultInitCwnd + 1)
		if off {
			want = 81
		}
		if got := n.Cwnd(c, Client); got != want {
			t.Fatalf("off=%v: cwnd %v, want %v", off, got, want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{{LossRate: 1}, {LossRate: -0.1}, {RTT: -1}} {
		if _, err := New(sim.NewEngine(1), cfg); err == nil {
			t.Fatalf("%+v: no error", cfg)
		}
	}
}

type nop struct{}

func (nop) OnTCP(ConnID, Side, EventKind, int64) {}

// A request/response exchange on an established connection allocates
// nothing in steady state.
func TestNoAllocs(t *testing.T) {
	e := sim.NewEngine(1)
	n, _ := New(e, Config{RTT: time.Millisecond})
	l := n.Listen(nop{}, 0, 0, 0)
	c := n.Dial(nop{}, l, 0)
	e.Run()
	n.Accept(l, nop{}, 0)
	step := func() {
		n.Send(c, Client, 200)
		e.Run()
		n.Read(c, Server, 200)
		n.Send(c, Server, 2000)
		e.Run()
		n.Read(c, Client, 2000)
	}
	for range 100 {
		step()
	}
	if a := testing.AllocsPerRun(100, step); a != 0 {
		t.Fatalf("%v allocs per exchange", a)
	}
}

func BenchmarkExchange(b *testing.B) {
	e := sim.NewEngine(1)
	n, _ := New(e, Config{RTT: time.Millisecond})
	l := n.Listen(nop{}, 0, 0, 0)
	c := n.Dial(nop{}, l, 0)
	e.Run()
	n.Accept(l, nop{}, 0)
	b.ReportAllocs()
	for b.Loop() {
		n.Send(c, Client, 200)
		e.Run()
		n.Send(c, Server, 2000)
		e.Run()
	}
}
