package child

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	Main()
	os.Exit(m.Run())
}

// A pinned server and client: every request is served, the latencies are
// ordered, the busy share follows from rate × mean service time, and the
// server's runtime accounting sees the allocations and the CPU.
func TestServerClient(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two processes for ~1 s")
	}
	if err := Available(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err) // CI machines have 2 CPUs and Linux
		}
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv, err := StartServer(ctx, ServerConfig{CPU: 0, GOMAXPROCS: 1, LiveSlots: 16})
	if err != nil {
		t.Fatal(err)
	}
	r, err := RunClient(ctx, ClientConfig{CPU: 1, Addr: srv.Addr, Rate: 500, Mean: 200 * time.Microsecond, Alloc: 64 << 10, Span: 800 * time.Millisecond, Conns: 8, Seed: 1})
	st, serr := srv.Stop()
	if err != nil || serr != nil {
		t.Fatal(err, serr)
	}
	t.Logf("client %+v", r)
	t.Logf("server %+v", st)
	if r.Done != r.Sent || r.Sent < 200 || !(r.P50 > 0 && r.P50 <= r.P99) {
		t.Errorf("client: %+v", r)
	}
	if want := r.Rate * 200e-6; r.Busy < want/2 || r.Busy > want*2 {
		t.Errorf("busy %.3f, want about rate × mean = %.3f", r.Busy, want)
	}
	if st.AllocBytes < float64(r.Sent)*(64<<10) || st.GCCycles < 1 || st.TotalCPU <= 0 || st.UserCPU <= 0 {
		t.Errorf("server accounting: %+v", st)
	}
}
