package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

func init() {
	register(&command{
		name:    "version",
		summary: "print the gohttpsim version and the Go version whose runtime it models",
		usage:   "gohttpsim version",
		run: func(args []string, stdout, stderr io.Writer) error {
			c := commands["version"]
			fs := flags(c, stderr)
			if err := parseFlags(fs, args); err != nil {
				return err
			}
			if fs.NArg() > 0 {
				return usagef("unexpected argument %q", fs.Arg(0))
			}
			v := "devel"
			if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
				v = bi.Main.Version
			}
			fmt.Fprintf(stdout, "gohttpsim %s (models %s, built with %s %s/%s)\n", v, runtime.Version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	})
}
