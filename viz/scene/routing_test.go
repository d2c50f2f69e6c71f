package scene

import (
	"fmt"
	"strings"
	"testing"
)

// Each default request routes as net/http's ServeMux would (model/mux is
// differentially tested against it); the walk is revealed over ticks.
func TestRoutingDefaultRequests(t *testing.T) {
	want := map[string]string{
		"GET /users/42":                       "200 GET /users/{id}",
		"GET /users/new":                      "200 GET /users/new",
		"HEAD /users/7":                       "200 GET /users/{id}",
		"DELETE /users/42":                    "405",
		"POST /users/x":                       "200 POST /users/",
		"GET /files/a/b.txt":                  "200 GET /files/{path...}",
		"GET /":                               "200 GET /{$}",
		"GET /tree":                           "307",
		"GET /static/../users/9":              "307",
		"GET /nothing":                        "404",
		"GET http://api.example.org/anything": "200 api.example.org/",
	}
	a := NewApp()
	if err := a.Select("routing"); err != nil {
		t.Fatal(err)
	}
	for _, q := range DefaultRequests {
		if err := a.Action("route", q); err != nil {
			t.Fatal(err)
		}
		if a.State()["view"].(map[string]any)["done"] == true {
			t.Errorf("%s: done before any tick", q)
		}
		a.Step(400) // 2 µs of simulated time: every walk has ended
		v := a.State()["view"].(map[string]any)
		got := strings.TrimSpace(fmt.Sprint(v["status"], " ", v["pattern"]))
		w := want[q]
		if !strings.HasPrefix(got, w) || (strings.HasPrefix(w, "200") && got != w) {
			t.Errorf("%s: got %q, want %q", q, got, w)
		}
		if v["done"] != true {
			t.Errorf("%s: walk not done after 400 ticks", q)
		}
	}
}

// The tree is drawn depth first: every node follows its parent.
func TestRoutingTreeOrder(t *testing.T) {
	r := newRouting()
	if err := r.Build(1, nil); err != nil {
		t.Fatal(err)
	}
	seen := map[int32]bool{}
	for _, n := range r.tree {
		if n.Parent >= 0 && !seen[int32(n.Parent)] {
			t.Fatalf("node %d (%s) drawn before its parent %d", n.ID, n.Label, n.Parent)
		}
		seen[int32(n.ID)] = true
	}
	var l List
	r.Draw(&l, 1280, 600)
	if got := strings.Join(l.Texts(), "\n"); !strings.Contains(got, "host api.example.org") {
		t.Errorf("tree drawing lacks the host node:\n%s", got)
	}
}
