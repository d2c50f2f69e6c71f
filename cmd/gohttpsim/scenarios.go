package main

import (
	"fmt"
	"io"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

func init() {
	register(&command{
		name:    "scenarios",
		summary: "list the built-in scenarios (-v: with their parameters)",
		usage:   "gohttpsim scenarios [-v]",
		run: func(args []string, stdout, stderr io.Writer) error {
			fs := flags(commands["scenarios"], stderr)
			verbose := fs.Bool("v", false, "also list each scenario's parameters with defaults")
			if err := parseFlags(fs, args); err != nil {
				return err
			}
			if fs.NArg() > 0 {
				return usagef("unexpected argument %q", fs.Arg(0))
			}
			for _, s := range scenario.All() {
				fmt.Fprintf(stdout, "%-12s %s\n", s.Name, s.Summary)
				if *verbose {
					for _, p := range s.Params {
						kind := string(p.Kind)
						if p.Unit != "" {
							kind += " " + p.Unit
						}
						fmt.Fprintf(stdout, "    %-36s %-16s default %-10s %s\n", p.Key, kind, p.Default, p.Help)
					}
				}
			}
			return nil
		},
	})
}
