package mux

// Differential tests: the model against the real net/http.ServeMux of
// this Go. The real side registers each pattern with a handler that
// records r.PathValue for the pattern's wildcard names, routes with
// httptest.NewRequest + ServeHTTP into a recorder (status, Location,
// Allow, values) and with ServeMux.Handler (pattern).

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// outcome is what both sides are compared on.
type outcome struct {
	Status   int
	Pattern  string
	Values   []PathValue
	Location string
	Allow    string
}

func (o outcome) String() string {
	return fmt.Sprintf("%d pattern=%q values=%v location=%q allow=%q", o.Status, o.Pattern, o.Values, o.Location, o.Allow)
}

var wildRE = regexp.MustCompile(`\{([^{}]*?)(\.\.\.)?\}`)

// realNames extracts wildcard names from a valid pattern independently of
// our parser.
func realNames(p string) []string {
	var names []string
	for _, m := range wildRE.FindAllStringSubmatch(p, -1) {
		if m[1] != "$" {
			names = append(names, m[1])
		}
	}
	return names
}

type realMux struct {
	mux    *http.ServeMux
	vals   []PathValue
	legacy bool // GODEBUG=httpmuxgo121=1: no path values
}

// register returns "" or what Handle panicked with.
func (rm *realMux) register(p string) (msg string) {
	defer func() {
		if e := recover(); e != nil {
			msg = fmt.Sprint(e)
		}
	}()
	names := realNames(p)
	rm.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
		rm.vals = nil
		for _, n := range names {
			rm.vals = append(rm.vals, PathValue{n, pathValue(r, n)})
		}
	})
	return ""
}

// pathValue is r.PathValue(name), or "<panic>" when net/http panics
// (see TestPathValuePanic).
func pathValue(r *http.Request, name string) (v string) {
	defer func() {
		if recover() != nil {
			v = "<panic>"
		}
	}()
	return r.PathValue(name)
}

// newRequest is httptest.NewRequest, reporting its panics as ok=false.
func newRequest(method, target string) (r *http.Request, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return httptest.NewRequest(method, target, nil), true
}

func (rm *realMux) route(method, target string) (outcome, bool) {
	req, ok := newRequest(method, target)
	if !ok {
		return outcome{}, false
	}
	_, pat := rm.mux.Handler(req)
	rec := httptest.NewRecorder()
	rm.vals = nil
	rm.mux.ServeHTTP(rec, req)
	o := outcome{Status: rec.Code, Pattern: pat, Location: rec.Header().Get("Location"), Allow: rec.Header().Get("Allow")}
	if o.Status == 200 && !rm.legacy {
		o.Values = rm.vals
	}
	return o, true
}

func modelOutcome(m *Mux, method, target string) (outcome, error) {
	res, err := m.Match(method, target)
	if err != nil {
		return outcome{}, err
	}
	vals := res.Values
	for _, name := range res.Missing {
		vals = append(vals, PathValue{name, "<panic>"})
	}
	return outcome{res.Status, res.Pattern, vals, res.Location, res.Allow}, nil
}

var locRE = regexp.MustCompile(`\(registered at [^)]*\)`)

func normLoc(s string) string { return locRE.ReplaceAllString(s, "(registered at L)") }

var conflictRE = regexp.MustCompile(`(?s)^pattern ("(?:[^"\\]|\\.)*") \(registered at L\) conflicts with pattern ("(?:[^"\\]|\\.)*")`)

// sameRegistration compares a real registration panic with the model's
// error. net/http checks all-wildcard patterns against its index in map
// order, so when several registered patterns conflict it may name any
// of them: then the model's message for the pattern Go named must be
// the real one.
func sameRegistration(m *Mux, p, real string, got error) bool {
	model := ""
	if got != nil {
		model = normLoc(got.Error())
	}
	real = normLoc(real)
	if real == model {
		return true
	}
	if real == "" || model == "" {
		return false
	}
	mm := conflictRE.FindStringSubmatch(real)
	if mm == nil {
		return false
	}
	var q string
	if _, err := fmt.Sscanf(mm[2], "%q", &q); err != nil {
		return false
	}
	p1, err1 := ParsePattern(p)
	p2, err2 := ParsePattern(q)
	if err1 != nil || err2 != nil || !p1.ConflictsWith(p2) {
		return false
	}
	want := fmt.Sprintf("pattern %q (registered at L) conflicts with pattern %q (registered at L):\n%s", p, q, describeConflict(p1, p2))
	return want == real
}

type req struct{ method, target string }

