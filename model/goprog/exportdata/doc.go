// Package exportdata carries the type information of the standard packages
// goprog supports, for builds that have no GOROOT export data: the
// browser's playground module (wasm/playground). goprog reads it through
// gcexportdata when [FS] is non-nil (exportimport.go).
//
// The files (data/*.x, one per package, golang.org/x/tools/go/gcexportdata's
// indexed format) are derived from the Go toolchain that builds them, so
// they are not committed: `go generate ./model/goprog/exportdata` (run by
// the Makefile's wasm target) writes them from GOROOT's export data, and
// they are embedded only under the build tag goprog_exportdata, which only
// the playground module sets. Without the tag [FS] is nil and nothing is
// embedded.
package exportdata

//go:generate go run gen.go

// FileName is the name, in [FS], of the export data of the package with
// import path path: the path with '/' replaced by '.', plus ".x" (standard
// import paths contain no dots).
func FileName(path string) string {
	b := []byte(path)
	for i, c := range b {
		if c == '/' {
			b[i] = '.'
		}
	}
	return string(b) + ".x"
}
