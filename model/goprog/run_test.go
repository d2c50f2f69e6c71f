package goprog

import (
	"os"
	"testing"
)

func runFile(t *testing.T, path string, procs int) Result {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Compile(path, src)
	if err != nil {
		t.Fatal(err)
	}
	return Run(prog, Options{GOMAXPROCS: procs, Seed: 1})
}

func testSmoke(t *testing.T) {
	r := runFile(t, "testdata/spawn10.go", 1)
	t.Logf("out=%q err=%q code=%d", r.Stdout, r.Stderr, r.ExitCode)
}
