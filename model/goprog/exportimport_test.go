package goprog

import (
	"bytes"
	"go/importer"
	"go/token"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/go/gcexportdata"

	"github.com/gohttpsim/gohttpsim/model/goprog/exportdata"
)

// exportFS writes, in memory, what exportdata's generator writes to
// data/: every standard package's export data from GOROOT's.
func exportFS(t *testing.T) fstest.MapFS {
	t.Helper()
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", nil)
	fsys := fstest.MapFS{}
	for _, path := range StdImports() {
		pkg, err := imp.Import(path)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := gcexportdata.Write(&buf, fset, pkg); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		fsys[exportdata.FileName(path)] = &fstest.MapFile{Data: buf.Bytes()}
	}
	return fsys
}

// TestExportDataImporter compiles corpus programs with the type
// information read from export data files (the playground module's
// importer) and requires the same run as with GOROOT's export data:
// output, exit code and engine digest.
func TestExportDataImporter(t *testing.T) {
	fsys := exportFS(t)
	for _, f := range []string{"worker_pool.go", "pipeline_stages.go", "ticker_stop.go", "errgroup_fetch.go", "preempt.go", "context_timeout.go", "generics_stack.go"} {
		t.Run(f, func(t *testing.T) {
			src, err := os.ReadFile("testdata/" + f)
			if err != nil {
				t.Fatal(err)
			}
			want := runFile(t, "testdata/"+f, 1)
			prog, err := CompileWith(f, src, CompileOptions{ExportData: fsys})
			if err != nil {
				t.Fatal(err)
			}
			got := Run(prog, Options{GOMAXPROCS: 1, Seed: 1})
			if got.Stdout != want.Stdout || got.ExitCode != want.ExitCode || got.Digest != want.Digest {
				t.Errorf("export data run differs from GOROOT run:\ngot  exit %d digest %x\n%s\nwant exit %d digest %x\n%s",
					got.ExitCode, got.Digest, got.Stdout, want.ExitCode, want.Digest, want.Stdout)
			}
		})
	}
}

// TestExportDataMissing: a package without export data is a compile
// error naming it, not a panic.
func TestExportDataMissing(t *testing.T) {
	fsys := exportFS(t)
	delete(fsys, exportdata.FileName("sync"))
	_, err := CompileWith("x.go", []byte("package main\n\nimport \"sync\"\n\nfunc main() { var mu sync.Mutex; mu.Lock() }\n"), CompileOptions{ExportData: fsys})
	if err == nil || !strings.Contains(err.Error(), `no export data for "sync"`) {
		t.Fatalf("err = %v, want one naming the missing export data of sync", err)
	}
}
