package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRouteText(t *testing.T) {
	code, out, stderr := cli("route", "-p", "GET /items/{id}", "-p", "/items/", "-p", "POST /items/{id}",
		"GET", "/items/42", "PUT", "/items/42", "GET", "/items", "DELETE", "http://x.org/a/../items/7?q=1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"GET /items/42\n  status:   200\n  pattern:  GET /items/{id}\n  values:   id=\"42\"\n",
		"PUT /items/42\n  status:   200\n  pattern:  /items/\n",
		"GET /items\n  status:   307\n  pattern:  /items/\n  values:   -\n  location: /items/\n",
		"location: /items/7?q=1",
		`"/items/": matches, but loses: method GET is more specific than any method`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRouteJSONContract(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pats")
	os.WriteFile(file, []byte("# routes\n\nGET /items/{id}\nPOST /items/{id}\n"), 0o644)
	code, out, stderr := cli("route", "-json", "-f", file, "GET", "/items/42", "PUT", "/items/1", "GET", "/nope")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 JSON lines, got %q", out)
	}
	var objs []map[string]any
	for _, l := range lines {
		var o map[string]any
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		var keys []string
		for k := range o {
			keys = append(keys, k)
		}
		for _, k := range []string{"method", "url", "status", "pattern", "values", "location", "allow", "explain"} {
			if _, ok := o[k]; !ok {
				t.Errorf("%q lacks key %q", l, k)
			}
		}
		objs = append(objs, o)
	}
	if objs[0]["status"] != 200.0 || objs[0]["pattern"] != "GET /items/{id}" || !reflect.DeepEqual(objs[0]["values"], map[string]any{"id": "42"}) {
		t.Errorf("first: %v", objs[0])
	}
	if objs[1]["status"] != 405.0 || objs[1]["allow"] != "GET, HEAD, POST" {
		t.Errorf("second: %v", objs[1])
	}
	if objs[2]["status"] != 404.0 || objs[2]["method"] != "GET" || objs[2]["url"] != "/nope" {
		t.Errorf("third: %v", objs[2])
	}
}

func TestRouteLegacy(t *testing.T) {
	code, out, stderr := cli("route", "-json", "-legacy", "-p", "/static/", "-p", "GET /x", "GET", "/static", "GET", "/x", "GET", "/static/a")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`"status":301,"pattern":"/static/"`, `"url":"/x","status":404`, `"url":"/static/a","status":200`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRouteErrors(t *testing.T) {
	cases := []struct {
		args    []string
		errWant string
	}{
		{[]string{"route", "-p", "/"}, "no requests"},
		{[]string{"route", "-p", "/", "GET"}, "METHOD URL pairs"},
		{[]string{"route", "-p", "/a/{x}", "-p", "/{y}/b", "GET", "/"}, `gohttpsim route: pattern "/{y}/b" (registered at -p #2) conflicts with pattern "/a/{x}" (registered at -p #1)`},
		{[]string{"route", "-p", "/{x", "GET", "/"}, `gohttpsim route: parsing "/{x": at offset 1: bad wildcard segment (must end with '}')`},
		{[]string{"route", "-legacy", "-p", "/a", "-p", "/a", "GET", "/"}, "gohttpsim route: http: multiple registrations for /a"},
		{[]string{"route", "-p", "/", "GET", "/a b"}, "bad request"},
		{[]string{"route", "-f", "/nonexistent/file", "GET", "/"}, "gohttpsim route: open /nonexistent/file"},
	}
	for _, c := range cases {
		code, _, stderr := cli(c.args...)
		if code != 2 || !strings.Contains(stderr, c.errWant) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 containing %q", c.args, code, stderr, c.errWant)
		}
	}
}
