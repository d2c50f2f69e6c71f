//go:build !js

package browsertest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chromedp/chromedp"
)

// browserCPU returns the CPU seconds (user + system) used so far by the
// headless browser and every process under it (renderer, GPU), read from
// /proc; ok is false where /proc is not available. On a loaded machine a
// frame rate says more about the other processes than about the page;
// the CPU a frame costs does not.
func browserCPU() (secs float64, ok bool) {
	c := chromedp.FromContext(browser)
	if c == nil || c.Browser == nil || c.Browser.Process() == nil {
		return 0, false
	}
	root := c.Browser.Process().Pid
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	type proc struct {
		ppid  int
		ticks float64
	}
	procs := map[int]proc{}
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ... utime(14) stime(15): comm may hold spaces.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(s[:strings.IndexByte(s, '(')]))
		fs := strings.Fields(s[i+1:])
		if len(fs) < 13 {
			continue
		}
		ppid, _ := strconv.Atoi(fs[1])
		ut, _ := strconv.ParseFloat(fs[11], 64)
		st, _ := strconv.ParseFloat(fs[12], 64)
		procs[pid] = proc{ppid, ut + st}
	}
	if len(procs) == 0 {
		return 0, false
	}
	in := func(pid int) bool {
		for n := 0; pid > 1 && n < 64; n++ {
			if pid == root {
				return true
			}
			pid = procs[pid].ppid
		}
		return false
	}
	total := 0.0
	for pid, p := range procs {
		if in(pid) {
			total += p.ticks
		}
	}
	return total / 100, true // USER_HZ is 100 on Linux
}
