package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeWasm writes a tiny valid-looking module (magic and version only).
func fakeWasm(t *testing.T, gz bool) string {
	t.Helper()
	mod := []byte("\x00asm\x01\x00\x00\x00")
	p := filepath.Join(t.TempDir(), "m.wasm")
	if gz {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(mod)
		zw.Close()
		mod, p = b.Bytes(), p+".gz"
	}
	if err := os.WriteFile(p, mod, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func get(t *testing.T, h http.Handler, method, path, enc string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(method, path, nil)
	if enc != "" {
		r.Header.Set("Accept-Encoding", enc)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func TestServeWasm(t *testing.T) {
	for _, gz := range []bool{false, true} {
		h, err := NewHandler(fakeWasm(t, gz))
		if err != nil {
			t.Fatal(err)
		}
		res := get(t, h, "GET", "/gohttpsim.wasm", "gzip, deflate, br")
		if ct := res.Header.Get("Content-Type"); ct != "application/wasm" {
			t.Errorf("Content-Type %q", ct)
		}
		if ce := res.Header.Get("Content-Encoding"); ce != "gzip" {
			t.Errorf("Content-Encoding %q with gzip accepted", ce)
		}
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := io.ReadAll(zr); string(b[:4]) != "\x00asm" {
			t.Errorf("gzip body does not decode to the module")
		}
		res = get(t, h, "GET", "/gohttpsim.wasm", "")
		if res.Header.Get("Content-Encoding") != "" {
			t.Error("gzip sent to a client that did not accept it")
		}
		if b, _ := io.ReadAll(res.Body); string(b[:4]) != "\x00asm" {
			t.Error("identity body is not the module")
		}
		if res := get(t, h, "GET", "/gohttpsim.wasm", "gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
			t.Error("gzip sent despite q=0")
		}
	}
}

func TestServePage(t *testing.T) {
	h, err := NewHandler(fakeWasm(t, true))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/": "text/html", "/canvas.html": "text/html", "/app.js": "javascript", "/style.css": "text/css", "/wasm_exec.js": "javascript",
	} {
		res := get(t, h, "GET", path, "")
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), want) {
			t.Errorf("%s: %d %q", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	if res := get(t, h, "POST", "/", ""); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", res.StatusCode)
	}
	if res := get(t, h, "GET", "/nosuch", ""); res.StatusCode != 404 {
		t.Errorf("missing file: %d", res.StatusCode)
	}
	// Everything the page loads is local: no http(s) URL in src= or href=
	// of scripts, styles and frames.
	for _, f := range []string{"index.html", "canvas.html", "app.js"} {
		b, _ := os.ReadFile(filepath.Join("static", f))
		for _, bad := range []string{`src="http`, `<link rel="stylesheet" href="http`, `fetch("http`, `import "http`} {
			if bytes.Contains(b, []byte(bad)) {
				t.Errorf("%s loads a remote resource (%s)", f, bad)
			}
		}
	}
}

func TestNewHandlerErrors(t *testing.T) {
	if _, err := NewHandler(filepath.Join(t.TempDir(), "none.wasm")); !errors.Is(err, ErrNoWasm) {
		t.Errorf("missing module: %v", err)
	}
	p := filepath.Join(t.TempDir(), "x.wasm")
	os.WriteFile(p, []byte("not wasm"), 0o644)
	if _, err := NewHandler(p); err == nil || !strings.Contains(err.Error(), "not a WebAssembly module") {
		t.Errorf("bad module: %v", err)
	}
	os.WriteFile(p+".gz", []byte("not gzip"), 0o644)
	if _, err := NewHandler(p + ".gz"); err == nil {
		t.Error("bad gzip: no error")
	}
}

// The embedded wasm_exec.js must be the one of the toolchain that builds
// the module: the glue and the runtime change together between releases.
func TestWasmExecMatchesToolchain(t *testing.T) {
	want, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Skipf("no toolchain copy to compare with: %v", err)
	}
	got, err := os.ReadFile(filepath.Join("static", "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("static/wasm_exec.js differs from %s: copy it again (cp \"$(go env GOROOT)/lib/wasm/wasm_exec.js\" wasm/web/static/)", runtime.Version())
	}
}

// TestServePlayground: the playground module next to the main one is
// served (gzip when accepted); without it, /playground.wasm is a 404 that
// says how to build it, and the page is still served.
func TestServePlayground(t *testing.T) {
	main := fakeWasm(t, true)
	h, err := NewHandler(main)
	if err != nil {
		t.Fatal(err)
	}
	res := get(t, h, "GET", "/"+PlaygroundName, "gzip")
	body, _ := io.ReadAll(res.Body)
	if _, _, ok := h.PlaygroundSize(); ok || res.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "make wasm") {
		t.Errorf("without a playground module: status %d, body %q", res.StatusCode, body)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(main), PlaygroundName), []byte("\x00asm\x01\x00\x00\x00pg"), 0o644); err != nil {
		t.Fatal(err)
	}
	if h, err = NewHandler(main); err != nil {
		t.Fatal(err)
	}
	raw, gz, ok := h.PlaygroundSize()
	if !ok || raw != 10 || gz == 0 {
		t.Fatalf("PlaygroundSize = %d, %d, %v", raw, gz, ok)
	}
	res = get(t, h, "GET", "/"+PlaygroundName, "")
	body, _ = io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/wasm" || string(body) != "\x00asm\x01\x00\x00\x00pg" {
		t.Errorf("playground module: status %d, type %q, body %q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
}
