package goprog

import (
	"embed"
	"io/fs"
)

// corpusFS is the differential corpus: programs whose output under the
// real runtime at GOMAXPROCS=1 the simulator must reproduce (testdata/),
// and programs whose real output varies between runs (testdata/unstable/).
//
//go:embed testdata/*.go testdata/unstable/*.go
var corpusFS embed.FS

// Corpus returns the corpus programs, rooted at testdata: names such as
// "spawn300.go" and "unstable/global_fairness.go". Other packages (the
// validate command) run them against the real runtime on the user's
// machine without keeping copies of their own.
func Corpus() fs.FS {
	sub, err := fs.Sub(corpusFS, "testdata")
	if err != nil {
		panic(err) // the pattern is fixed at build time
	}
	return sub
}

// burnSource is the burn package's source, for building corpus programs
// that import it outside this module.
//
//go:embed burn/burn.go
var burnSource []byte

// BurnSource returns the source of package burn (BurnPath): a program
// built in a scratch module gets it through a replace directive.
func BurnSource() []byte { return burnSource }
