package chart

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// Size of every chart: 16 × 10 cm (about 630 × 390 px at 100 dpi in PNG).
var (
	Width  = 16 * vg.Centimeter
	Height = 10 * vg.Centimeter
)

// Plotter is a chart that can build its gonum plot.
type Plotter interface{ Plot() (*plot.Plot, error) }

// Save writes c to base+".png" and base+".svg" (each written through a
// temporary file and renamed, so a reader never sees half a chart).
func Save(c Plotter, base string) error {
	for _, ext := range []string{"png", "svg"} {
		wt, err := WriterTo(c, Width, Height, ext)
		if err != nil {
			return err
		}
		path := base + "." + ext
		tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
		f, err := os.Create(tmp)
		if err != nil {
			return err
		}
		_, err = wt.WriteTo(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp, path)
		}
		if err != nil {
			os.Remove(tmp)
			return fmt.Errorf("chart: %s: %w", path, err)
		}
	}
	return nil
}

// SaveAll saves charts[i] to dir/stems[i] (.png and .svg), rendering up to
// parallel charts at once (≤ 0: GOMAXPROCS). Each chart is its own gonum
// plot and file, so the files are the same whatever the order; the first
// error in chart order is returned.
func SaveAll(charts []Plotter, dir string, stems []string, parallel int) error {
	if parallel <= 0 {
		parallel = runtime.GOMAXPROCS(0)
	}
	parallel = min(parallel, len(charts))
	errs := make([]error, len(charts))
	if parallel <= 1 {
		for i, c := range charts {
			if errs[i] = Save(c, filepath.Join(dir, stems[i])); errs[i] != nil {
				return errs[i]
			}
		}
		return nil
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			for i := range next {
				errs[i] = Save(charts[i], filepath.Join(dir, stems[i]))
			}
		})
	}
	for i := range charts {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// FileName turns a metric or key name into a safe file name stem.
func FileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, s)
}
