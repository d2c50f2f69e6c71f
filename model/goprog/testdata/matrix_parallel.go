package main

import (
	"fmt"
	"sync"
)

func multiply(a, b [][]float64) [][]float64 {
	n, m, p := len(a), len(b), len(b[0])
	c := make([][]float64, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		c[i] = make([]float64, p)
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < p; j++ {
				var s float64
				for k := 0; k < m; k++ {
					s += a[i][k] * b[k][j]
				}
				c[i][j] = s
			}
		}(i)
	}
	wg.Wait()
	return c
}

func main() {
	a := [][]float64{{1, 2}, {3, 4}, {5, 6}}
	b := [][]float64{{0.5, -1, 2}, {1.5, 0, 0.25}}
	for _, row := range multiply(a, b) {
		fmt.Printf("%6.2f\n", row)
	}
}
