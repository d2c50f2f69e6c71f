package main

import (
	"fmt"
	"math"
	"sort"
)

type Shape interface {
	Area() float64
	Perimeter() float64
}

type Rect struct{ W, H float64 }
type Circle struct{ R float64 }
type Square struct{ Rect }

func (r Rect) Area() float64        { return r.W * r.H }
func (r Rect) Perimeter() float64   { return 2 * (r.W + r.H) }
func (c Circle) Area() float64      { return math.Pi * c.R * c.R }
func (c Circle) Perimeter() float64 { return 2 * math.Pi * c.R }
func (c Circle) String() string     { return fmt.Sprintf("Circle(r=%.1f)", c.R) }

func NewSquare(s float64) Square { return Square{Rect{s, s}} }

type byArea []Shape

func (a byArea) Len() int           { return len(a) }
func (a byArea) Less(i, j int) bool { return a[i].Area() < a[j].Area() }
func (a byArea) Swap(i, j int)      { a[i], a[j] = a[j], a[i] }

func describe(s Shape) string {
	switch v := s.(type) {
	case Circle:
		return "circle " + v.String()
	case Square:
		return fmt.Sprintf("square side %.0f", v.W)
	case Rect:
		return fmt.Sprintf("rect %vx%v", v.W, v.H)
	default:
		return "unknown"
	}
}

func main() {
	shapes := []Shape{Rect{3, 4}, Circle{1}, NewSquare(2), Circle{2.5}}
	sort.Sort(byArea(shapes))
	for _, s := range shapes {
		fmt.Printf("%-22s area=%7.2f perim=%6.2f %T\n", describe(s), s.Area(), s.Perimeter(), s)
	}
	var st fmt.Stringer = Circle{3}
	fmt.Println(st, Rect{1, 2}, &Rect{5, 6})
	fmt.Printf("%v %+v %d %s %q %x %08.3f|%-5d|%5s|\n", Rect{1, 2}, Rect{1, 2}, 42, "s", "q", 255, math.Pi, 7, "ab")
	_, ok := shapes[0].(fmt.Stringer)
	fmt.Println("first is Stringer:", ok)
}
