package main

import (
	"errors"
	"fmt"
)

type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func mustPositive(n int) int {
	if n < 0 {
		panic(fmt.Sprintf("negative: %d", n))
	}
	return n
}

func safe(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	f()
	return nil
}

func parse(line int) error {
	if line%2 == 1 {
		return &ParseError{Line: line, Msg: "odd line"}
	}
	return nil
}

func main() {
	fmt.Println(safe(func() { mustPositive(-3) }))
	fmt.Println(safe(func() { mustPositive(3) }))
	fmt.Println(safe(func() {
		var m map[string]int
		m["x"] = 1
	}))
	fmt.Println(safe(func() {
		a := []int{1, 2, 3}
		i := 5
		_ = a[i]
	}))
	fmt.Println(safe(func() {
		var p *ParseError
		_ = p.Line
	}))
	for i := 1; i <= 2; i++ {
		err := fmt.Errorf("parsing: %w", parse(i))
		var pe *ParseError
		if errors.As(err, &pe) {
			fmt.Println("parse error at line", pe.Line, "-", err)
		} else {
			fmt.Println("ok", i)
		}
	}
	defer fmt.Println("deferred 1")
	defer func() {
		r := recover()
		fmt.Println("recovered in main:", r)
		panic("final")
	}()
	panic(errors.New("boom"))
}
