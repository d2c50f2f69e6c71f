package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/gohttpsim/gohttpsim/model/mux"
)

// patternList is the repeatable -p flag.
type patternList []string

func (p *patternList) String() string     { return strings.Join(*p, ", ") }
func (p *patternList) Set(s string) error { *p = append(*p, s); return nil }

func init() {
	register(&command{
		name:    "route",
		summary: "route requests through a model of net/http.ServeMux and explain the match",
		usage:   "gohttpsim route [-json] [-legacy] -p PATTERN ... [-f FILE] METHOD URL ...",
		run:     runRoute,
	})
}

// routeJSON is one line of `route -json`.
type routeJSON struct {
	Method   string            `json:"method"`
	URL      string            `json:"url"`
	Status   int               `json:"status"`
	Pattern  string            `json:"pattern"`
	Values   map[string]string `json:"values"`
	Location string            `json:"location"`
	Allow    string            `json:"allow"`
	Explain  []string          `json:"explain"`
}

func runRoute(args []string, stdout, stderr io.Writer) error {
	c := commands["route"]
	fs := flags(c, stderr)
	var pats patternList
	fs.Var(&pats, "p", "a pattern to register (repeatable; registered in order, before those of -f)")
	file := fs.String("f", "", "a file of patterns, one a line; blank lines and # comments are ignored")
	asJSON := fs.Bool("json", false, "print one JSON object per request")
	legacy := fs.Bool("legacy", false, "use the pre-1.22 matcher (GODEBUG=httpmuxgo121=1)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	reqs := fs.Args()
	if len(reqs) == 0 {
		return usagef("no requests: give METHOD URL pairs")
	}
	if len(reqs)%2 != 0 {
		return usagef("requests come in METHOD URL pairs; got %d arguments", len(reqs))
	}

	m := mux.New()
	if *legacy {
		m = mux.NewLegacy()
	}
	fail := func(reason string) error {
		return &exitError{code: 2, msg: "gohttpsim route: " + reason}
	}
	for i, p := range pats {
		if err := m.HandleAt(p, "-p #"+strconv.Itoa(i+1)); err != nil {
			return fail(err.Error())
		}
	}
	if *file != "" {
		f, err := os.Open(*file)
		if err != nil {
			return fail(err.Error())
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			p := strings.TrimSpace(sc.Text())
			if p == "" || strings.HasPrefix(p, "#") {
				continue
			}
			if err := m.HandleAt(p, *file+":"+strconv.Itoa(line)); err != nil {
				return fail(err.Error())
			}
		}
		if err := sc.Err(); err != nil {
			return fail(err.Error())
		}
	}

	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for i := 0; i < len(reqs); i += 2 {
		method, target := reqs[i], reqs[i+1]
		res, err := m.Match(method, target)
		if err != nil {
			return fail(fmt.Sprintf("bad request %s %s: %v", method, target, err))
		}
		if *asJSON {
			out := routeJSON{Method: method, URL: target, Status: res.Status, Pattern: res.Pattern,
				Values: map[string]string{}, Location: res.Location, Allow: res.Allow, Explain: res.Explain}
			for _, v := range res.Values {
				out.Values[v.Name] = v.Value
			}
			if out.Explain == nil {
				out.Explain = []string{}
			}
			if err := enc.Encode(out); err != nil {
				return err
			}
			continue
		}
		printRoute(stdout, method, target, res)
	}
	return nil
}

func printRoute(w io.Writer, method, target string, res mux.Result) {
	fmt.Fprintf(w, "%s %s\n", method, target)
	fmt.Fprintf(w, "  status:   %d\n", res.Status)
	fmt.Fprintf(w, "  pattern:  %s\n", orDash(res.Pattern))
	var vals []string
	for _, v := range res.Values {
		vals = append(vals, v.Name+"="+strconv.Quote(v.Value))
	}
	fmt.Fprintf(w, "  values:   %s\n", orDash(strings.Join(vals, " ")))
	if res.Location != "" {
		fmt.Fprintf(w, "  location: %s\n", res.Location)
	}
	if res.Allow != "" {
		fmt.Fprintf(w, "  allow:    %s\n", res.Allow)
	}
	fmt.Fprintf(w, "  explain:\n")
	for _, l := range res.Explain {
		fmt.Fprintf(w, "    %s\n", l)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
