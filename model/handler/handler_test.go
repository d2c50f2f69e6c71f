package handler

import (
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim/dist"
)

func TestParseSequence(t *testing.T) {
	h, err := ParseSequence("cpu(5us)+alloc(4KiB)+db(exp(2ms)) + sleep(uniform(1ms,2ms))+cpu(1us)")
	if err == nil {
		t.Fatal("alloc(4KiB) is not a number ParseDist accepts; want an error")
	}
	h, err = ParseSequence("cpu(5us)+alloc(4096)+db(exp(2ms)) + sleep(uniform(1ms,2ms))+cpu(1us)")
	if err != nil {
		t.Fatal(err)
	}
	kinds := []OpKind{OpCPU, OpDB, OpSleep, OpCPU}
	if len(h.Ops) != len(kinds) {
		t.Fatalf("%d ops", len(h.Ops))
	}
	for i, k := range kinds {
		if h.Ops[i].Kind != k {
			t.Fatalf("op %d is %v, want %v", i, h.Ops[i].Kind, k)
		}
	}
	if h.MeanCPU() != 6*time.Microsecond || h.MeanAlloc() != 4096 {
		t.Fatalf("mean CPU %v alloc %v", h.MeanCPU(), h.MeanAlloc())
	}
	for _, bad := range []string{"", "cpu", "cpu(5us", "gpu(1)", "alloc(5)", "cpu(x)", "db(exp(1,2))"} {
		if _, err := ParseSequence(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzParseSequence(f *testing.F) {
	for _, s := range []string{"cpu(5us)+db(exp(2ms))", "sleep(1ms)", "cpu(1)+alloc(2)", "((+)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseSequence(s)
		if err == nil && len(h.Ops) == 0 {
			t.Fatal("no error and no ops")
		}
	})
}

func TestNewKindsAndMiddleware(t *testing.T) {
	for _, k := range []string{"hello", "json", "db", "sleep"} {
		h, err := New(k, nil)
		if err != nil || len(h.Ops) == 0 {
			t.Fatalf("%s: %v", k, err)
		}
		n := len(h.Ops)
		h.WithMiddleware(3, dist.Const{V: 1000})
		if len(h.Ops) != n+3 || h.Ops[0].Kind != OpCPU {
			t.Fatalf("%s: middleware not in front", k)
		}
	}
	if _, err := New("grpc", nil); err == nil {
		t.Fatal("unknown kind accepted")
	}
}
