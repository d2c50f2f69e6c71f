package main

import "fmt"

func main() {
	var fs []int
	funcs := 0
	x := 0
	add := func(n int) int {
		x += n
		return x
	}
	for i := 0; i < 4; i++ {
		fs = append(fs, add(i))
		funcs++
	}
	fmt.Println(fs, funcs, x)
	s := 0
	for i, v := range fs {
		if i%2 == 0 {
			continue
		}
		s += v
	}
	fmt.Println("odd-index sum", s)
}
