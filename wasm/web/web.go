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
	"path/filepath"
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

// Handler serves the page and the wasm modules.
type Handler struct {
	main, play *module // play is nil when the playground module was not built
	static     http.Handler
}

// module is one wasm module held in memory.
type module struct {
	gz  []byte // gzip-compressed
	raw []byte // uncompressed, for clients without gzip (rare)
	mod time.Time
}

// PlaygroundName is the file name of the playground module (`make wasm`
// writes it next to the main one, bin/playground.wasm[.gz]), loaded by the
// page only when the scheduler playground is opened.
const PlaygroundName = "playground.wasm"

// NewHandler loads the wasm module from wasmPath: either a gzip file
// (name ending .gz) or a raw .wasm, next to which a .gz sibling is
// preferred if present. The playground module is loaded from the same
// directory (PlaygroundName, .gz preferred) if it is there. The modules
// are held in memory; nothing is fetched from the network at run time.
func NewHandler(wasmPath string) (*Handler, error) {
	h := &Handler{static: http.FileServerFS(Static())}
	m, err := loadModule(wasmPath)
	if err != nil {
		return nil, err
	}
	h.main = m
	if p, err := loadModule(filepath.Join(filepath.Dir(wasmPath), PlaygroundName)); err == nil {
		h.play = p
	} else if !errors.Is(err, ErrNoWasm) {
		return nil, err
	}
	return h, nil
}

func loadModule(wasmPath string) (*module, error) {
	try := []string{wasmPath}
	if !strings.HasSuffix(wasmPath, ".gz") {
		try = []string{wasmPath + ".gz", wasmPath}
	}
	for _, p := range try {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		h := &module{}
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
func (h *Handler) WasmSize() (raw, gz int) { return len(h.main.raw), len(h.main.gz) }

// PlaygroundSize returns the playground module's size uncompressed and
// gzip-compressed, and whether it was found.
func (h *Handler) PlaygroundSize() (raw, gz int, ok bool) {
	if h.play == nil {
		return 0, 0, false
	}
	return len(h.play.raw), len(h.play.gz), true
}

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
		h.main.serve(w, r)
	case "/" + PlaygroundName:
		if h.play == nil {
			http.Error(w, "the playground module was not built (make wasm writes bin/"+PlaygroundName+".gz)", http.StatusNotFound)
			return
		}
		h.play.serve(w, r)
	default:
		h.static.ServeHTTP(w, r)
	}
}

func (m *module) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/wasm")
	w.Header().Set("Vary", "Accept-Encoding")
	body := m.raw
	if acceptsGzip(r) {
		w.Header().Set("Content-Encoding", "gzip")
		body = m.gz
	}
	http.ServeContent(w, r, "", m.mod, bytes.NewReader(body))
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
