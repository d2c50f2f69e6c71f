//go:build goprog_exportdata

package exportdata

import (
	"embed"
	"io/fs"
)

//go:embed data/*.x
var data embed.FS

// FS returns the embedded export data, rooted at data/.
func FS() fs.FS {
	sub, err := fs.Sub(data, "data")
	if err != nil {
		panic(err) // the pattern is fixed at build time
	}
	return sub
}
