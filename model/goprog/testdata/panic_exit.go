package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("about to exit")
	defer fmt.Println("not printed: os.Exit skips defers")
	os.Exit(3)
}
