package validate

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
	"github.com/gohttpsim/gohttpsim/model/mux"
)

// The ServeMux case routes a random corpus (patterns and requests drawn
// from a small vocabulary so that they collide often: wildcards, {x...},
// {$}, trailing slashes, hosts, methods, GET-matches-HEAD, 405s, cleaned
// paths and subtree redirects) through the real net/http.ServeMux of this
// Go and through model/mux, and compares the outcome of every request:
// status, matched pattern, path values and Location. The real mux is the oracle, so its
// agreement is 1 by definition; the fractions of requests routed (200),
// refused with 405 and redirected are compared too, so a model that agrees
// with itself but not with Go shows up on both sides.

// MuxCorpusSize is the number of requests per corpus.
const MuxCorpusSize = 2000

// MuxRequest is one request of a corpus.
type MuxRequest struct {
	Method, Host, Path string
}

// Target is the request target given to httptest.NewRequest: an absolute
// URL, whose host becomes r.Host.
func (r MuxRequest) Target() string { return "http://" + r.Host + r.Path }

// MuxOutcome is what a mux did with a request.
type MuxOutcome struct {
	Status   int
	Pattern  string // the matched pattern when Status is 200
	Values   string // its path values, "name=value" joined by "&"
	Location string // for redirects
}

func (o MuxOutcome) String() string {
	switch {
	case o.Status == 200:
		return "200 " + o.Pattern + " " + o.Values
	case o.Location != "":
		return strconv.Itoa(o.Status) + " -> " + o.Location
	}
	return strconv.Itoa(o.Status)
}

// MuxCorpus returns the random corpus number i: candidate patterns (some
// conflict and are rejected at registration, as ServeMux.Handle panics)
// and requests.
func MuxCorpus(i int) (patterns []string, reqs []MuxRequest) {
	r := rand.New(rand.NewPCG(0x6d7578, uint64(i)))
	segs := []string{"a", "b", "api", "v1", "users"}
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	for range 40 {
		var b strings.Builder
		switch r.IntN(8) {
		case 0, 1, 2:
			b.WriteString("GET ")
		case 3, 4, 5:
			b.WriteString("POST ")
		}
		if r.IntN(6) == 0 {
			b.WriteString("example.com")
		}
		n := 1 + r.IntN(3)
		for k := 0; k < n; k++ {
			b.WriteString("/")
			if r.IntN(4) == 0 {
				b.WriteString("{w" + strconv.Itoa(k) + "}")
			} else {
				b.WriteString(pick(segs))
			}
		}
		switch r.IntN(5) {
		case 0:
			b.WriteString("/{rest...}")
		case 1:
			b.WriteString("/")
		case 2:
			b.WriteString("/{$}")
		default:
			if n == 0 {
				b.WriteString("/")
			}
		}
		patterns = append(patterns, b.String())
	}
	odd := []string{"x", "", "..", ".", "a%2Fb"}
	for range MuxCorpusSize {
		var p strings.Builder
		n := r.IntN(5)
		for k := 0; k < n; k++ {
			if r.IntN(10) == 0 {
				p.WriteString("/" + pick(odd))
			} else {
				p.WriteString("/" + pick(segs))
			}
		}
		if n == 0 || r.IntN(4) == 0 {
			p.WriteString("/")
		}
		reqs = append(reqs, MuxRequest{
			Method: pick([]string{"GET", "GET", "HEAD", "POST", "PUT"}),
			Host:   pick([]string{"example.com", "other.org"}),
			Path:   p.String(),
		})
	}
	return patterns, reqs
}

// RealMux routes reqs through a real http.ServeMux with the patterns that
// register without a conflict, returning the registered patterns and one
// outcome per request.
func RealMux(patterns []string, reqs []MuxRequest) (registered []string, out []MuxOutcome) {
	mux := http.NewServeMux()
	for _, p := range patterns {
		if registerNoPanic(mux, p) {
			registered = append(registered, p)
		}
	}
	for _, rq := range reqs {
		req := httptest.NewRequest(rq.Method, rq.Target(), nil)
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		o := MuxOutcome{Status: rec.Code, Location: rec.Header().Get("Location")}
		if o.Status == 200 {
			o.Pattern, o.Values, _ = strings.Cut(rec.Body.String(), "\n")
		}
		out = append(out, o)
	}
	return registered, out
}

