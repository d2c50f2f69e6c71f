package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve", "-addr", "nocolon"}, 2, `-addr "nocolon"`},
		{[]string{"serve", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"serve", "-wasm", filepath.Join(t.TempDir(), "none.wasm")}, 1, "wasm module not found (build it with `make wasm`)"},
	} {
		code, _, stderr := cli(c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// serve prints its URL on stdout and serves the page and the module with
// the wasm MIME type and gzip encoding, on loopback.
func TestServe(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte("\x00asm\x01\x00\x00\x00"))
	zw.Close()
	mod := filepath.Join(t.TempDir(), "m.wasm.gz")
	os.WriteFile(mod, b.Bytes(), 0o644)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	old := serveContext
	serveContext = func() context.Context { return ctx }
	defer func() { serveContext = old }()
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		var e bytes.Buffer
		done <- runMain([]string{"serve", "-addr", "127.0.0.1:0", "-wasm", mod}, pw, &e)
		pw.Close()
	}()
	url, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url = strings.TrimSpace(url)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("URL %q is not on loopback", url)
	}
	go io.Copy(io.Discard, pr)
	req, _ := http.NewRequest("GET", url+"gohttpsim.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.Header.Get("Content-Type") != "application/wasm" || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("wasm served as %q, encoding %q", res.Header.Get("Content-Type"), res.Header.Get("Content-Encoding"))
	}
	res, err = http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), "How Go serves HTTP") {
		t.Errorf("page: %.100s", page)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop")
	}
}
