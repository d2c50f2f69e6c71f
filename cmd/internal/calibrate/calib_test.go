package calibrate

import (
	"github.com/gohttpsim/gohttpsim/cmd/internal/child"
	"os"

	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/gohttpsim/gohttpsim/model/scenarios" // registers the scenarios the calibration maps onto
	"github.com/gohttpsim/gohttpsim/sim/scenario"
	"go.uber.org/goleak"
)

func sample() *Calibration {
	return &Calibration{Version: Version, GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", CPUs: 2,
		MeasuredAt: "2026-11-28T11:00:00Z", HelloCPU: Duration(9600 * time.Nanosecond), JSONCPU: Duration(11200 * time.Nanosecond),
		HelloHandlerCPU: Duration(60 * time.Nanosecond), JSONHandlerCPU: Duration(900 * time.Nanosecond), JSONHandlerAllocBytes: 400,
		HelloAllocBytes: 1400, HelloAllocs: 14, JSONAllocBytes: 2300, JSONAllocs: 21,
		GoSwitch: Duration(130 * time.Nanosecond), GoCreate: Duration(450 * time.Nanosecond), Gosched: Duration(80 * time.Nanosecond)}
}

func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := sample().Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"hello_cpu": "9.6µs"`) {
		t.Fatalf("durations are Go strings:\n%s", buf.String())
	}
	c, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if *c != *sample() {
		t.Fatalf("round trip: %+v", c)
	}
}

func TestReadErrors(t *testing.T) {
	var good bytes.Buffer
	sample().Write(&good)
	for _, c := range []struct{ name, in, want string }{
		{"unknown field", strings.Replace(good.String(), `"cpus"`, `"cpuz"`, 1), "unknown field"},
		{"version", strings.Replace(good.String(), `"version": 1`, `"version": 7`, 1), "version 7"},
		{"bad duration", strings.Replace(good.String(), `"9.6µs"`, `"fast"`, 1), "bad duration"},
		{"number duration", strings.Replace(good.String(), `"9.6µs"`, `9600`, 1), "want a duration string"},
		{"zero", strings.Replace(good.String(), `"9.6µs"`, `"0s"`, 1), "hello_cpu"},
		{"handler above whole", strings.Replace(good.String(), `"hello_handler_cpu": "60ns"`, `"hello_handler_cpu": "20µs"`, 1), "not below"},
		{"negative alloc", strings.Replace(good.String(), `"hello_allocs": 14`, `"hello_allocs": -1`, 1), "hello_allocs"},
		{"trailing", good.String() + "{}", "trailing"},
		{"empty", "", "bad calibration file"},
	} {
		_, err := Read(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrFormat) {
			t.Errorf("%s: got %v, want ErrFormat mentioning %q", c.name, err, c.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	var good bytes.Buffer
	sample().Write(&good)
	f.Add(good.String())
	f.Add(`{"version":1}`)
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Read(strings.NewReader(s))
		if err == nil && c.Check() != nil {
			t.Fatal("Read accepted a file that fails Check")
		}
	})
}

func TestApply(t *testing.T) {
	// A scenario that splits net/http's CPU (server.cpu) from the handler's.
	split := []scenario.Param{
		{Key: "handler.kind", Kind: scenario.Enum, Default: "hello", Enum: []string{"hello", "json", "db"}},
		{Key: "handler.cpu", Kind: scenario.Dist, Default: "500ns"},
		{Key: "handler.alloc", Kind: scenario.SizeDist, Default: "2048"},
		{Key: "server.cpu", Kind: scenario.Dist, Default: "exp(9.1us)"},
		{Key: "GOMAXPROCS", Kind: scenario.Int, Default: "4"},
	}
	v, _ := scenario.Parse(split, nil)
	keys, err := sample().ApplyKeys(v)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(keys, ",") != "server.cpu,handler.cpu,handler.alloc" {
		t.Errorf("applied %v", keys)
	}
	if v.Raw("server.cpu") != "exp(9.54µs)" || v.Raw("handler.cpu") != "60ns" || v.Raw("handler.alloc") != "900" || v.Int("GOMAXPROCS") != 4 {
		t.Errorf("hello: server.cpu=%s handler.cpu=%s handler.alloc=%s", v.Raw("server.cpu"), v.Raw("handler.cpu"), v.Raw("handler.alloc"))
	}
	j, _ := scenario.Parse(split, []string{"handler.kind=json", "handler.cpu=uniform(5us,15us)"})
	if err := sample().Apply(j); err != nil {
		t.Fatal(err)
	}
	if j.Raw("handler.cpu") != "1.66µs" { // 11.2us - (9.6us - 60ns)
		t.Errorf("json: handler.cpu=%s (a two-parameter distribution becomes the constant)", j.Raw("handler.cpu"))
	}
	db, _ := scenario.Parse(split, []string{"handler.kind=db", "handler.cpu=7us"})
	if keys, _ := sample().ApplyKeys(db); db.Raw("handler.cpu") != "7us" || slices.Contains(keys, "handler.cpu") {
		t.Errorf("db: handler.cpu is the db handler's own, not measured: %s %v", db.Raw("handler.cpu"), keys)
	}

	// A scenario that does not split the server's CPU (pool).
	whole, _ := scenario.Parse([]scenario.Param{{Key: "server.request.cpu", Kind: scenario.Dist, Default: "exp(10us)"}}, nil)
	if err := sample().Apply(whole); err != nil || whole.Raw("server.request.cpu") != "exp(9.6µs)" {
		t.Errorf("pool-like: server.request.cpu=%s %v", whole.Raw("server.request.cpu"), err)
	}

	bad, _ := scenario.Parse([]scenario.Param{{Key: "CtxSwitch", Kind: scenario.Duration, Default: "100ns", Min: 1, Max: 100}}, nil)
	if err := sample().Apply(bad); err == nil || !strings.Contains(err.Error(), "CtxSwitch") {
		t.Errorf("out-of-range value must be an error naming the key: %v", err)
	}
	var nilCal *Calibration
	if err := nilCal.Apply(v); err != nil {
		t.Error("a nil calibration applies nothing")
	}
}

func TestContentLength(t *testing.T) {
	for _, c := range []struct {
		h    string
		want int
		ok   bool
	}{
		{"HTTP/1.1 200 OK\r\nContent-Length: 13\r\n", 13, true},
		{"HTTP/1.1 200 OK\r\nDate: x\r\ncontent-length:7\r\n", 7, true},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n", 0, false},
	} {
		n, err := contentLength([]byte(c.h))
		if (err == nil) != c.ok || n != c.want {
			t.Errorf("%q: %d %v", c.h, n, err)
		}
	}
}

func TestDriveCanned(t *testing.T) {
	addr, stop, err := startCanned()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	n, _, err := Drive(context.Background(), addr, "/", 4, 1000, 0)
	if err != nil || n != 1000 {
		t.Fatalf("Drive: %d %v", n, err)
	}
	if _, _, err := Drive(context.Background(), addr, "/", 0, 1, 0); err == nil {
		t.Error("0 conns must be an error")
	}
}

func TestMain(m *testing.M) {
	child.Main() // Measure starts this binary as its server and client children
	os.Exit(m.Run())
}

func TestMeasure(t *testing.T) {
	if testing.Short() {
		t.Skip("runs benchmarks for several seconds")
	}
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	c, err := Measure(context.Background(), MeasureOptions{Requests: 3000, Repeat: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Loose sanity bounds: a loopback request costs microseconds, not
	// nanoseconds or milliseconds, and net/http allocates per request.
	if time.Duration(c.HelloCPU) < time.Microsecond || time.Duration(c.HelloCPU) > time.Millisecond || c.HelloAllocs < 1 {
		t.Errorf("implausible: %+v", c)
	}
	if c.JSONAllocs <= c.HelloAllocs {
		t.Errorf("the JSON handler must allocate more than hello: %v vs %v", c.JSONAllocs, c.HelloAllocs)
	}
}

func TestParseWithSetWins(t *testing.T) {
	defs := []scenario.Param{
		{Key: "server.request.cpu", Kind: scenario.Dist, Default: "exp(10us)"},
		{Key: "GOMAXPROCS", Kind: scenario.Int, Default: "4"},
	}
	v, err := ParseWith(defs, sample(), []string{"GOMAXPROCS=2"})
	if err != nil || v.Raw("server.request.cpu") != "exp(9.6µs)" || v.Int("GOMAXPROCS") != 2 {
		t.Fatalf("calibrated: %v %s", err, v.Raw("server.request.cpu"))
	}
	v, _ = ParseWith(defs, sample(), []string{"server.request.cpu=3us"})
	if v.Raw("server.request.cpu") != "3us" {
		t.Errorf("an explicit -set must win over the file: %s", v.Raw("server.request.cpu"))
	}
	if _, err := ParseWith(defs, nil, []string{"nope=1"}); err == nil {
		t.Error("unknown key")
	}
	if _, err := ParseWith(defs, nil, []string{"noequals"}); err == nil {
		t.Error("missing =")
	}
}

// Every figure a calibration maps must reach a scenario: a key that no
// registered scenario declares would be a measurement silently ignored.
func TestEveryKeyIsDeclared(t *testing.T) {
	for _, k := range Keys {
		var by []string
		for _, s := range scenario.All() {
			if slices.ContainsFunc(s.Params, func(p scenario.Param) bool { return p.Key == k.Key }) {
				by = append(by, s.Name)
			}
		}
		if len(by) == 0 {
			t.Errorf("calibration key %s (%s) is declared by no scenario: the measurement would be ignored", k.Key, k.Figure)
		}
	}
}

// With a calibration, the scheduler's costs of a scenario on model/gmp
// come from the file.
func TestApplySchedulerCosts(t *testing.T) {
	sc := scenario.Lookup("throughput")
	v, err := ParseWith(sc.Params, sample(), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := sample()
	if v.Raw("CtxSwitch") != time.Duration(c.GoSwitch).String() || v.Raw("GoCreate") != time.Duration(c.GoCreate).String() {
		t.Errorf("CtxSwitch=%s GoCreate=%s, want %v and %v", v.Raw("CtxSwitch"), v.Raw("GoCreate"), time.Duration(c.GoSwitch), time.Duration(c.GoCreate))
	}
}
