package main

import "fmt"

func main() {
	s := make([]int, 3)
	for i := range 3 {
		s[i] = i * i
	}
	fmt.Println(s, len(s))
	i := 5
	fmt.Println(s[i])
}
