package goprog

import (
	"bufio"
	"fmt"
	"go/token"
	"go/types"
	"io/fs"

	"golang.org/x/tools/go/gcexportdata"

	"github.com/gohttpsim/gohttpsim/model/goprog/exportdata"
)

// exportImporter reads the standard packages' types from gcexportdata
// files (one per package, named by exportdata.FileName) in fsys: the
// browser's substitute for GOROOT's export data, which go/importer's gc
// importer finds by running `go list -export`.
type exportImporter struct {
	fsys fs.FS
	fset *token.FileSet
	pkgs map[string]*types.Package // every package read so far, complete or not
}

func newExportImporter(fsys fs.FS) *exportImporter {
	return &exportImporter{fsys: fsys, fset: token.NewFileSet(), pkgs: map[string]*types.Package{}}
}

// Import implements types.Importer. A package that another's export data
// referred to is in pkgs but incomplete (only the objects referred to):
// it is read from its own file, which completes it in place.
func (x *exportImporter) Import(path string) (*types.Package, error) {
	if p := x.pkgs[path]; p != nil && p.Complete() {
		return p, nil
	}
	name := exportdata.FileName(path)
	f, err := x.fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("no export data for %q (%s): %v", path, name, err)
	}
	defer f.Close()
	return gcexportdata.Read(bufio.NewReader(f), x.fset, x.pkgs, path)
}
