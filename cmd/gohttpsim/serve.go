package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/gohttpsim/gohttpsim/wasm/web"
)

func init() {
	register(&command{
		name:    "serve",
		summary: "serve the interactive reference (the page and its wasm simulation) on a local address",
		usage:   "gohttpsim serve [-addr 127.0.0.1:8080] [-wasm bin/gohttpsim.wasm]",
		run:     runServe,
	})
}

// serveContext is the parent context of a serve run; tests replace it to
// stop the server.
var serveContext = context.Background

// defaultWasm finds the module `make wasm` builds: bin/gohttpsim.wasm under
// the working directory, else next to the executable.
func defaultWasm() string {
	const rel = "bin/gohttpsim.wasm"
	if _, err := os.Stat(rel + ".gz"); err == nil {
		return rel
	}
	if _, err := os.Stat(rel); err == nil {
		return rel
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "gohttpsim.wasm")
		if _, err := os.Stat(p + ".gz"); err == nil {
			return p
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return rel
}

func runServe(args []string, stdout, stderr io.Writer) error {
	c := commands["serve"]
	fs := flags(c, stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (loopback by default; the page needs no network)")
	wasmPath := fs.String("wasm", "", "the wasm module, raw or .gz (default: bin/gohttpsim.wasm[.gz], else next to the executable)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return usagef("-addr %q: %v", *addr, err)
	}
	if *wasmPath == "" {
		*wasmPath = defaultWasm()
	}
	h, err := web.NewHandler(*wasmPath)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		fmt.Fprintf(stderr, "serve: warning: %s is not a loopback address; the page is reachable from the network\n", *addr)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	raw, gz := h.WasmSize()
	fmt.Fprintf(stderr, "serve: wasm %s (%.1f MB, %.1f MB gzip)\n", *wasmPath, float64(raw)/1e6, float64(gz)/1e6)
	if raw, gz, ok := h.PlaygroundSize(); ok {
		fmt.Fprintf(stderr, "serve: playground wasm %s (%.1f MB, %.1f MB gzip; loaded when the playground is opened)\n", web.PlaygroundName, float64(raw)/1e6, float64(gz)/1e6)
	} else {
		fmt.Fprintf(stderr, "serve: warning: no %s next to %s: the scheduler playground will not load (make wasm builds it)\n", web.PlaygroundName, *wasmPath)
	}
	fmt.Fprintf(stdout, "http://%s/\n", ln.Addr())
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	ctx, stop := signal.NotifyContext(serveContext(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
