//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "playground: build with GOOS=js GOARCH=wasm -tags goprog_exportdata (see `make wasm`)")
	os.Exit(2)
}
