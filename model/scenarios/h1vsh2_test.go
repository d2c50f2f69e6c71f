package scenarios_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/scenario"
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
