package main

import (
	"errors"
	"fmt"
	"time"
)

type Point struct{ X, Y int }

type Line struct {
	A, B  Point
	Label string
	Tags  []string
	Meta  map[string]int
}

type Temp float64

func (t Temp) String() string { return fmt.Sprintf("%.1f°C", float64(t)) }

type Status int

const (
	Idle Status = iota
	Running
	Done
)

func (s Status) String() string {
	switch s {
	case Idle:
		return "idle"
	case Running:
		return "running"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

func main() {
	l := Line{Point{1, 2}, Point{3, 4}, "diag", []string{"a", "b"}, map[string]int{"w": 2, "h": 1}}
	fmt.Printf("%v\n%+v\n", l, l)
	p := &Point{5, 6}
	fmt.Println(p, *p, []Point{{1, 1}}, [2]bool{true, false})
	fmt.Println(Temp(21.55), []Temp{1, 2}, Running, Done, Status(7))
	fmt.Printf("%s|%v|%d|%6.2f|%T|%T\n", Running, Idle, Running, Temp(3), Running, l)
	var e error
	fmt.Println(e, errors.New("x"), nil)
	fmt.Printf("%5t|%-8q|%x|%X|%o|%b|%c|%U\n", true, "hi", "hi", 3054, 8, 5, 'G', 'G')
	fmt.Printf("%e %g %.3g %v\n", 123456.789, 0.000012, 3.14159, 1e21)
	fmt.Println(time.Duration(1500)*time.Microsecond, 90*time.Second, 0.1+0.2, float32(0.1), 7/2, -7%3)
	fmt.Printf("%v %d %s\n", []byte("go"), []byte("go"), []byte("go"))
	fmt.Printf("%08b %3c %-4s| %+d %x\n", 5, 'x', "ab", 5, -255)
	fmt.Print("a", "b", 1, 2, "c\n")
	fmt.Println(fmt.Sprint("x", 1, 2, "y"), fmt.Sprintln("end"))
}
