package scenario

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var testDefs = []Param{
	{Key: "GOMAXPROCS", Kind: Int, Default: "4", Min: 1, Max: 1024},
	{Key: "load.rate", Kind: Float, Default: "1000"},
	{Key: "Server.ReadHeaderTimeout", Kind: Duration, Default: "0s"},
	{Key: "client.drain_body", Kind: Bool, Default: "true"},
	{Key: "handler.kind", Kind: Enum, Default: "hello", Enum: []string{"hello", "json"}},
	{Key: "handler.cpu", Kind: Dist, Default: "exp(10us)"},
	{Key: "page.size", Kind: SizeDist, Default: "10KiB"},
	{Key: "MaxHeaderBytes", Kind: Bytes, Default: "1MiB"},
}

func TestParseDefaultsAndSets(t *testing.T) {
	v, err := Parse(testDefs, []string{"GOMAXPROCS=8", "Server.ReadHeaderTimeout=1.5s", "handler.kind=json", "page.size=exp(4KiB)", "load.rate=1e5"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Int("GOMAXPROCS") != 8 || v.Duration("Server.ReadHeaderTimeout") != 1500*time.Millisecond ||
		v.String("handler.kind") != "json" || !v.Bool("client.drain_body") || v.Float("load.rate") != 1e5 {
		t.Fatalf("values: %+v", v.raw)
	}
	if m := v.Dist("page.size").Mean(); m != 4096 {
		t.Fatalf("page.size mean %v", m)
	}
	if v.Bytes("MaxHeaderBytes") != 1<<20 {
		t.Fatal("bytes")
	}
	b, _ := json.Marshal(v)
	want := `{"GOMAXPROCS":8,"load.rate":100000,"Server.ReadHeaderTimeout":"1.5s","client.drain_body":true,"handler.kind":"json","handler.cpu":"exp(10us)","page.size":"exp(4KiB)","MaxHeaderBytes":1048576}`
	if string(b) != want {
		t.Fatalf("json\n got %s\nwant %s", b, want)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ set, want string }{
		{"nope=1", `unknown key "nope" (valid keys: GOMAXPROCS, load.rate,`},
		{"GOMAXPROCS=x", `bad value "x" for key GOMAXPROCS: want an integer`},
		{"GOMAXPROCS=0", `must be between 1 and 1024`},
		{"Server.ReadHeaderTimeout=5", `want a Go duration such as 250us`},
		{"client.drain_body=maybe", `want true or false`},
		{"handler.kind=db", `want one of hello, json`},
		{"handler.cpu=exp(", `want a duration distribution`},
		{"MaxHeaderBytes=lots", `want a size in bytes`},
		{"noequals", `want KEY=VALUE`},
	}
	for _, c := range cases {
		_, err := Parse(testDefs, []string{c.set})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want it to contain %q", c.set, err, c.want)
		}
	}
}

func TestWithCopies(t *testing.T) {
	v, _ := Parse(testDefs, nil)
	w, err := v.With("GOMAXPROCS", "2")
	if err != nil || w.Int("GOMAXPROCS") != 2 || v.Int("GOMAXPROCS") != 4 {
		t.Fatalf("With must copy: %v %d %d", err, w.Int("GOMAXPROCS"), v.Int("GOMAXPROCS"))
	}
}

func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"GOMAXPROCS=3", "handler.cpu=uniform(1us,2us)", "page.size=5MiB", "load.rate=-1", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = Parse(testDefs, []string{s}) // must not panic
	})
}
