//go:build !goprog_exportdata

package exportdata

import "io/fs"

// FS returns nil: this build embeds no export data (see the package doc).
func FS() fs.FS { return nil }
