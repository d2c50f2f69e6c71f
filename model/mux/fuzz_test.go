package mux

// Random and fuzzed differential tests, and a no-panic fuzz of the
// parser. The fuzz corpus lives in testdata/fuzz/FuzzAgainstServeMux:
// keep every input the fuzzer finds there.

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// genCase draws a pattern set and requests from a small vocabulary, so
// that patterns collide (conflicts, precedence) and requests hit them.
func genCase(r *rand.Rand) (pats []string, reqs []req) {
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	for range 2 + r.IntN(10) {
		var b strings.Builder
		b.WriteString(pick("", "", "", "GET ", "POST ", "HEAD ", "CONNECT ", "PUT "))
		b.WriteString(pick("", "", "", "", "example.com", "h.org"))
		n := r.IntN(4)
		for k := range n {
			b.WriteString("/")
			b.WriteString(pick("a", "a", "b", "c", "{x}", "{y"+itoa(k)+"}", "%61", "a%2Fb"))
		}
		switch r.IntN(6) {
		case 0:
			b.WriteString("/{rest...}")
		case 1, 2:
			b.WriteString("/")
		case 3:
			b.WriteString("/{$}")
		default:
			if n == 0 {
				b.WriteString("/")
			}
		}
		pats = append(pats, b.String())
	}
	for range 20 {
		var b strings.Builder
		if r.IntN(8) == 0 {
			b.WriteString(pick("http://example.com", "http://h.org", "http://h.org:8080", "http://other"))
		}
		n := r.IntN(4)
		for range n {
			b.WriteString("/" + pick("a", "a", "b", "c", "x", "%2F", "%61", ".", "..", "", "caf%C3%A9"))
		}
		if n == 0 || r.IntN(3) == 0 {
			b.WriteString("/")
		}
		if r.IntN(10) == 0 {
			b.WriteString("?q=1")
		}
		target := b.String()
		if strings.HasPrefix(target, "http") && r.IntN(2) == 0 {
			target = strings.TrimPrefix(target, "http://") // CONNECT authority
		}
		reqs = append(reqs, req{pick("GET", "GET", "HEAD", "POST", "PUT", "CONNECT", "OPTIONS"), target})
	}
	return pats, reqs
}

// TestRandomAgainstServeMux compares fixed-seed random corpora.
func TestRandomAgainstServeMux(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 22))
	n := 0
	for i := 0; i < 1500 && !t.Failed(); i++ {
		pats, reqs := genCase(r)
		n += compare(t, false, pats, reqs)
	}
	t.Logf("%d requests compared", n)
}

// encode joins a case as fuzz input: patterns one a line; requests
// "METHOD TARGET" one a line.
func encode(pats []string, reqs []req) (string, string) {
	var rs []string
	for _, q := range reqs {
		rs = append(rs, q.method+" "+q.target)
	}
	return strings.Join(pats, "\n"), strings.Join(rs, "\n")
}

func decode(ps, rs string) (pats []string, reqs []req) {
	pats = strings.Split(ps, "\n")
	if len(pats) > 16 {
		pats = pats[:16]
	}
	for i, l := range strings.Split(rs, "\n") {
		if i == 16 {
			break
		}
		m, t, _ := strings.Cut(l, " ")
		reqs = append(reqs, req{m, t})
	}
	return pats, reqs
}

func FuzzAgainstServeMux(f *testing.F) {
	for _, tc := range diffCases {
		a, b := encode(tc.pats, tc.reqs)
		f.Add(a, b)
	}
	r := rand.New(rand.NewPCG(7, 7))
	for range 20 {
		a, b := encode(genCase(r))
		f.Add(a, b)
	}
	f.Fuzz(func(t *testing.T, ps, rs string) {
		pats, reqs := decode(ps, rs)
		compare(t, false, pats, reqs)
	})
}

// FuzzParsePattern: arbitrary strings never panic the parser, the
// registration or a match, and the parser agrees with net/http on
// acceptance (through registration in an empty mux).
func FuzzParsePattern(f *testing.F) {
	for _, s := range []string{"/", "GET /a/{x}/{y...}", "h/{$}", "/{", " /", "\t/x", "/%zz/{a}", "CONNECT /a/../b", "/a//b/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePattern(s)
		if err == nil {
			_ = p.String() + strings.Join(p.Wildcards(), ",")
		}
		compare(t, false, []string{s}, []req{{"GET", "/a/b"}, {"POST", "/"}})
	})
}
