//go:build !(js && wasm)

// Command wasm is the browser entry point; it only builds for js/wasm
// (GOOS=js GOARCH=wasm). Natively it explains that and exits, so that
// `go build ./...` and `go vet ./...` pass without ebiten's cgo/X11 needs.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "wasm: build with GOOS=js GOARCH=wasm (see `make wasm`); serve with `gohttpsim serve`")
	os.Exit(2)
}
