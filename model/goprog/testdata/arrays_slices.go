package main

import "fmt"

type Matrix [3][3]int

func (m Matrix) Transpose() Matrix {
	var t Matrix
	for i := range 3 {
		for j := range 3 {
			t[j][i] = m[i][j]
		}
	}
	return t
}

func main() {
	var s []int
	for i := 0; i < 10; i++ {
		s = append(s, i)
		fmt.Print(len(s), ":", cap(s), " ")
	}
	fmt.Println(s) // s escapes: its backing arrays are on the heap (a non-escaping append may start from a 32-byte stack buffer)
	a := [5]int{1, 2, 3, 4, 5}
	b := a
	b[0] = 100
	sl := a[1:3]
	sl = append(sl, 99)
	fmt.Println(a, b, sl, len(sl), cap(sl))
	m := Matrix{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}
	fmt.Println(m.Transpose(), m[0])
	grid := make([][]rune, 2)
	for i := range grid {
		grid[i] = []rune("..")
	}
	grid[1][0] = '#'
	for _, row := range grid {
		fmt.Println(string(row))
	}
	c := make([]int, 3, 10)
	n := copy(c, []int{7, 8, 9, 10})
	fmt.Println(n, c, c[:5])
	type kv struct {
		k string
		v int
	}
	pairs := []kv{{"a", 1}, {"b", 2}}
	for i := range pairs {
		pairs[i].v *= 10
	}
	fmt.Println(pairs)
	ss := []string{"x", "y"}
	ss2 := append(ss[:1:1], "z")
	fmt.Println(ss, ss2)
	var words []string
	fmt.Println(words == nil, len(words), words)
	bs := []byte("hello")
	bs[0] = 'H'
	u, i8, neg := uint8(250), int8(-128), int8(-1)
	fmt.Println(string(bs), string(rune(65)), fmt.Sprint(3.0), 1<<10, ^0, u+10, i8/neg, i8*neg, -i8)
}
