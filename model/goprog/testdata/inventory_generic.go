package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

type Item struct {
	Name  string
	Price float64
	Qty   int
}

type Set[T comparable] map[T]struct{}

func (s Set[T]) Add(v T)      { s[v] = struct{}{} }
func (s Set[T]) Has(v T) bool { _, ok := s[v]; return ok }
func Filter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func Reduce[T, A any](xs []T, init A, f func(A, T) A) A {
	acc := init
	for _, x := range xs {
		acc = f(acc, x)
	}
	return acc
}

func main() {
	items := []Item{{"widget", 2.5, 10}, {"gadget", 12, 3}, {"doohickey", 0.75, 100}, {"gizmo", 12, 1}}
	slices.SortFunc(items, func(a, b Item) int {
		if c := cmp.Compare(b.Price, a.Price); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	for _, it := range items {
		fmt.Printf("%-10s %6.2f x%d\n", it.Name, it.Price, it.Qty)
	}
	cheap := Filter(items, func(i Item) bool { return i.Price < 5 })
	total := Reduce(items, 0.0, func(acc float64, i Item) float64 { return acc + i.Price*float64(i.Qty) })
	fmt.Println(len(cheap), total)
	s := Set[string]{}
	for _, it := range items {
		s.Add(it.Name[:1])
	}
	fmt.Println(len(s), s.Has("g"), s.Has("z"))
	idx := slices.IndexFunc(items, func(i Item) bool { return i.Qty == 1 })
	fmt.Println(idx, items[idx].Name, slices.ContainsFunc(items, func(i Item) bool { return i.Qty > 50 }))
}
