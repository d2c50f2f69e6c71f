//go:build ignore

// gen writes data/<path>.x, the export data of every standard package
// goprog supports, from GOROOT's export data (go/importer "gc").
package main

import (
	"bytes"
	"go/importer"
	"go/token"
	"log"
	"os"
	"path/filepath"

	"golang.org/x/tools/go/gcexportdata"

	"github.com/gohttpsim/gohttpsim/model/goprog"
	"github.com/gohttpsim/gohttpsim/model/goprog/exportdata"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("exportdata/gen: ")
	if err := os.MkdirAll("data", 0o755); err != nil {
		log.Fatal(err)
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", nil)
	for _, path := range goprog.StdImports() {
		pkg, err := imp.Import(path)
		if err != nil {
			log.Fatal(err)
		}
		var buf bytes.Buffer
		if err := gcexportdata.Write(&buf, fset, pkg); err != nil {
			log.Fatalf("%s: %v", path, err)
		}
		name := filepath.Join("data", exportdata.FileName(path))
		if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, buf.Bytes()) {
			continue // unchanged: keep the file's time, so make sees nothing new
		}
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
