package mux

// The legacy matcher against the real ServeMux under
// GODEBUG=httpmuxgo121=1. net/http reads that setting once at process
// start, so the test re-executes its own binary with the variable set
// and runs the comparison there.

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
)

const legacyChildEnv = "GOHTTPSIM_MUX_LEGACY_CHILD"

func TestLegacyAgainstServeMux(t *testing.T) {
	if os.Getenv(legacyChildEnv) == "1" {
		legacyChild(t)
		return
	}
	if testing.Short() {
		t.Skip("subprocess")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLegacyAgainstServeMux$", "-test.v")
	cmd.Env = append(os.Environ(), "GODEBUG=httpmuxgo121=1", legacyChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("legacy child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "legacy requests compared") {
		t.Fatalf("legacy child did not run:\n%s", out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "legacy requests compared") {
			t.Log(strings.TrimSpace(l))
		}
	}
}

func legacyChild(t *testing.T) {
	// Check that the real mux really is the 1.21 one: "/{x}" is literal.
	real := http.NewServeMux()
	real.HandleFunc("/{x}", func(http.ResponseWriter, *http.Request) {})
	if _, p := real.Handler(httptest.NewRequest("GET", "/a", nil)); p != "" {
		t.Fatalf("GODEBUG=httpmuxgo121=1 not in effect: /a matched %q", p)
	}
	n := 0
	for _, tc := range append(diffCases, legacyCases...) {
		n += compare(t, true, tc.pats, tc.reqs)
	}
	r := rand.New(rand.NewPCG(3, 121))
	for i := 0; i < 1000 && !t.Failed(); i++ {
		pats, reqs := genCase(r)
		// Old-style patterns too: hosts written before the path, subtrees.
		for j := range pats {
			if r.IntN(3) == 0 {
				pats[j] = strings.TrimPrefix(strings.TrimPrefix(pats[j], "GET "), "POST ")
			}
		}
		n += compare(t, true, pats, reqs)
	}
	t.Logf("%d legacy requests compared", n)
}

var legacyCases = []struct {
	name string
	pats []string
	reqs []req
}{
	{"longest-prefix", pats("/", "/a/", "/a/b/", "/a/b/c", "example.com/a/"),
		rq("GET /a/b/c", "GET /a/b/d", "GET /a/x", "GET http://other/a/x", "GET /a", "GET /a/b", "GET /zz", "GET /a/b/c/")},
	{"literal-syntax", pats("GET /x", "/{id}", "/p/{rest...}"),
		rq("GET /x", "GET /{id}", "GET /%7Bid%7D", "GET /7", "GET /p/{rest...}")},
	{"clean-and-connect", pats("/a/", "/b"),
		rq("GET /a/../b", "GET /a//x?q=1", "CONNECT /a", "CONNECT /a/../b", "GET /a%2Fb", "POST /b/")},
}
