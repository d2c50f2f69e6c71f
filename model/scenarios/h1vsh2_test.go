package scenarios_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/http2"
	"github.com/gohttpsim/gohttpsim/model/scenarios"
	"github.com/gohttpsim/gohttpsim/model/transport"
	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

func runH1vsH2(t *testing.T, seed uint64, sets ...string) *scenario.Rep {
	t.Helper()
	sc := scenario.Lookup("h1-vs-h2")
	v, err := scenario.Parse(sc.Params, sets)
	if err != nil {
		t.Fatal(err)
	}
	r, err := scenario.RunOne(sc, v, seed, scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func h2metric(t *testing.T, r *scenario.Rep, name string) float64 {
	t.Helper()
	v, ok := r.Metric(name)
	if !ok {
		t.Fatalf("no metric %s", name)
	}
	return v
}

// Closed forms without loss or bandwidth limits: one small resource takes
// 2 RTT over plain TCP (handshake + request) and 3 RTT with TLS 1.3, on
// either protocol.
func TestH1vsH2ClosedForms(t *testing.T) {
	const rtt = 50 * time.Millisecond
	for _, c := range []struct {
		tls  string
		rtts int
	}{{"none", 2}, {"1.3", 3}, {"1.2", 4}} {
		r := runH1vsH2(t, 1, "page.resources=1", "page.size=1KiB", "net.bandwidth=0", "net.loss=0", "net.tls="+c.tls)
		want := float64(time.Duration(c.rtts) * rtt)
		for _, m := range []string{"page_time_h1_ns", "page_time_h2_ns"} {
			if got := h2metric(t, r, m); got != want {
				t.Errorf("TLS %s: %s = %v, want %v", c.tls, m, time.Duration(got), time.Duration(want))
			}
		}
	}
	// 12 resources over 6 HTTP/1.1 conns take two request rounds; HTTP/2
	// sends them all at once on one conn.
	r := runH1vsH2(t, 1, "page.resources=12", "page.size=1KiB", "net.bandwidth=0", "net.loss=0", "net.tls=none")
	if h1, h2 := h2metric(t, r, "page_time_h1_ns"), h2metric(t, r, "page_time_h2_ns"); h1 != float64(3*rtt) || h2 != float64(2*rtt) {
		t.Errorf("12 resources: h1 %v (want 150ms), h2 %v (want 100ms)", time.Duration(h1), time.Duration(h2))
	}
}

// TCP head-of-line blocking: with loss, a lost segment on the single
// HTTP/2 connection delays every stream behind it, while on HTTP/1.1 it
// delays only the resources of the connection that lost it. Over seeds,
// the share of stalled streams is higher for HTTP/2.
func TestH1vsH2HeadOfLineBlocking(t *testing.T) {
	var h1, h2 float64
	n := 0
	for seed := uint64(1); seed <= 10; seed++ {
		r := runH1vsH2(t, seed, "net.loss=0.01")
		if h2metric(t, r, "segments_lost_h2") == 0 || h2metric(t, r, "segments_lost_h1") == 0 {
			continue
		}
		h1 += h2metric(t, r, "stalled_streams_h1")
		h2 += h2metric(t, r, "stalled_streams_h2")
		n++
		if h2metric(t, r, "page_time_h2_ns") < h2metric(t, r, "page_time_h2_noloss_ns") {
			t.Errorf("seed %d: loss made HTTP/2 faster", seed)
		}
	}
	if n < 5 {
		t.Fatalf("only %d seeds lost segments on both", n)
	}
	h1, h2 = h1/float64(n), h2/float64(n)
	t.Logf("stalled streams: h1 %.2f, h2 %.2f over %d seeds", h1, h2, n)
	if h2 < 0.9 || h1 >= h2 {
		t.Errorf("stalled share h1 %.2f, h2 %.2f: want HTTP/2 ≥ 0.9 and above HTTP/1.1", h1, h2)
	}
}

// `run -trace` gets one JSON line per HTTP/2 frame with the contract keys.
func TestH1vsH2Trace(t *testing.T) {
	sc := scenario.Lookup("h1-vs-h2")
	v, _ := scenario.Parse(sc.Params, []string{"page.resources=3", "net.loss=0"})
	var buf bytes.Buffer
	if _, err := scenario.RunOne(sc, v, 1, scenario.Options{Env: scenario.Env{Trace: &buf}}); err != nil {
		t.Fatal(err)
	}
	sc2 := bufio.NewScanner(&buf)
	types := map[string]int{}
	for sc2.Scan() {
		var f struct {
			Time   *int64  `json:"time"`
			Conn   *int    `json:"conn"`
			Stream *int    `json:"stream"`
			Type   *string `json:"type"`
			Flags  *int    `json:"flags"`
			Length *int    `json:"length"`
		}
		if err := json.Unmarshal(sc2.Bytes(), &f); err != nil || f.Time == nil || f.Conn == nil || f.Stream == nil || f.Type == nil || f.Flags == nil || f.Length == nil {
			t.Fatalf("bad trace line %q (%v)", sc2.Text(), err)
		}
		types[*f.Type]++
	}
	if types["HEADERS"] != 6 || types["SETTINGS"] != 4 || types["DATA"] != 9 { // per 20 KiB stream: 16384 + 4096 + empty END_STREAM
		t.Fatalf("frame types %v", types)
	}
}

// BenchmarkH1vsH2 runs a 100-resource page of 100 KiB each (four worlds).
func BenchmarkH1vsH2(b *testing.B) {
	benchScenario(b, "h1-vs-h2", "page.resources=100", "page.size=100KiB")
}

type pageViewer interface{ PageView(*scenarios.PageView) }

// buildH1vsH2 builds the model on a fresh engine without running it.
func buildH1vsH2(t *testing.T, seed uint64, sets ...string) (*sim.Engine, pageViewer) {
	t.Helper()
	sc := scenario.Lookup("h1-vs-h2")
	v, err := scenario.Parse(sc.Params, sets)
	if err != nil {
		t.Fatal(err)
	}
	e := sim.NewEngine(seed)
	m, err := sc.Build(e, v, &scenario.Env{})
	if err != nil {
		t.Fatal(err)
	}
	pv, ok := m.(pageViewer)
	if !ok {
		t.Fatal("h1-vs-h2 model has no PageView")
	}
	return e, pv
}

// checkPage asserts what holds at every instant and returns how many
// HTTP/2 streams are behind their lossless twin.
func checkPage(t *testing.T, v *scenarios.PageView, conns int) (behind int) {
	t.Helper()
	n := len(v.Sizes)
	if len(v.H1Conns) > conns {
		t.Fatalf("%v: %d HTTP/1.1 conns, limit %d", v.Now, len(v.H1Conns), conns)
	}
	seen := map[int32]bool{}
	for _, c := range v.H1Conns {
		if c.Resource < 0 {
			continue
		}
		if seen[c.Resource] || c.State != transport.Active {
			t.Fatalf("%v: conn %d (%v) carries resource %d (seen %v)", v.Now, c.ID, c.State, c.Resource, seen[c.Resource])
		}
		seen[c.Resource] = true
		if r := v.H1Resources[c.Resource]; r.Conn != c.ID || r.Done != 0 {
			t.Fatalf("%v: resource %d on conn %d, view says %+v", v.Now, c.Resource, c.ID, r)
		}
	}
	if len(seen)+v.H1Queued > v.H1Left || v.H1Left > n || len(v.H1Resources) != n {
		t.Fatalf("%v: carried %d + queued %d > left %d (n %d)", v.Now, len(seen), v.H1Queued, v.H1Left, n)
	}
	closed := 0
	for i, s := range v.H2Streams {
		if s.ID != uint32(2*i+1) || s.Received > v.Sizes[i] || s.Behind < 0 {
			t.Fatalf("%v: stream %d: %+v (size %d)", v.Now, i, s, v.Sizes[i])
		}
		if s.State == http2.StreamClosed {
			closed++
			if s.Received != v.Sizes[i] || s.Done == 0 {
				t.Fatalf("%v: closed stream %d: %+v (size %d)", v.Now, i, s, v.Sizes[i])
			}
		}
		if s.Behind > 0 {
			behind++
		}
	}
	if len(v.H2Streams) > 0 && closed != n-v.H2Left {
		t.Fatalf("%v: %d streams closed, %d of %d left", v.Now, closed, v.H2Left, n)
	}
	return behind
}

// The view follows the page load: its invariants hold at every 5 ms; with
// loss, HTTP/2 streams fall behind their lossless twin together (TCP
// head-of-line blocking), and without loss none ever does; at the end
// every resource is accounted for.
func TestH1vsH2PageView(t *testing.T) {
	for _, loss := range []string{"0", "0.03"} {
		e, pv := buildH1vsH2(t, 3, "net.loss="+loss, "page.resources=30")
		var v scenarios.PageView
		most := 0
		for at := sim.Time(0); !e.Stopped() && at < sim.Time(time.Minute); at += sim.Time(5 * time.Millisecond) {
			e.RunUntil(at)
			pv.PageView(&v)
			most = max(most, checkPage(t, &v, 6))
		}
		if !e.Stopped() {
			t.Fatalf("loss %s: page not loaded in a minute", loss)
		}
		pv.PageView(&v)
		checkPage(t, &v, 6)
		if v.H1Left != 0 || v.H2Left != 0 || len(v.H2Streams) != 30 {
			t.Fatalf("loss %s: left h1 %d h2 %d, %d streams", loss, v.H1Left, v.H2Left, len(v.H2Streams))
		}
		for r, x := range v.H1Resources {
			if x.Conn == transport.NoConn || x.Start == 0 || x.Done < x.Start || x.Twin == 0 {
				t.Errorf("loss %s: resource %d: %+v", loss, r, x)
			}
		}
		t.Logf("loss %s: at most %d of 30 HTTP/2 streams behind their twin at once", loss, most)
		if loss == "0" && most != 0 {
			t.Errorf("no loss: %d streams behind their twin", most)
		}
		if loss != "0" && most < 2 {
			t.Errorf("loss %s: at most %d HTTP/2 streams behind their twin at once, want several (head-of-line blocking)", loss, most)
		}
	}
}

// Closed form: 12 small resources, 6 conns, no loss, no TLS, unlimited
// bandwidth. Every conn carries two resources; the first six get their
// conn when the handshake completes (1 RTT), the next six when the first
// responses arrive (2 RTT), on the same conns.
func TestH1vsH2PageViewLanes(t *testing.T) {
	const rtt = sim.Time(50 * time.Millisecond)
	e, pv := buildH1vsH2(t, 1, "page.resources=12", "page.size=1KiB", "net.bandwidth=0", "net.loss=0", "net.tls=none")
	var v scenarios.PageView
	e.RunUntil(rtt + 1)
	pv.PageView(&v)
	if len(v.H1Conns) != 6 || v.H1Queued != 6 {
		t.Fatalf("after 1 RTT: %d conns, %d queued; want 6 and 6", len(v.H1Conns), v.H1Queued)
	}
	for _, c := range v.H1Conns {
		if c.Resource < 0 || c.State != transport.Active {
			t.Errorf("after 1 RTT: conn %+v idle", c)
		}
	}
	e.Run()
	pv.PageView(&v)
	per := map[transport.PConnID]int{}
	for r, x := range v.H1Resources {
		per[x.Conn]++
		want := rtt
		if r >= 6 {
			want = 2 * rtt
		}
		if x.Start != want || x.Done != want+rtt {
			t.Errorf("resource %d: start %v done %v, want %v and %v", r, x.Start, x.Done, want, want+rtt)
		}
	}
	if len(per) != 6 {
		t.Errorf("conns used: %v, want 6 with 2 each", per)
	}
	for pc, k := range per {
		if k != 2 {
			t.Errorf("conn %d carried %d resources, want 2", pc, k)
		}
	}
}
