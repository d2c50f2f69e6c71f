package main

import "fmt"

type Ball struct{ hits int }

func player(name string, table chan *Ball, done chan<- string) {
	for {
		ball, ok := <-table
		if !ok {
			done <- name
			return
		}
		ball.hits++
		fmt.Println(name, ball.hits)
		if ball.hits >= 6 {
			close(table)
			done <- name
			return
		}
		table <- ball
	}
}

func main() {
	table := make(chan *Ball)
	done := make(chan string)
	go player("ping", table, done)
	go player("pong", table, done)
	table <- new(Ball)
	fmt.Println(<-done, "stopped")
	fmt.Println(<-done, "stopped")
}
