package main

import (
	"fmt"
	"time"
)

func kind(n int) string {
	switch {
	case n < 0:
		return "neg"
	case n == 0:
		return "zero"
	}
	switch n % 3 {
	case 0:
		return "fizz"
	case 1, 2:
		return "other"
	}
	return "?"
}

func main() {
	for i := -1; i < 5; i++ {
		fmt.Printf("%d is %s\n", i, kind(i))
	}
	d := 1500 * time.Microsecond
	fmt.Println(d, time.Duration(42)*time.Second)
	fmt.Printf("%v %s %d%%\n", true, "str", 7)
	println("to stderr")
}
