// Package web holds the browser reference's page (HTML, CSS, JS and Go's
// wasm_exec.js, embedded) and the HTTP handler that serves it with the
// wasm module built separately (`make wasm`), precompressed with gzip.
// It imports no ebiten, so cmd/gohttpsim can serve the page natively.
package web

import (
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
	"time"
)

//go:embed static
var static embed.FS

// Static returns the embedded page files.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err)
	}
	return sub
}

// ErrNoWasm is returned by [NewHandler] when the wasm module is missing.
var ErrNoWasm = errors.New("web: wasm module not found (build it with `make wasm`)")

// Handler serves the page and the wasm module.
type Handler struct {
	gz     []byte // the module, gzip-compressed
	raw    []byte // uncompressed, for clients without gzip (rare)
	mod    time.Time
	static http.Handler
}

// NewHandler loads the wasm module from wasmPath: either a gzip file
// (name ending .gz) or a raw .wasm, next to which a .gz sibling is
// preferred if present. The module is held in memory; nothing is fetched
// from the network at run time.
func NewHandler(wasmPath string) (*Handler, error) {
	h := &Handler{static: http.FileServerFS(Static())}
	try := []string{wasmPath}
	if !strings.HasSuffix(wasmPath, ".gz") {
		try = []string{wasmPath + ".gz", wasmPath}
	}
	for _, p := range try {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		st, _ := os.Stat(p)
		h.mod = st.ModTime()
		if strings.HasSuffix(p, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return nil, fmt.Errorf("web: %s: %v", p, err)
			}
			raw, err := io.ReadAll(zr)
			if err != nil {
				return nil, fmt.Errorf("web: %s: %v", p, err)
			}
			h.gz, h.raw = b, raw
		} else {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(b)
			zw.Close()
			h.gz, h.raw = buf.Bytes(), b
		}
		if len(h.raw) < 8 || string(h.raw[:4]) != "\x00asm" {
			return nil, fmt.Errorf("web: %s is not a WebAssembly module", p)
		}
		return h, nil
	}
	return nil, fmt.Errorf("%w: tried %s", ErrNoWasm, strings.Join(try, ", "))
}

// WasmSize returns the module's size uncompressed and gzip-compressed.
func (h *Handler) WasmSize() (raw, gz int) { return len(h.raw), len(h.gz) }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-cache")
	switch p := path.Clean(r.URL.Path); p {
	case "/gohttpsim.wasm":
		w.Header().Set("Content-Type", "application/wasm")
		w.Header().Set("Vary", "Accept-Encoding")
		body := h.raw
		if acceptsGzip(r) {
			w.Header().Set("Content-Encoding", "gzip")
			body = h.gz
		}
		http.ServeContent(w, r, "", h.mod, bytes.NewReader(body))
	default:
		h.static.ServeHTTP(w, r)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
