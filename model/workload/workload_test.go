package workload

import (
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/httpserver"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
)

func TestParseSteps(t *testing.T) {
	st, err := ParseSteps("0s:1000, 2s:50000,4s:0")
	if err != nil || len(st) != 3 || st[1] != (Step{2 * time.Second, 50000}) {
		t.Fatalf("%v %v", st, err)
	}
	for _, bad := range []string{"1s", "x:1", "1s:-1", "2s:1,1s:1", "1s:abc"} {
		if _, err := ParseSteps(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzParseSteps(f *testing.F) {
	f.Add("0s:1000,2s:5")
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseSteps(s)
		if err != nil {
			return
		}
		for i := 1; i < len(st); i++ {
			if st[i].At < st[i-1].At || st[i].Rate < 0 {
				t.Fatalf("%q → %v", s, st)
			}
		}
	})
}

// echo is a server that answers every complete request at once with 100
// bytes, or never (silent).
type echo struct {
	n      *tcp.Net
	w      *httpserver.Wire
	l      tcp.ListenerID
	silent bool
}

func (s *echo) OnTCP(c tcp.ConnID, side tcp.Side, ev tcp.EventKind, n int64) {
	switch ev {
	case tcp.Acceptable:
		for {
			if _, err := s.n.Accept(s.l, s, 0); err != nil {
				return
			}
		}
	case tcp.Data:
		hdr, body := s.w.Request(c)
		if s.silent || s.n.Readable(c, tcp.Server) < hdr+body {
			return
		}
		s.n.Read(c, tcp.Server, hdr+body)
		s.w.SetResponse(c, 200, 100)
		s.n.Send(c, tcp.Server, 100)
	}
}

func rig(t *testing.T, cfg Config, silent bool, d time.Duration) (*Workload, *sim.Engine) {
	e := sim.NewEngine(1)
	n, _ := tcp.New(e, tcp.Config{RTT: time.Millisecond})
	s := &echo{n: n, w: &httpserver.Wire{}, silent: silent}
	s.l = n.Listen(s, 0, 0, 0)
	w, err := New(e, n, s.w, []tcp.ListenerID{s.l}, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(sim.Time(d))
	return w, e
}

// Rate steps change the open-loop rate; every request is accounted for.
func TestStepsAndConservation(t *testing.T) {
	steps, _ := ParseSteps("1s:10000,2s:0")
	w, _ := rig(t, Config{Rate: 1000, Steps: steps}, false, 3*time.Second)
	st := w.Stats()
	if st.Arrived < 10500 || st.Arrived > 11500 || !st.Conserved() || st.InFlight != 0 {
		t.Fatalf("%+v", st)
	}
	// One RTT per request on a warm connection.
	if m := w.Latency().Mean(); m < 1e6 || m > 1.2e6 {
		t.Fatalf("mean latency %v", m)
	}
}

// A closed loop of N clients with think time Z against an instant server
// (response time R = 1 RTT) runs at N/(R+Z) (the interactive response time
// law).
func TestClosedLoopLaw(t *testing.T) {
	w, _ := rig(t, Config{Clients: 50, Think: dist.Const{V: float64(9 * time.Millisecond)}}, false, 10*time.Second)
	got := float64(w.Stats().Completed) / 10
	want := 50 / 0.010
	if got < 0.97*want || got > 1.01*want {
		t.Fatalf("%.0f req/s, want ≈ %.0f", got, want)
	}
}

// Against a server that never answers, every request times out and is
// retried Retries times; MaxConnsPerHost caps the connections.
func TestTimeoutRetriesAndMaxConns(t *testing.T) {
	w, _ := rig(t, Config{Rate: 100, Constant: true, Timeout: 100 * time.Millisecond, Retries: 2, MaxConnsPerHost: 5}, true, 2*time.Second)
	st := w.Stats()
	if st.Failed[FailTimeout] == 0 || st.Completed != 0 || !st.Conserved() {
		t.Fatalf("%+v", st)
	}
	if st.Attempts < 2*st.Arrived || st.ConnsOpen > 5 {
		t.Fatalf("attempts %d for %d arrivals, %d conns open", st.Attempts, st.Arrived, st.ConnsOpen)
	}
}

// Sessions arrive at rate λ, each sends k requests with think time Z on its
// own connection and closes it: by Little's law about λ·(k·(R+Z)) sessions
// are open at once, and every session's connection is dialled once.
func TestSessions(t *testing.T) {
	w, _ := rig(t, Config{SessionRate: 100, SessionRequests: 5, Think: dist.Const{V: float64(99 * time.Millisecond)}}, false, 20*time.Second)
	st := w.Stats()
	// each session lasts 5 requests of 1 ms plus 4 thinks of 99 ms ≈ 0.4 s
	if st.ConnsOpen < 25 || st.ConnsOpen > 60 {
		t.Fatalf("%d conns open, want ≈ 40", st.ConnsOpen)
	}
	if d := float64(st.Dials); d < 1900 || d > 2100 || !st.Conserved() {
		t.Fatalf("%+v", st)
	}
	if st.Completed < 5*(st.Dials-60) {
		t.Fatalf("%d completed for %d sessions", st.Completed, st.Dials)
	}
}