// compare registers pats on both sides and routes reqs, reporting
// every disagreement. It returns the number of requests compared.
func compare(t testing.TB, legacy bool, pats []string, reqs []req) int {
	t.Helper()
	rm := &realMux{mux: http.NewServeMux(), legacy: legacy}
	m := New()
	if legacy {
		m = NewLegacy()
	}
	for _, p := range pats {
		real := rm.register(p)
		got := m.Handle(p)
		if !sameRegistration(m, p, real, got) {
			t.Errorf("register %q:\nreal:  %q\nmodel: %v", p, real, got)
		}
	}
	n := 0
	for _, r := range reqs {
		want, ok := rm.route(r.method, r.target)
		got, err := modelOutcome(m, r.method, r.target)
		if !ok {
			continue // httptest.NewRequest refuses it; the model may or may not
		}
		if err != nil {
			t.Errorf("patterns %q\n%s %s: model refuses the request (%v); real: %v", pats, r.method, r.target, err, want)
			continue
		}
		n++
		if !got.equal(want) {
			res, _ := m.Match(r.method, r.target)
			t.Errorf("patterns %q\n%s %s:\nreal:  %v\nmodel: %v\nexplain:\n  %s", pats, r.method, r.target, want, got, strings.Join(res.Explain, "\n  "))
		}
	}
	return n
}

// equal compares outcomes, nil and empty Values being the same.
func (o outcome) equal(p outcome) bool {
	if len(o.Values) == 0 && len(p.Values) == 0 {
		o.Values, p.Values = nil, nil
	}
	return reflect.DeepEqual(o, p)
}

// The table: each case is a pattern set and requests; the expected
// results come from the real mux.
func TestAgainstServeMux(t *testing.T) {
	for _, tc := range diffCases {
		t.Run(tc.name, func(t *testing.T) {
			compare(t, false, tc.pats, tc.reqs)
		})
	}
}

func pats(ps ...string) []string { return ps }

// rq builds requests from "METHOD TARGET" strings.
func rq(lines ...string) []req {
	var out []req
	for _, l := range lines {
		m, t, _ := strings.Cut(l, " ")
		out = append(out, req{m, t})
	}
	return out
}

var diffCases = []struct {
	name string
	pats []string
	reqs []req
}{
	{"literal-wildcard", pats("/a/b/z", "/a/{x}/c", "/a/{x}/{y}"),
		rq("GET /a/b/c", "GET /a/b/z", "GET /a/q/r", "GET /a/b", "GET /a/b/c/d")},
	{"methods", pats("GET /items/{id}", "POST /items/{id}", "DELETE /items/{id}", "/other"),
		rq("GET /items/1", "HEAD /items/1", "PUT /items/1", "POST /items/1", "PATCH /other", "OPTIONS /items/")},
	{"head-explicit", pats("GET /x", "HEAD /x"), rq("HEAD /x", "GET /x", "POST /x")},
	{"multi", pats("/files/{path...}", "/files/special", "GET /static/", "/{$}"),
		rq("GET /files/a/b%2Fc/d", "GET /files/", "GET /files", "GET /files/special", "GET /static", "POST /static/x", "GET /", "GET /nothing")},
	{"dollar", pats("/a/{$}", "/a/{x}"), rq("GET /a/", "GET /a", "GET /a/b", "GET /a/b/")},
	{"hosts", pats("example.com/", "other.org/a", "/a", "/b/"),
		rq("GET /a", "GET http://other.org/a", "GET http://other.org:8080/a", "GET http://x.org/b", "GET /b", "GET http://example.com/zzz")},
	{"clean", pats("/a/", "/b"),
		rq("GET /a/../b", "GET /a//x", "GET /./a/x?q=1", "GET /x/..", "GET /a/%2e%2e/b", "GET /b/", "CONNECT /a/../b")},
	{"subtree-redirect", pats("/tree/", "/t2/{x...}", "/t3/{$}", "GET /onlyget/"),
		rq("GET /tree?x=y", "GET /t2", "GET /t3", "POST /onlyget", "GET /onlyget", "CONNECT /tree")},
	{"escapes", pats("/a%2fb/", "/%61/{x}", "/c/{x}"),
		rq("GET /a%2Fb/c", "GET /a/b/c", "GET /a/q", "GET /c/%2F", "GET /c/%zz", "GET /c/caf%C3%A9", "GET /caf\u00e9/")},
	{"star", pats("/"), rq("OPTIONS *", "GET /")},
	{"connect", pats("CONNECT example.com/", "/x/"), rq("CONNECT example.com:443", "CONNECT /x", "CONNECT /x/../y")},
	{"conflicts", pats("/a/{x}", "/{y}/b", "/a/{z}", "GET /", "/index.html", "POST /{x}/", "GET /a/{x...}", "GET /a/b/{$}"),
		rq("GET /a/b", "GET /index.html")},
	{"invalid", pats("", "GET", "/{", "/a{x}", "/{x}/{x}", "/{x...}/a", "/{$}/a", "/{}", "/{1x}", "GET /a/../b", "ge\x01t /", "host{x}/", "/{a...", "GET  \t/ok"),
		rq("GET /ok")},
	{"quirk-empty-literal", pats("/a//b", "/a/{x}/b", "/p//", "/p/{x}/"),
		rq("GET /a/x/b", "GET /p/q/r", "CONNECT /a//b")},
	{"quirk-escaped-slash", pats("/a/%2F", "/b/{x}/{y}"), rq("GET /a/", "GET /a/%2F", "GET /b/%2F/c")},
	{"values-order", pats("/{a}/x/{b}/{c...}"), rq("GET /1/x/2/3/4", "GET /%31/x/%2F/3%2F4")},
}
