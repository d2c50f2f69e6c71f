//go:build !js

package browsertest

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/model/goprog"
)

const corpusDir = "../../model/goprog/testdata"

// realOutput runs a corpus program under the real runtime at
// GOMAXPROCS=1: what the corpus expects (TestDifferential).
func realOutput(t *testing.T, file string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "prog")
	if b, err := exec.Command("go", "build", "-o", bin, filepath.Join(corpusDir, file)).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", file, err, b)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return string(out)
}

// nativeRun runs src in the simulator natively, as the playground module
// does in the browser (same limits), recording the Gs' moves.
func nativeRun(t *testing.T, src string, procs int, seed uint64) (goprog.Result, []int64) {
	t.Helper()
	prog, err := goprog.Compile("prog.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tr := &goprog.GTrace{MaxG: 256, MaxMoves: 200_000}
	res := goprog.Run(prog, goprog.Options{GOMAXPROCS: procs, Seed: seed, MaxEvents: 2_000_000, GTrace: tr})
	var moves []int64
	for _, m := range tr.Moves {
		moves = append(moves, int64(m.T), int64(m.G), int64(m.Place), int64(m.P), int64(m.Pos))
	}
	return res, moves
}

// pgResult is window.playground.last.
type pgResult struct {
	Output   string `json:"output"`
	Stderr   string `json:"stderr"`
	ExitCode int    `json:"exitCode"`
	Error    string `json:"error"`
	Digest   string `json:"digest"`
	Trace    struct {
		Procs int     `json:"procs"`
		Moves []int64 `json:"moves"`
	} `json:"trace"`
}

func (tb *tab) pgLast() pgResult {
	tb.t.Helper()
	var r pgResult
	if err := json.Unmarshal([]byte(eval[string](tb, "JSON.stringify(window.playground.last)")), &r); err != nil {
		tb.t.Fatal(err)
	}
	return r
}

// checkRun compares the browser's run of src with the native one:
// output, exit code, engine digest and every recorded move.
func checkRun(t *testing.T, got pgResult, src string, procs int, seed uint64) {
	t.Helper()
	want, moves := nativeRun(t, src, procs, seed)
	if got.Output != want.Stdout || got.ExitCode != want.ExitCode || got.Digest != fmt.Sprintf("%016x", want.Digest) {
		t.Errorf("js/wasm run differs from the native one:\nwasm:   exit %d digest %s\n%s\nnative: exit %d digest %016x\n%s",
			got.ExitCode, got.Digest, got.Output, want.ExitCode, want.Digest, want.Stdout)
	}
	if !slices.Equal(got.Trace.Moves, moves) || len(moves) == 0 {
		t.Errorf("js/wasm recorded %d move numbers, native %d, or they differ", len(got.Trace.Moves), len(moves))
	}
}

// TestPlaygroundExamples opens the playground, runs two example programs
// with Run at GOMAXPROCS=1, and requires what the corpus expects: the
// real runtime's output at GOMAXPROCS=1. The run must be the native
// simulator's (same digest and moves), the Gs must be drawn, and the link
// must carry the program.
func TestPlaygroundExamples(t *testing.T) {
	tb := open(t, "", 1280, 900)
	if eval[bool](tb, `performance.getEntriesByType("resource").some(e => e.name.endsWith("/playground.wasm"))`) {
		t.Fatal("the page fetched playground.wasm before the playground was opened")
	}
	eval[any](tb, `document.querySelector("#playground summary").click(), 0`)
	tb.waitFor(`window.playground.ready || window.playground.error`, 90*time.Second)
	if e := eval[string](tb, `window.playground.error`); e != "" {
		t.Fatalf("playground: %s", e)
	}
	for i, file := range []string{"worker_pool.go", "pipeline.go"} {
		outer := tb.t
		t.Run(file, func(t *testing.T) {
			tb.t = t
			defer func() { tb.t = outer }()
			idx := eval[float64](tb, fmt.Sprintf(`(() => {
				const i = window.playground.examples().findIndex(e => e.file === %q);
				const sel = document.getElementById("pg-example");
				sel.value = String(i); sel.dispatchEvent(new Event("change"));
				document.getElementById("pg-procs").value = "1";
				document.getElementById("pg-seed").value = "1";
				document.getElementById("pg-run").click();
				return i; })()`, file))
			if idx < 0 {
				t.Fatalf("%s is not among the examples", file)
			}
			tb.waitFor(fmt.Sprintf(`window.playground.runs === %d && location.hash.startsWith("#play=")`, i+1), 60*time.Second)
			got := tb.pgLast()
			if want := realOutput(t, file); got.Output != want || got.ExitCode != 0 {
				t.Errorf("playground printed (exit %d, error %q):\n%s\nreal Go at GOMAXPROCS=1 prints:\n%s", got.ExitCode, got.Error, got.Output, want)
			}
			src, _ := os.ReadFile(filepath.Join(corpusDir, file))
			checkRun(t, got, strings.TrimLeft(string(src), "\n"), 1, 1)
			if shown := eval[string](tb, `document.getElementById("pg-output").textContent`); !strings.HasPrefix(shown, got.Output) {
				t.Errorf("output panel shows %q, want the program's output first", shown)
			}
			chips := eval[float64](tb, `(() => { const d = window.playground.draw(1, 1); return d.chips; })()`)
			if chips < 1 {
				t.Errorf("step 1 draws %v Gs, want at least main", chips)
			}
		})
	}
	tb.noConsoleErrors()
}

// fragment is the link a playground run is shared by (deflate-raw and
// base64url, as playground.js writes it).
func fragment(t *testing.T, src string, procs int, seed uint64) string {
	var b bytes.Buffer
	zw, _ := flate.NewWriter(&b, flate.BestCompression)
	zw.Write([]byte(src))
	zw.Close()
	return fmt.Sprintf("play=%s&procs=%d&seed=%d", base64.RawURLEncoding.EncodeToString(b.Bytes()), procs, seed)
}

// TestPlaygroundLink: a link with a program runs it on load, with its
// GOMAXPROCS and seed, to the native simulator's result; a bad link gets
// a message, not a crash; a compile error shows in the output panel.
func TestPlaygroundLink(t *testing.T) {
	srcb, err := os.ReadFile(filepath.Join(corpusDir, "ticker_stop.go"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(srcb)
	tb := open(t, fragment(t, src, 2, 3), 1280, 900)
	tb.waitFor(`window.playground.runs === 1 || window.playground.error`, 90*time.Second)
	if e := eval[string](tb, `window.playground.error`); e != "" {
		t.Fatalf("playground: %s", e)
	}
	if got := eval[string](tb, `document.getElementById("pg-src").value`); got != src {
		t.Errorf("editor holds %q, want the program from the link", got)
	}
	if p := eval[string](tb, `document.getElementById("pg-procs").value`); p != "2" {
		t.Errorf("GOMAXPROCS selector %q, want 2 from the link", p)
	}
	checkRun(t, tb.pgLast(), src, 2, 3)
	if st := tb.state(); st.Section != "goroutines" {
		t.Errorf("section %q in view, want goroutines", st.Section)
	}
	if h := eval[string](tb, `location.hash`); !strings.HasPrefix(h, "#play=") {
		t.Errorf("the page rewrote the playground's link to %q", h)
	}
	// A compile error is shown, with its position.
	eval[any](tb, `document.getElementById("pg-src").value = "package main\n\nimport \"net/http\"\n\nfunc main() { _ = http.Get }\n", document.getElementById("pg-run").click(), 0`)
	tb.waitFor(`window.playground.runs === 2`, 30*time.Second)
	want := `prog.go:3:8: unsupported: import "net/http"`
	if shown := eval[string](tb, `document.getElementById("pg-output").textContent`); !strings.Contains(shown, want) {
		t.Errorf("output panel shows %q, want %q", shown, want)
	}
	tb.noConsoleErrors()

	// Bad links: the first on load, the others through the same code
	// (window.playground.follow) in the same tab.
	bad := []string{"play=%%%notbase64&procs=1", "play=AAAA&procs=1", "play=" + strings.Repeat("x", 10) + "&procs=3", "procs=2"}
	tb = open(t, bad[0], 1000, 800)
	for i, frag := range bad {
		if i > 0 {
			eval[any](tb, fmt.Sprintf(`window.playground.follow(%q), 0`, "#"+frag))
		}
		tb.waitFor(`window.playground.error`, 30*time.Second)
		if e := eval[string](tb, `window.playground.error`); !strings.HasPrefix(e, "bad playground link: ") {
			t.Errorf("#%s: error %q, want a bad-link message", frag, e)
		}
		if shown := eval[string](tb, `document.getElementById("pg-output").textContent`); !strings.Contains(shown, "bad playground link") {
			t.Errorf("#%s: output panel shows %q", frag, shown)
		}
		if i == 0 && !eval[bool](tb, `window.gohttpsim.ready`) {
			t.Errorf("#%s: the page's simulation did not start", frag)
		}
	}
	tb.noConsoleErrors()
}

// TestPlaygroundSize records the playground module's size; it is loaded
// only when the playground is opened, so it is outside the first module's
// 4 MiB budget, but it must have been built (make wasm).
func TestPlaygroundSize(t *testing.T) {
	setup(t)
	raw, gz, ok := handler.PlaygroundSize()
	if !ok {
		t.Fatalf("no %s next to the main module: build it with make wasm", "playground.wasm")
	}
	t.Logf("playground wasm: %.2f MB raw, %.2f MB gzip", float64(raw)/1e6, float64(gz)/1e6)
	if gz < 1<<20 {
		t.Errorf("playground module is %d bytes gzipped: too small to hold the compiler, is it the right file?", gz)
	}
}
