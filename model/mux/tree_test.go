package mux

import (
	"fmt"
	"strings"
	"testing"
)

func TestTreeDump(t *testing.T) {
	m := New()
	for _, p := range []string{"/a/b/z", "/a/{x}/c", "GET /g/{x}/", "example.com/{$}", "/files/{path...}"} {
		if err := m.Handle(p); err != nil {
			t.Fatal(err)
		}
	}
	want := `
#0 root
  #12 host example.com
    #13 any method
      #14 {$} [example.com/{$}]
  #1 any host
    #8 GET
      #9 g
        #10 {}
          #11 {...} (trailing /) [GET /g/{x}/]
    #2 any method
      #3 a
        #4 b
          #5 z [/a/b/z]
        #6 {}
          #7 c [/a/{x}/c]
      #15 files
        #16 {path...} [/files/{path...}]
`
	if got := m.Dump(); strings.TrimSpace(got) != strings.TrimSpace(want) {
		t.Errorf("dump:\n%s\nwant:\n%s", got, want)
	}
	nodes := m.Tree()
	if len(nodes) != 17 || nodes[0].Parent != NoNode || nodes[16].Pattern != "/files/{path...}" || nodes[16].Depth != 4 {
		t.Errorf("Tree() = %+v", nodes)
	}
	for _, n := range nodes[1:] {
		if n.Parent >= n.ID {
			t.Errorf("node %d has parent %d after it", n.ID, n.Parent)
		}
	}

	// A walk with backtracking: /a/b/c tries /a/b/z first.
	res, _ := m.Match("GET", "/a/b/c")
	if res.Pattern != "/a/{x}/c" {
		t.Fatalf("got %+v", res)
	}
	visited := map[NodeID]bool{}
	for _, id := range res.Visited {
		visited[id] = true
	}
	for _, id := range []NodeID{4, 6, 7} {
		if !visited[id] {
			t.Errorf("walk did not visit #%d: %v", id, res.Visited)
		}
	}
	if !strings.Contains(strings.Join(res.Explain, "\n"), `back up from literal "b"`) {
		t.Errorf("explanation lacks the backtrack:\n%s", strings.Join(res.Explain, "\n"))
	}
}

func ExampleMux_Match() {
	m := New()
	m.Handle("GET /items/{id}")
	m.Handle("/items/")
	res, _ := m.Match("HEAD", "/items/42")
	fmt.Println(res.Status, res.Pattern, res.Value("id"))
	res, _ = m.Match("GET", "/items")
	fmt.Println(res.Status, res.Location)
	// Output:
	// 200 GET /items/{id} 42
	// 307 /items/
}
