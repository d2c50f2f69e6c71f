package main

import (
	"fmt"
	"iter"
	"maps"
	"slices"
)

func Count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

func Enumerate[T any](xs []T) iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		for i, x := range xs {
			if !yield(i, x) {
				return
			}
		}
	}
}

type Tree struct {
	Left, Right *Tree
	Val         int
}

func (t *Tree) walk(yield func(int) bool) bool {
	if t == nil {
		return true
	}
	return t.Left.walk(yield) && yield(t.Val) && t.Right.walk(yield)
}

func (t *Tree) All(yield func(int) bool) { t.walk(yield) }

func main() {
	for i := range Count(10) {
		if i == 4 {
			break
		}
		fmt.Print(i, " ")
	}
	fmt.Println()
	for i, s := range Enumerate([]string{"a", "b", "c"}) {
		fmt.Print(i, "=", s, " ")
	}
	fmt.Println()
	t := &Tree{Val: 5, Left: &Tree{Val: 3, Left: &Tree{Val: 1}}, Right: &Tree{Val: 8}}
	for v := range t.All {
		fmt.Print(v, " ")
	}
	fmt.Println()
	m := map[string]int{"z": 26, "a": 1, "m": 13}
	fmt.Println(slices.Sorted(maps.Keys(m)), slices.Collect(Count(3)))
	for range 2 {
		fmt.Print("x")
	}
	fmt.Println()
}
