package scenario

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/sim"
	"github.com/gohttpsim/gohttpsim/sim/dist"
)

type testGroup struct {
	Rate    float64 `key:"load.rate" unit:"req/s" min:"0" max:"1e9" range:"10,1000" help:"arrivals per second"`
	Omitted int     `key:"load.omitted" help:"hidden by omit in testOmit"`
}

type testConfig struct {
	Procs   int           `key:"GOMAXPROCS" min:"1" max:"1024" help:"Ps"`
	Timeout time.Duration `key:"Server.ReadHeaderTimeout" max:"1h" help:"header deadline"`
	Kind    string        `key:"handler.kind" enum:"hello,json" help:"handler"`
	CPU     dist.Dist     `key:"handler.cpu" help:"handler CPU"`
	Size    dist.Dist     `key:"page.size" unit:"B" help:"body size"`
	Header  int           `key:"Server.MaxHeaderBytes" unit:"B" min:"1" max:"1GiB" help:"header limit"`
	BW      float64       `key:"net.bandwidth" unit:"B/s" help:"link"`
	Drain   bool          `key:"client.drain_body" help:"drain"`
	Load    testGroup
	Run
	notAParam int
}

func defaultTestConfig() testConfig {
	return testConfig{Procs: 4, Kind: "hello", CPU: dist.Exp{M: 10e3}, Size: dist.Const{V: 10 << 10},
		Header: 1 << 20, BW: 1.25e6, Drain: true, Load: testGroup{Rate: 100, Omitted: 7}, Run: Run{Duration: time.Second}}
}

type testModel struct{ end sim.Time }

func (m testModel) End() sim.Time     { return m.end }
func (m testModel) Metrics() []Metric { return nil }

// The parameter list follows from the struct: keys in field order, kinds
// from the Go types and units, defaults from the defaults function.
func TestNewDerivesParams(t *testing.T) {
	var got *testConfig
	s := New("test", "a test", defaultTestConfig, func(e *sim.Engine, c *testConfig, _ *Env) (Model, error) {
		got = c
		return testModel{sim.Time(c.Duration)}, nil
	})
	var b strings.Builder
	for _, p := range s.Params {
		b.WriteString(p.Key + " " + string(p.Kind) + " " + p.Default + " " + p.Unit + "\n")
	}
	want := `GOMAXPROCS int 4 
Server.ReadHeaderTimeout duration 0s 
handler.kind enum hello 
handler.cpu dist exp(10µs) 
page.size sizedist 10KiB B
Server.MaxHeaderBytes bytes 1MiB B
net.bandwidth bytes 1.25MB B/s
client.drain_body bool true 
load.rate float 100 req/s
load.omitted int 7 
duration duration 1s 
`
	if b.String() != want {
		t.Fatalf("params:\n%s\nwant:\n%s", b.String(), want)
	}
	if p := s.Params[8]; p.RangeLo != 10 || p.RangeHi != 1000 || p.Max != 1e9 {
		t.Errorf("load.rate bounds %+v", p)
	}
	v, err := Parse(s.Params, []string{"GOMAXPROCS=8", "handler.cpu=250us", "page.size=exp(4KiB)", "Server.MaxHeaderBytes=64KiB",
		"net.bandwidth=10MB", "load.rate=1e5", "duration=2s", "client.drain_body=false"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Build(sim.NewEngine(1), v, &Env{}); err != nil {
		t.Fatal(err)
	}
	if got.Procs != 8 || got.CPU.Mean() != 250e3 || got.Size.Mean() != 4096 || got.Header != 64<<10 || got.BW != 1e7 ||
		got.Load.Rate != 1e5 || got.Duration != 2*time.Second || got.Drain || got.Kind != "hello" || got.Load.Omitted != 7 {
		t.Errorf("config %+v", got)
	}
	c, err := ConfigOf[testConfig](s, v)
	if err != nil || c.Procs != 8 {
		t.Errorf("ConfigOf: %v %+v", err, c)
	}
}

type testOmit struct {
	Load testGroup `omit:"load.omitted"`
	Only testGroup `only:"load.omitted"`
	Run
}

func TestOmitAndOnly(t *testing.T) {
	var got *testOmit
	s := New("omit", "", func() testOmit {
		return testOmit{Load: testGroup{Rate: 1, Omitted: 9}, Only: testGroup{Rate: 3, Omitted: 4}, Run: Run{Duration: 1}}
	}, func(e *sim.Engine, c *testOmit, _ *Env) (Model, error) { got = c; return testModel{}, nil })
	var keys []string
	for _, p := range s.Params {
		keys = append(keys, p.Key)
	}
	if strings.Join(keys, ",") != "load.rate,load.omitted,duration" {
		t.Fatalf("keys %v", keys)
	}
	v, _ := Parse(s.Params, []string{"load.rate=5", "load.omitted=6"})
	if _, err := s.Build(sim.NewEngine(1), v, nil); err != nil {
		t.Fatal(err)
	}
	if got.Load.Rate != 5 || got.Load.Omitted != 9 || got.Only.Rate != 3 || got.Only.Omitted != 6 {
		t.Fatalf("left-out fields must keep their defaults: %+v", got)
	}
}

// A malformed declaration is found at registration, not at run time.
func TestNewRejectsBadDeclarations(t *testing.T) {
	type noHelp struct {
		X int `key:"x"`
	}
	type badType struct {
		X []int `key:"x" help:"x"`
	}
	type twice struct {
		A int `key:"x" help:"x"`
		B int `key:"x" help:"x"`
	}
	type outOfBounds struct {
		A int `key:"x" min:"1" max:"2" help:"x"`
	}
	for name, f := range map[string]func(){
		"no help":               func() { New("t", "", func() noHelp { return noHelp{} }, nil) },
		"bad type":              func() { New("t", "", func() badType { return badType{} }, nil) },
		"declared twice":        func() { New("t", "", func() twice { return twice{} }, nil) },
		"default out of bounds": func() { New("t", "", func() outOfBounds { return outOfBounds{} }, nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// Parameter errors are typed: callers tell them apart with errors.Is.
func TestParamErrorsAreTyped(t *testing.T) {
	for _, c := range []struct {
		set  string
		want error
	}{{"nope=1", ErrUnknownKey}, {"GOMAXPROCS=x", ErrBadValue}, {"GOMAXPROCS=0", ErrBadValue}, {"noequals", ErrSyntax}} {
		_, err := Parse(testDefs, []string{c.set})
		if !errors.Is(err, c.want) || !errors.Is(err, ErrUsage) {
			t.Errorf("%s: %v is not %v and ErrUsage", c.set, err, c.want)
		}
		var pe *ParamError
		if !errors.As(err, &pe) {
			t.Errorf("%s: not a *ParamError", c.set)
		}
	}
	if err := Usage(errors.New("x")); !errors.Is(err, ErrUsage) || err.Error() != "x" {
		t.Errorf("Usage: %v", err)
	}
	if errors.Is(errors.New("x"), ErrUsage) {
		t.Error("a plain error is not a usage error")
	}
}

// A bad value names the key, what it expects and the unit.
func TestBadValueNamesUnit(t *testing.T) {
	s := New("test", "", defaultTestConfig, nil)
	_, err := Parse(s.Params, []string{"load.rate=fast"})
	if err == nil || !strings.Contains(err.Error(), "load.rate") || !strings.Contains(err.Error(), "req/s") {
		t.Errorf("got %v", err)
	}
}