func registerNoPanic(mux *http.ServeMux, pattern string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	names := wildcardNames(pattern)
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		var vals []string
		for _, n := range names {
			vals = append(vals, n+"="+r.PathValue(n))
		}
		io.WriteString(w, pattern+"\n"+strings.Join(vals, "&"))
	})
	return true
}

// wildcardNames returns the names of a pattern's wildcards in order
// ({x} and {x...}; {$} is not one).
func wildcardNames(pattern string) []string {
	var out []string
	for {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(pattern[i:], '}')
		if j < 0 {
			return out
		}
		if n := strings.TrimSuffix(pattern[i+1:i+j], "..."); n != "$" {
			out = append(out, n)
		}
		pattern = pattern[i+j+1:]
	}
}

func muxCases() []*Case {
	return []*Case{{
		Name:    "mux/random-corpus",
		Doc:     fmt.Sprintf("net/http.ServeMux vs model/mux on random corpora of 40 patterns and %d requests: same status, pattern, path values, Location", MuxCorpusSize),
		Metrics: []string{"agreement", "registered", "routed", "status_404", "status_405", "redirected"},
		Paired:  true,
		Real: func(ctx context.Context, run int) ([]float64, string, error) {
			pats, reqs := MuxCorpus(run)
			reg, out := RealMux(pats, reqs)
			return append([]float64{1, float64(len(reg))}, muxFractions(out)...), fmt.Sprintf("corpus %d: %d of %d patterns registered", run, len(reg), len(pats)), nil
		},
		Sim: func(ctx context.Context, rep int, cal *calibrate.Calibration) ([]float64, string, error) {
			return muxSim(rep)
		},
	}}
}

func muxFractions(out []MuxOutcome) []float64 {
	var routed, s404, s405, redir float64
	for _, o := range out {
		switch {
		case o.Status == 200:
			routed++
		case o.Status == 404:
			s404++
		case o.Status == 405:
			s405++
		case o.Location != "":
			redir++
		}
	}
	n := float64(len(out))
	return []float64{routed / n, s404 / n, s405 / n, redir / n}
}

// muxSim routes corpus rep (the same corpora as the real runs) through
// model/mux: every candidate pattern is offered to both muxes in the same
// order (conflicts must be rejected alike), then every request is routed;
// agreement is the fraction of requests with the same status, pattern,
// path values and Location as the real ServeMux.
func muxSim(rep int) ([]float64, string, error) {
	pats, reqs := MuxCorpus(rep)
	realReg, realOut := RealMux(pats, reqs)
	m := mux.New()
	var reg []string
	for _, p := range pats {
		if m.Handle(p) == nil {
			reg = append(reg, p)
		}
	}
	out := make([]MuxOutcome, len(reqs))
	same := 0
	var firstDiff string
	for i, rq := range reqs {
		res, err := m.Match(rq.Method, rq.Target())
		if err != nil {
			return nil, "", fmt.Errorf("model/mux: %s %s: %v", rq.Method, rq.Target(), err)
		}
		out[i] = MuxOutcome{Status: res.Status, Location: res.Location}
		if res.Status == 200 {
			out[i].Pattern = res.Pattern
			var vals []string
			for _, v := range res.Values {
				vals = append(vals, v.Name+"="+v.Value)
			}
			out[i].Values = strings.Join(vals, "&")
		}
		if out[i] == realOut[i] {
			same++
		} else if firstDiff == "" {
			firstDiff = fmt.Sprintf("; first difference: %s %s: real %v, model %v", rq.Method, rq.Target(), realOut[i], out[i])
		}
	}
	detail := fmt.Sprintf("corpus 0: %d of %d patterns registered%s", len(reg), len(pats), firstDiff)
	if !slices.Equal(reg, realReg) {
		detail += fmt.Sprintf("; registered sets differ (real %d, model %d)", len(realReg), len(reg))
	}
	return append([]float64{float64(same) / float64(len(reqs)), float64(len(reg))}, muxFractions(out)...), detail, nil
}
