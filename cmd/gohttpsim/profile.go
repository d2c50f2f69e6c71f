package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// Profiling for any command, by environment so that every subcommand gets
// it without a flag of its own:
//
//	GOHTTPSIM_CPUPROFILE=cpu.out  write a CPU profile of the whole command
//	GOHTTPSIM_MEMPROFILE=mem.out  write a heap profile (in-use and allocated) at exit
//
// Profiles are diagnostics: they never change a result.
func startProfiles() (stop func()) {
	var stops []func()
	if path := os.Getenv("GOHTTPSIM_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gohttpsim: GOHTTPSIM_CPUPROFILE: %v\n", err)
		} else if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(os.Stderr, "gohttpsim: GOHTTPSIM_CPUPROFILE: %v\n", err)
			f.Close()
		} else {
			stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
		}
	}
	if path := os.Getenv("GOHTTPSIM_MEMPROFILE"); path != "" {
		runtime.MemProfileRate = 64 << 10
		stops = append(stops, func() {
			f, err := os.Create(path)
			if err != nil {
				fmt.Fprintf(os.Stderr, "gohttpsim: GOHTTPSIM_MEMPROFILE: %v\n", err)
				return
			}
			defer f.Close()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				fmt.Fprintf(os.Stderr, "gohttpsim: GOHTTPSIM_MEMPROFILE: %v\n", err)
			}
		})
	}
	return func() {
		for _, s := range stops {
			s()
		}
	}
}
