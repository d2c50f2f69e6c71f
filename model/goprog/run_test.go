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
