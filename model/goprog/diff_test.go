package goprog

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestDifferential runs every testdata/*.go program under the real runtime
// (GOMAXPROCS=1) and in the simulator (GOMAXPROCS 1) and compares stdout
// and the exit code. The real binaries are built once into t.TempDir.
func TestDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real programs")
	}
	files, _ := filepath.Glob("testdata/*.go")
	if len(files) < 25 {
		t.Fatalf("corpus has %d programs, want >= 25", len(files))
	}
	dir := t.TempDir()
	// Build all in one go command invocation per file, in parallel.
	var wg sync.WaitGroup
	errs := make([]error, len(files))
	sem := make(chan struct{}, 4)
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out, err := exec.Command("go", "build", "-o", filepath.Join(dir, name(f)), "./"+f).CombinedOutput()
			if err != nil {
				errs[i] = errors.New(string(out))
			}
		}()
	}
	wg.Wait()
	for i, f := range files {
		t.Run(name(f), func(t *testing.T) {
			if errs[i] != nil {
				t.Fatalf("go build: %v", errs[i])
			}
			cmd := exec.Command(filepath.Join(dir, name(f)))
			cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			res := runFile(t, f, 1)
			if res.Stdout != stdout.String() {
				t.Errorf("stdout differs\nreal:\n%s\nsim:\n%s", clip(stdout.String()), clip(res.Stdout))
			}
			if res.ExitCode != code {
				t.Errorf("exit code: real %d, sim %d (sim stderr %q)", code, res.ExitCode, res.Stderr)
			}
		})
	}
}

func name(f string) string { return strings.TrimSuffix(filepath.Base(f), ".go") }

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "..."
	}
	return s
}
