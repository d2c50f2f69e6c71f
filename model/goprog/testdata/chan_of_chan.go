package main

import "fmt"

type Request struct {
	N     int
	Reply chan int
}

func server(reqs <-chan Request) {
	for r := range reqs {
		r.Reply <- r.N * r.N
	}
}

func main() {
	reqs := make(chan Request)
	go server(reqs)
	replies := make([]chan int, 4)
	for i := range replies {
		replies[i] = make(chan int, 1)
		reqs <- Request{i + 1, replies[i]}
	}
	close(reqs)
	for i, r := range replies {
		fmt.Println(i+1, "squared is", <-r)
	}
	var funcs = make(chan func() string, 2)
	funcs <- func() string { return "first" }
	funcs <- func() string { return "second" }
	close(funcs)
	for f := range funcs {
		fmt.Println(f())
	}
}
